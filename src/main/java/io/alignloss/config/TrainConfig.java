package io.alignloss.config;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code train} block: which objective to train and how.
 *
 * @param objective       the objective's name; empty when the config has exactly one trainable objective
 * @param optimization    the optimiser (lbfgs or adam) and its settings
 * @param regularization  the L2 and reward-centring penalties
 * @param validation      held-out rows and early stopping on them
 * @param checkpointEvery iterations between checkpoints (0: none)
 * @param treeDepth       depth of the treeReduce that merges the partitions' loss sums (DistributedLoss)
 * @param margin          TRL's margin column, subtracted from the reward difference
 * @param policyEstimator what a policy maximises: {@code exact} (E_π[U] over candidate sets with known utilities),
 *                        or {@code ips} / {@code snips} (the estimate from logged data: behavior_prob, logged)
 * @param initModel       a trained language model to start from (train.init-model)
 * @param rounds          self-target training: rounds of (recompute the targets, then optimise) (train.rounds)
 */
public record TrainConfig(Optional<String> objective, OptimizerSettings optimization, Regularization regularization,
        ValidationSplit validation, int checkpointEvery, int treeDepth, Optional<String> margin, PolicyEstimator policyEstimator,
        Optional<String> initModel, int rounds) {
    public static final List<String> KEYS = List.of("objective", "optimizer", "max-iter", "tol", "l2", "memory",
            "validation-fraction", "checkpoint-every", "tree-depth", "lr", "batch-fraction", "epochs", "margin",
            "center-rewards", "early-stopping-patience", "objective-estimator", "init-model", "rounds");

    public TrainConfig {
        requireNonNull(objective, "objective is null");
        requireNonNull(optimization, "optimization is null");
        requireNonNull(regularization, "regularization is null");
        requireNonNull(validation, "validation is null");
        requireNonNull(margin, "margin is null");
        requireNonNull(policyEstimator, "policyEstimator is null");
        requireNonNull(initModel, "initModel is null");
    }

    /** These settings for a language model: Adam unless train.optimizer names another. */
    public TrainConfig forLanguageModel() {
        return new TrainConfig(objective, optimization.adamUnlessGiven(), regularization, validation, checkpointEvery, treeDepth, margin,
                policyEstimator, initModel, rounds);
    }

    /** These settings without checkpoints inside the optimiser loop (self-target training checkpoints per round). */
    public TrainConfig withoutCheckpoints() {
        return new TrainConfig(objective, optimization, regularization, validation, 0, treeDepth, margin, policyEstimator, initModel,
                rounds);
    }
}
