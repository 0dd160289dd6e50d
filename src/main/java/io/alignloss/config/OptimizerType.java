package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

/**
 * The optimiser {@code train.optimizer} names. Called {@code OptimizerType} (like {@link ObjectiveType} and
 * {@link FeatureType}) so that it does not shadow the optimiser interface {@code optim.Optimizer}.
 */
public enum OptimizerType {
    /** Full-batch L-BFGS (the default, except for language models). */
    LBFGS("lbfgs"),
    /** Adam on mini-batches (a language model's default). */
    ADAM("adam");

    private final String configName;

    OptimizerType(String configName) {
        this.configName = configName;
    }

    /** The name in configs, summaries and checkpoints. */
    public String configName() {
        return configName;
    }

    /** The optimiser named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static OptimizerType fromConfig(String value, String key) {
        for (OptimizerType type : values()) {
            if (type.configName.equals(value)) {
                return type;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format("Invalid %s: '%s' (valid: lbfgs, adam)", key, value));
    }
}
