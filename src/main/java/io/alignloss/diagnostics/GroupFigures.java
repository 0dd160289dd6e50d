package io.alignloss.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per group column: each value's figures with its share {@code Σ_g w / Σ w} and interval ({@code groups}), and the
 * largest gap between the values that have at least min-group-count rows and a finite loss ({@code group_gaps}).
 */
final class GroupFigures {
    private final SliceFigures sliceFigures;
    private final Intervals intervals;
    private final int minGroupCount;

    GroupFigures(SliceFigures sliceFigures, Intervals intervals, int minGroupCount) {
        this.sliceFigures = sliceFigures;
        this.intervals = intervals;
        this.minGroupCount = minGroupCount;
    }

    /** Puts {@code groups} and {@code group_gaps} of the slices by value of each group column into {@code result}. */
    void put(Map<String, Object> result, List<String> groupColumns, List<Map<String, Slice>> byValue, Slice all) {
        Map<String, Object> groups = new LinkedHashMap<>();
        Map<String, Object> gaps = new LinkedHashMap<>();
        for (int g = 0; g < groupColumns.size(); g++) {
            Map<String, Object> values = new LinkedHashMap<>();
            List<String> eligible = new ArrayList<>();
            Map<String, double[]> replicates = new LinkedHashMap<>();
            for (Map.Entry<String, Slice> entry : byValue.get(g).entrySet()) {
                Slice slice = entry.getValue();
                if (slice.stats.count() == 0) {
                    continue;
                }
                double[] sliceReplicates = slice.replicates(intervals.weights());
                Map<String, Object> value = sliceFigures.of(slice);
                // share = Σ_g w / Σ w
                value.put("share", all.stats.weightSum() > 0 ? slice.stats.weightSum() / all.stats.weightSum() : null);
                value.put("ci", intervals.percentile(sliceReplicates));
                values.put(entry.getKey(), value);
                if (slice.stats.count() >= minGroupCount && Double.isFinite(slice.loss())) {
                    eligible.add(entry.getKey());
                    replicates.put(entry.getKey(), sliceReplicates);
                }
            }
            groups.put(groupColumns.get(g), values);
            if (eligible.size() >= 2) {
                gaps.put(groupColumns.get(g), gap(eligible, byValue.get(g), replicates));
            }
        }
        result.put("groups", groups);
        result.put("group_gaps", gaps);
    }

    // max_gap = max_g L_g − min_g L_g (Fairlearn's difference()), its interval from the same replicates
    private Map<String, Object> gap(List<String> eligible, Map<String, Slice> slices, Map<String, double[]> replicates) {
        String highest = eligible.get(0);
        String lowest = eligible.get(0);
        for (String value : eligible) {
            if (slices.get(value).loss() > slices.get(highest).loss()) {
                highest = value;
            }
            if (slices.get(value).loss() < slices.get(lowest).loss()) {
                lowest = value;
            }
        }
        double[][] weights = intervals.weights();
        double[] gapReplicates = new double[weights.length];
        for (int r = 0; r < weights.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (double[] values : replicates.values()) {
                max = Math.max(max, values[r]);
                min = Math.min(min, values[r]);
            }
            gapReplicates[r] = max - min;
        }
        Map<String, Object> gap = new LinkedHashMap<>();
        gap.put("max_gap", slices.get(highest).loss() - slices.get(lowest).loss());
        gap.put("ci", intervals.percentile(gapReplicates));
        gap.put("highest", highest);
        gap.put("lowest", lowest);
        gap.put("groups_compared", eligible.size());
        return gap;
    }
}
