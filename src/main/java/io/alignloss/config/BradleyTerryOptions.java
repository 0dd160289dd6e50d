package io.alignloss.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The keys of a {@code bradley-terry} objective.
 *
 * @param resampling its own bootstrap and confidence
 * @param model      a reward model folder that scores chosen and rejected (else the logged scores are used)
 * @param features   its own {@code features} block for training (else the top-level one)
 */
public record BradleyTerryOptions(Resampling resampling, Optional<String> model, Optional<FeatureSpec> features)
        implements ObjectiveOptions {
    public BradleyTerryOptions {
        requireNonNull(resampling, "resampling is null");
        requireNonNull(model, "model is null");
        requireNonNull(features, "features is null");
    }

    /** No keys beyond name, type and input. */
    public static BradleyTerryOptions defaults() {
        return new BradleyTerryOptions(Resampling.NONE, Optional.empty(), Optional.empty());
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.BRADLEY_TERRY;
    }
}
