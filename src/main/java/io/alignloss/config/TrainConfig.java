package io.alignloss.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Optional;

import static io.alignloss.config.ConfigLoader.checkKeys;
import static io.alignloss.config.ConfigLoader.error;
import static io.alignloss.config.ConfigLoader.number;
import static io.alignloss.config.ConfigLoader.object;
import static io.alignloss.config.ConfigLoader.string;
import static io.alignloss.config.ConfigLoader.where;

/**
 * The {@code train} block: which objective to train and how.
 *
 * @param objective          the objective's name; empty when the config has exactly one trainable objective
 * @param optimizer          lbfgs or adam
 * @param maxIter            L-BFGS iterations (Adam: derived from epochs and batch-fraction unless given)
 * @param tol                L-BFGS convergence tolerance on relative objective change and gradient norm
 * @param l2                 λ in {@code Σ w·ℓ / Σ w + (λ/2)·||φ||²} (MLlib's regParam)
 * @param memory             L-BFGS correction pairs
 * @param validationFraction share of rows held out, chosen by a seeded hash of {@code id}
 * @param checkpointEvery    iterations between checkpoints (0: none)
 * @param treeDepth          depth of the treeReduce that merges the partitions' loss sums (DistributedLoss)
 * @param learningRate       Adam's step size
 * @param batchFraction      Adam's mini-batch share of the training rows
 * @param epochs             Adam's passes over the data (iterations = epochs / batch-fraction)
 * @param margin             TRL's margin column, subtracted from the reward difference
 * @param centerRewards      c in TRL's reward-centring term {@code c·mean((r_w + r_l)²)}
 * @param patience           stop after this many iterations without a better validation loss (0: off)
 * @param estimator          what a policy maximises: {@code exact} (E_π[U] over candidate sets with known utilities),
 *                           or {@code ips} / {@code snips} (the estimate from logged data: behavior_prob, logged)
 * @param optimizerGiven     whether train.optimizer was set (a language model defaults to Adam otherwise)
 * @param initModel          a trained language model to start from (train.init-model)
 * @param rounds             self-target training: rounds of (recompute the targets, then optimise) (train.rounds)
 */
