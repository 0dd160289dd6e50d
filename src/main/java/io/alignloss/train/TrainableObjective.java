package io.alignloss.train;

import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.config.FeatureSpec;
import io.alignloss.config.ObjectiveType;

import java.util.List;

import static java.lang.String.format;

/** Which objective a config trains and what it trains on, checked before Spark starts. */
public final class TrainableObjective {
    private TrainableObjective() {
    }

    /** The objective {@code train} fits: train.objective, else the config's only bradley-terry objective. */
    public static ObjectiveConfig of(JobConfig config) {
        if (config.train().objective().isPresent()) {
            String name = config.train().objective().get();
            return config.objectives().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        }
        List<ObjectiveConfig> trainable = config.objectives().stream().filter(o -> o.type() == ObjectiveType.BRADLEY_TERRY).toList();
        List<ObjectiveConfig> sequences = config.objectives().stream()
                .filter(o -> o.type() == ObjectiveType.SEQUENCE_LIKELIHOOD || o.type() == ObjectiveType.SELF_TARGET).toList();
        if (trainable.isEmpty() && sequences.size() == 1) {
            return sequences.get(0);
        }
        if (trainable.size() != 1) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s; name the one to train with train.objective",
                    config.source(), trainable.isEmpty() ? "no bradley-terry objective to train"
                            : "several bradley-terry objectives (" + String.join(", ", trainable.stream().map(ObjectiveConfig::name).toList()) + ")"));
        }
        return trainable.get(0);
    }

    /** Checks, before Spark starts, that the config names one objective to train and what it trains on. */
    public static void check(JobConfig config) {
        ObjectiveConfig objective = of(config);
        if (objective.type() == ObjectiveType.SELF_TARGET) {
            if (config.train().initModel().isEmpty()) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: training self-target objective '%s' starts from a trained "
                        + "language model, which picks the first targets: set train.init-model = \"<train output>/model\"",
                        config.source(), objective.name()));
            }
        }
        else if (objective.type() != ObjectiveType.SEQUENCE_LIKELIHOOD) {
            featureSpec(config, objective);
        }
    }

    /** Whether the objective trains a language model (sequence likelihood, or self-target rounds on top of one). */
    public static boolean isLanguageModel(ObjectiveConfig objective) {
        return objective.type() == ObjectiveType.SEQUENCE_LIKELIHOOD || objective.type() == ObjectiveType.SELF_TARGET;
    }

    /** The objective's own features block, else the top-level one. */
    public static FeatureSpec featureSpec(JobConfig config, ObjectiveConfig objective) {
        return objective.options().features().or(config::features).orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG, format(
                "Config %s: objective '%s' has no features to train on: add features { type = embedding | text-hash | encoder }",
                config.source(), objective.name())));
    }
}
