package io.alignloss.config;

import java.util.Optional;

/**
 * The typed keys of one objective entry beyond {@code name}, {@code type} and {@code input}: one record per
 * {@link ObjectiveType}, parsed and validated by the config loader, so objectives and trainers never read raw
 * config.
 */
public sealed interface ObjectiveOptions permits BradleyTerryOptions, SequenceLikelihoodOptions, ExpectedUtilityOptions,
        SelfTargetOptions, DpoOptions {
    /** The key naming a trained model folder (every objective type has it). */
    String MODEL = "model";

    /** The objective type these options belong to. */
    ObjectiveType type();

    /** The entry's own {@code bootstrap} and {@code confidence}. */
    Resampling resampling();

    /** {@code model}: a trained model folder that computes what the input would otherwise log. */
    Optional<String> model();

    /** Its own {@code features} block for training (bradley-terry and expected-utility objectives have one). */
    default Optional<FeatureSpec> features() {
        return Optional.empty();
    }
}