public record TrainConfig(Optional<String> objective, String optimizer, long maxIter, double tol, double l2, int memory,
        double validationFraction, int checkpointEvery, int treeDepth, double learningRate, double batchFraction,
        double epochs, boolean maxIterGiven, Optional<String> margin, double centerRewards, int patience, String estimator,
        boolean optimizerGiven, Optional<String> initModel, int rounds) {
    public static final List<String> KEYS = List.of("objective", "optimizer", "max-iter", "tol", "l2", "memory",
            "validation-fraction", "checkpoint-every", "tree-depth", "lr", "batch-fraction", "epochs", "margin",
            "center-rewards", "early-stopping-patience", "objective-estimator", "init-model", "rounds");
    /** Policy training estimators (train.objective-estimator). */
    public static final String EXACT = "exact";
    public static final String IPS = "ips";
    public static final String SNIPS = "snips";
    public static final List<String> FEATURE_KEYS = List.of("type", "bits", "ngrams", "cross-tokens", "input");
    public static final double DEFAULT_L2 = 1e-6;

    /** These settings for a language model: Adam unless train.optimizer names another. */
    public TrainConfig forLanguageModel() {
        return optimizerGiven ? this : new TrainConfig(objective, "adam", maxIter, tol, l2, memory, validationFraction, checkpointEvery,
                treeDepth, learningRate, batchFraction, epochs, maxIterGiven, margin, centerRewards, patience, estimator, false, initModel, rounds);
    }

    /** These settings without checkpoints inside the optimiser loop (self-target training checkpoints per round). */
    public TrainConfig withoutCheckpoints() {
        return new TrainConfig(objective, optimizer, maxIter, tol, l2, memory, validationFraction, 0, treeDepth, learningRate, batchFraction,
                epochs, maxIterGiven, margin, centerRewards, patience, estimator, optimizerGiven, initModel, rounds);
    }

    /** Iterations the optimiser may run. */
    public long iterations() {
        if (optimizer.equals("adam") && !maxIterGiven) {
            return (long) Math.ceil(epochs / batchFraction);
        }
        return maxIter;
    }

    static TrainConfig parse(Config config, List<ObjectiveConfig> objectives, String source) {
        Config train = config.hasPath("train") ? object(config, "train", source).toConfig() : com.typesafe.config.ConfigFactory.empty();
        if (config.hasPath("train")) {
            checkKeys(object(config, "train", source), "train.", KEYS, source);
        }
        Optional<String> objective = Optional.empty();
        if (train.hasPath("objective")) {
            String name = string(train, "objective", source);
            ObjectiveConfig named = objectives.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow(() -> error(source,
                    "Invalid 'train.objective' (%s): no objective named '%s' (objectives: %s)", where(train.getValue("objective")), name,
                    String.join(", ", objectives.stream().map(ObjectiveConfig::name).toList())));
            if (named.type() != ObjectiveType.BRADLEY_TERRY && named.type() != ObjectiveType.EXPECTED_UTILITY
                    && named.type() != ObjectiveType.SEQUENCE_LIKELIHOOD && named.type() != ObjectiveType.SELF_TARGET) {
                throw error(source, "Invalid 'train.objective' (%s): objective '%s' is %s; train fits bradley-terry reward models, "
                                + "expected-utility policies and sequence-likelihood or self-target language models",
                        where(train.getValue("objective")), name, named.type().configName());
            }
            objective = Optional.of(name);
        }
        String optimizer = train.hasPath("optimizer") ? string(train, "optimizer", source) : "lbfgs";
        if (!optimizer.equals("lbfgs") && !optimizer.equals("adam")) {
            throw error(source, "Invalid 'train.optimizer' (%s): '%s' (valid: lbfgs, adam)", where(train.getValue("optimizer")), optimizer);
        }
        boolean maxIterGiven = train.hasPath("max-iter");
        long maxIter = maxIterGiven ? (long) number(train, "max-iter", "train.max-iter", source, 0, 1e9, true) : 100;
        double tol = train.hasPath("tol") ? number(train, "tol", "train.tol", source, 0, 1, false) : 1e-9;
        double l2 = train.hasPath("l2") ? number(train, "l2", "train.l2", source, 0, Double.MAX_VALUE, false) : DEFAULT_L2;
        int memory = train.hasPath("memory") ? (int) number(train, "memory", "train.memory", source, 1, 1000, true) : 10;
        double validation = train.hasPath("validation-fraction")
                ? number(train, "validation-fraction", "train.validation-fraction", source, 0, 0.9, false) : 0.0;
        int checkpointEvery = train.hasPath("checkpoint-every")
                ? (int) number(train, "checkpoint-every", "train.checkpoint-every", source, 0, 1e9, true) : 10;
        int depth = train.hasPath("tree-depth") ? (int) number(train, "tree-depth", "train.tree-depth", source, 1, 10, true) : 2;
        double lr = train.hasPath("lr") ? number(train, "lr", "train.lr", source, 1e-12, 1e6, false) : 0.01;
        double batch = train.hasPath("batch-fraction") ? number(train, "batch-fraction", "train.batch-fraction", source, 1e-9, 1, false) : 0.1;
        double epochs = train.hasPath("epochs") ? number(train, "epochs", "train.epochs", source, 1e-9, 1e6, false) : 10;
        Optional<String> margin = train.hasPath("margin") ? Optional.of(string(train, "margin", source)) : Optional.empty();
        double center = train.hasPath("center-rewards") ? number(train, "center-rewards", "train.center-rewards", source, 0, 1e6, false) : 0;
        int patience = train.hasPath("early-stopping-patience")
                ? (int) number(train, "early-stopping-patience", "train.early-stopping-patience", source, 0, 1e6, true) : 0;
        if (patience > 0 && validation == 0) {
            throw error(source, "Invalid 'train.early-stopping-patience' (%s): early stopping needs a validation split "
                    + "(set train.validation-fraction > 0)", where(train.getValue("early-stopping-patience")));
        }
        String estimator = train.hasPath("objective-estimator") ? string(train, "objective-estimator", source) : EXACT;
        if (!List.of(EXACT, IPS, SNIPS).contains(estimator)) {
            throw error(source, "Invalid 'train.objective-estimator' (%s): '%s' (valid: exact, ips, snips)",
                    where(train.getValue("objective-estimator")), estimator);
        }
        Optional<String> initModel = train.hasPath("init-model") ? Optional.of(string(train, "init-model", source)) : Optional.empty();
        int rounds = train.hasPath("rounds") ? (int) number(train, "rounds", "train.rounds", source, 1, 1000, true) : 3;
        return new TrainConfig(objective, optimizer, maxIter, tol, l2, memory, validation, checkpointEvery, depth, lr, batch,
                epochs, maxIterGiven, margin, center, patience, estimator, train.hasPath("optimizer"), initModel, rounds);
    }

    /** A {@code features} block at {@code path} of {@code config}. */
    public static FeatureSpec features(Config config, String path, String source) {
        checkKeys(object(config, path, source), path + ".", FEATURE_KEYS, source);
        Config block = config.getConfig(path);
        if (!block.hasPath("type")) {
            throw error(source, "Missing key '%s.type' (%s): embedding, text-hash or encoder", path, where(config.getValue(path)));
        }
        FeatureType type = ConfigLoader.choice(block, "type", path + ".type", source, FeatureType::fromConfig);
        int bits = block.hasPath("bits") ? (int) number(block, "bits", path + ".bits", source, 1, 30, true) : FeatureSpec.DEFAULT_BITS;
        int ngrams = block.hasPath("ngrams") ? (int) number(block, "ngrams", path + ".ngrams", source, 1, 5, true) : FeatureSpec.DEFAULT_NGRAMS;
        int cross = block.hasPath("cross-tokens")
                ? (int) number(block, "cross-tokens", path + ".cross-tokens", source, 0, 256, true) : FeatureSpec.DEFAULT_CROSS_TOKENS;
        String input = block.hasPath("input") ? string(block, "input", source) : FeatureSpec.PROMPT_RESPONSE;
        if (!input.equals(FeatureSpec.PROMPT_RESPONSE) && !input.equals(FeatureSpec.RESPONSE)) {
            throw error(source, "Invalid '%s.input' (%s): '%s' (valid: prompt-response, response)", path, where(block.getValue("input")), input);
        }
        return new FeatureSpec(type, bits, ngrams, cross, input);
    }
}
