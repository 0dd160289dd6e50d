package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The figures of a slice of one objective's rows: the objective's base figures (loss, count, weight_sum, stderr, its
 * own figures), {@code stderr} cluster-robust when the buckets hold clusters, and each resampled figure as
 * {@code { value, ci }} with its interval from the same bucket replicates as the loss's; a resampled figure named
 * {@code block.figure} goes inside the objective's figure block {@code block} (e.g. {@code conditional.bits_per_byte}).
 */
final class SliceFigures {
    private final Function<LossStats, Map<String, Object>> figures;
    private final Function<LossStats, Map<String, Double>> resampled;
    private final Optional<Clustering> clustering;
    private final Intervals intervals;

    SliceFigures(Function<LossStats, Map<String, Object>> figures, Function<LossStats, Map<String, Double>> resampled,
            Optional<Clustering> clustering, Intervals intervals) {
        this.figures = figures;
        this.resampled = resampled;
        this.clustering = clustering;
        this.intervals = intervals;
    }

    /** The slice's base figures, each resampled figure replaced by {@code { value, ci }}. */
    Map<String, Object> of(Slice slice) {
        Map<String, Object> result = new LinkedHashMap<>(figures.apply(slice.stats));
        if (clustering.isPresent()) {
            result.replace("stderr", Json.number(slice.clusterStderr()));
        }
        Map<String, Double> values = resampled.apply(slice.stats);
        if (values.isEmpty()) {
            return result;
        }
        double[][] weights = intervals.weights();
        double[][] replicates = new double[values.size()][weights.length];
        for (int r = 0; r < weights.length; r++) {
            Map<String, Double> replicate = resampled.apply(slice.replicate(weights[r]));
            int k = 0;
            for (String name : values.keySet()) {
                replicates[k++][r] = replicate.getOrDefault(name, Double.NaN);
            }
        }
        int k = 0;
        for (Map.Entry<String, Double> value : values.entrySet()) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("value", Json.number(value.getValue()));
            block.put("ci", intervals.percentile(replicates[k++]));
            put(result, value.getKey(), block);
        }
        return result;
    }

    // a name "parent.figure" goes inside the figure block "parent" (a copy, so the objective's map is left alone)
    private static void put(Map<String, Object> result, String name, Map<String, Object> block) {
        int dot = name.indexOf('.');
        if (dot > 0 && result.get(name.substring(0, dot)) instanceof Map<?, ?> parent) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) parent);
            nested.put(name.substring(dot + 1), block);
            result.put(name.substring(0, dot), nested);
            return;
        }
        result.put(name, block);
    }
}
