package io.alignloss.job;

import io.alignloss.diagnostics.Clustering;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What an evaluation found beyond each objective's scan, for its summary.
 *
 * @param target       group column → value → share, the mix the reweighted loss targets: the config's, or the
 *                     reference's group mix
 * @param targetSource where the target comes from: {@code config} or {@code reference <path>}
 * @param shift        objective → covariate-shift figures, when a reference is configured
 * @param policies     objective → a trained policy's figures on its input's candidate sets
 * @param clustering   input → the clusters its bootstrap resamples; absent for {@code cluster = none}
 * @param biases       input → preference-data bias figures
 */
record RunDiagnostics(Map<String, Map<String, Double>> target, String targetSource, Map<String, Map<String, Object>> shift,
                      Map<String, Map<String, Object>> policies, Map<String, Clustering> clustering,
                      Map<String, Map<String, Object>> biases) {
    RunDiagnostics {
        requireNonNull(target, "target is null");
        requireNonNull(targetSource, "targetSource is null");
        requireNonNull(shift, "shift is null");
        requireNonNull(policies, "policies is null");
        requireNonNull(clustering, "clustering is null");
        requireNonNull(biases, "biases is null");
    }

    /** Right after the scan, before any diagnostic has run: the clusters only. */
    static RunDiagnostics scanned(Map<String, Clustering> clustering) {
        return new RunDiagnostics(Map.of(), "config", Map.of(), Map.of(), clustering, Map.of());
    }
}
