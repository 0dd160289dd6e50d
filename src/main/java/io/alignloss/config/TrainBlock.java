package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.util.List;
import java.util.Optional;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/** The {@code train} block parsed into a {@link TrainConfig}, with its defaults. */
final class TrainBlock {
    private TrainBlock() {
    }

    static TrainConfig parse(Config config, List<ObjectiveConfig> objectives, String source) {
        Config train = config.hasPath("train") ? object(config, "train", source).toConfig() : ConfigFactory.empty();
        if (config.hasPath("train")) {
            checkKeys(object(config, "train", source), "train.", TrainConfig.KEYS, source);
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
        OptimizerSettings optimization = optimization(train, source);
        double l2 = train.hasPath("l2") ? number(train, "l2", "train.l2", source, 0, Double.MAX_VALUE, false) : Regularization.DEFAULT_L2;
        double validation = train.hasPath("validation-fraction")
                ? number(train, "validation-fraction", "train.validation-fraction", source, 0, 0.9, false) : 0.0;
        int checkpointEvery = train.hasPath("checkpoint-every")
                ? (int) number(train, "checkpoint-every", "train.checkpoint-every", source, 0, 1e9, true) : 10;
        int depth = train.hasPath("tree-depth") ? (int) number(train, "tree-depth", "train.tree-depth", source, 1, 10, true) : 2;
        Optional<String> margin = train.hasPath("margin") ? Optional.of(string(train, "margin", source)) : Optional.empty();
        double center = train.hasPath("center-rewards") ? number(train, "center-rewards", "train.center-rewards", source, 0, 1e6, false) : 0;
        int patience = train.hasPath("early-stopping-patience")
                ? (int) number(train, "early-stopping-patience", "train.early-stopping-patience", source, 0, 1e6, true) : 0;
        if (patience > 0 && validation == 0) {
            throw error(source, "Invalid 'train.early-stopping-patience' (%s): early stopping needs a validation split "
                    + "(set train.validation-fraction > 0)", where(train.getValue("early-stopping-patience")));
        }
        PolicyEstimator estimator = train.hasPath("objective-estimator")
                ? choice(train, "objective-estimator", "train.objective-estimator", source, PolicyEstimator::fromConfig) : PolicyEstimator.EXACT;
        Optional<String> initModel = train.hasPath("init-model") ? Optional.of(string(train, "init-model", source)) : Optional.empty();
        int rounds = train.hasPath("rounds") ? (int) number(train, "rounds", "train.rounds", source, 1, 1000, true) : 3;
        return new TrainConfig(objective, optimization, new Regularization(l2, center), new ValidationSplit(validation, patience),
                checkpointEvery, depth, margin, estimator, initModel, rounds);
    }

    private static OptimizerSettings optimization(Config train, String source) {
        OptimizerType optimizer = train.hasPath("optimizer")
                ? choice(train, "optimizer", "train.optimizer", source, OptimizerType::fromConfig) : OptimizerType.LBFGS;
        boolean maxIterGiven = train.hasPath("max-iter");
        long maxIter = maxIterGiven ? (long) number(train, "max-iter", "train.max-iter", source, 0, 1e9, true) : 100;
        double tol = train.hasPath("tol") ? number(train, "tol", "train.tol", source, 0, 1, false) : 1e-9;
        int memory = train.hasPath("memory") ? (int) number(train, "memory", "train.memory", source, 1, 1000, true) : 10;
        double lr = train.hasPath("lr") ? number(train, "lr", "train.lr", source, 1e-12, 1e6, false) : 0.01;
        double batch = train.hasPath("batch-fraction") ? number(train, "batch-fraction", "train.batch-fraction", source, 1e-9, 1, false) : 0.1;
        double epochs = train.hasPath("epochs") ? number(train, "epochs", "train.epochs", source, 1e-9, 1e6, false) : 10;
        return new OptimizerSettings(optimizer, train.hasPath("optimizer"), maxIter, maxIterGiven, tol, memory, lr, batch, epochs);
    }
}
