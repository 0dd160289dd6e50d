package io.alignloss.config;

/**
 * The optimiser {@code train.optimizer} names. Called {@code OptimizerType} (like {@link ObjectiveType} and
 * {@link FeatureType}) so that it does not shadow the optimiser interface {@code optim.Optimizer}.
 */
public enum OptimizerType implements ConfigName {
    /** Full-batch L-BFGS (the default, except for language models). */
    LBFGS,
    /** Adam on mini-batches (a language model's default). */
    ADAM;

    /** The optimiser named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static OptimizerType fromConfig(String value, String key) {
        return ConfigName.parse(OptimizerType.class, value, key);
    }
}
