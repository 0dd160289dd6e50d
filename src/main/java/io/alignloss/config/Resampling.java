package io.alignloss.config;

import java.util.OptionalDouble;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * An objective entry's own {@code bootstrap} and {@code confidence}, which override the top-level ones.
 *
 * @param bootstrap  bootstrap replicates (0 turns intervals off); empty: the top-level setting
 * @param confidence confidence level, strictly between 0 and 1; empty: the top-level setting
 */
public record Resampling(OptionalInt bootstrap, OptionalDouble confidence) {
    /** No override: the objective uses the top-level settings. */
    public static final Resampling NONE = new Resampling(OptionalInt.empty(), OptionalDouble.empty());

    public Resampling {
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(confidence, "confidence is null");
    }

    /** {@code defaults} with this entry's bootstrap and confidence where given. */
    public DiagnosticsConfig applyTo(DiagnosticsConfig defaults) {
        return defaults.withResampling(bootstrap.orElse(defaults.bootstrap()), confidence.orElse(defaults.confidence()));
    }
}
