package io.alignloss.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Settings of the dataset-bias diagnostics (top-level keys; {@code bootstrap} and {@code confidence} may be
 * overridden in an objective's entry).
 *
 * @param bootstrap     bootstrap replicates for confidence intervals (0 turns them off)
 * @param confidence    confidence level of every interval
 * @param minGroupCount groups with fewer rows count as absent for reweighting
 * @param target        target shares: column → value → share (each column's shares sum to 1)
 * @param reference     path of an unlabelled sample of the population served ({@code reference.path})
 * @param lossBound     the range a per-example loss can take, for the range of the expected loss over
 *                      target groups the data does not cover
 * @param shiftClip     importance weights of the covariate-shift estimate are clipped at this value
 * @param drift         comparison with a previous run, when configured
 * @param biases        whether preference inputs get the preference-data bias figures (extra scans)
 */
public record DiagnosticsConfig(int bootstrap, double confidence, int minGroupCount, Map<String, Map<String, Double>> target,
        Optional<String> reference, Optional<LossBound> lossBound, double shiftClip, Optional<Drift> drift, boolean biases) {
    public static final int DEFAULT_BOOTSTRAP = 200;
    public static final double DEFAULT_CONFIDENCE = 0.95;
    public static final int DEFAULT_MIN_GROUP_COUNT = 30;
    public static final double DEFAULT_SHIFT_CLIP = 10.0;

    public DiagnosticsConfig {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        requireNonNull(target, "target is null").forEach((column, shares) ->
                copy.put(column, Collections.unmodifiableMap(new LinkedHashMap<>(shares))));
        target = Collections.unmodifiableMap(copy);
        requireNonNull(reference, "reference is null");
        requireNonNull(lossBound, "lossBound is null");
        requireNonNull(drift, "drift is null");
    }

    public static DiagnosticsConfig defaults() {
        return new DiagnosticsConfig(DEFAULT_BOOTSTRAP, DEFAULT_CONFIDENCE, DEFAULT_MIN_GROUP_COUNT, Map.of(), Optional.empty(),
                Optional.empty(), DEFAULT_SHIFT_CLIP, Optional.empty(), true);
    }

    public DiagnosticsConfig withResampling(int bootstrap, double confidence) {
        return new DiagnosticsConfig(bootstrap, confidence, minGroupCount, target, reference, lossBound, shiftClip, drift, biases);
    }

    /** {@code loss-bound}: a number (the upper bound, lower 0) or {@code [low, high]}. */
    public record LossBound(double low, double high) {
    }

    /** {@code drift { previous, max-loss-change, max-mix-change }}. */
    public record Drift(String previous, OptionalDouble maxLossChange, OptionalDouble maxMixChange) {
        public Drift {
            requireNonNull(previous, "previous is null");
            requireNonNull(maxLossChange, "maxLossChange is null");
            requireNonNull(maxMixChange, "maxMixChange is null");
        }
    }
}
