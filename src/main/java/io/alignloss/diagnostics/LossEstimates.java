package io.alignloss.diagnostics;

import io.alignloss.config.ClusterKey;
import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Turns the cells of one objective into its estimate figures: the empirical loss with its bootstrap
 * interval, per-group losses with intervals and shares, the largest gap between groups, the estimator
 * learning curve on nested subsamples (normal intervals from the linearised standard error), and, with target shares, the reweighted loss and the bias estimate.
 * Everything is computed on the driver from the per-cell sums; bootstrap replicates reweight the
 * {@link Resampling#BUCKETS} buckets with the same Poisson weights for every figure, so differences (bias,
 * gaps) get consistent intervals.
 */
public final class LossEstimates {
    /**
     * @param bootstrap     replicates (0: no intervals)
     * @param confidence    interval level
     * @param seed          seeds the replicate weights
     * @param minGroupCount a target group with fewer rows counts as not covered
     * @param target        target shares per column (only columns among the group columns are used)
     * @param lossBound     range of a per-example loss, for the range of the expected loss
     * @param clustering    the clusters the buckets hold (their rows were hashed by cluster): {@code stderr} and the
     *                      learning curve's intervals are then cluster-robust; empty for row resampling
     *                      ({@code cluster = none}: the row-level {@link LossStats#stderr()})
     */
    public record Settings(int bootstrap, double confidence, long seed, int minGroupCount,
            Map<String, Map<String, Double>> target, Optional<DiagnosticsConfig.LossBound> lossBound,
            Optional<Clustering> clustering) {
        public Settings {
            requireNonNull(clustering, "clustering is null");
        }

        /** Row resampling ({@code cluster = none}). */
        public Settings(int bootstrap, double confidence, long seed, int minGroupCount,
                Map<String, Map<String, Double>> target, Optional<DiagnosticsConfig.LossBound> lossBound) {
            this(bootstrap, confidence, seed, minGroupCount, target, lossBound, Optional.empty());
        }
    }

    private final List<String> groupColumns;
    private final Settings settings;
    private final Intervals intervals;
    private final SliceFigures sliceFigures;
    private final List<String> warnings;

    private LossEstimates(List<String> groupColumns, Settings settings, Function<LossStats, Map<String, Object>> figures,
            Function<LossStats, Map<String, Double>> resampled, List<String> warnings) {
        this.groupColumns = groupColumns;
        this.settings = settings;
        this.intervals = new Intervals(settings);
        this.sliceFigures = new SliceFigures(figures, resampled, settings.clustering(), intervals);
        this.warnings = warnings;
    }

    /**
     * The figures of one objective.
     *
     * @param figures  the objective's base figures (loss, count, weight_sum, stderr, own figures) of a slice
     * @param warnings receives what the caller should know (uncovered target groups, unknown target columns)
     */
    public static Map<String, Object> estimate(List<String> groupColumns, List<Cell> cells, Settings settings,
            Function<LossStats, Map<String, Object>> figures, List<String> warnings) {
        return estimate(groupColumns, cells, settings, figures, stats -> Map.of(), warnings);
    }

    /**
     * The figures of one objective, where the objective's {@code resampled} figures (a function of the
     * statistics alone) are shown as {@code { value, ci }} with their interval from the same bucket
     * replicates as the loss's.
     */
    public static Map<String, Object> estimate(List<String> groupColumns, List<Cell> cells, Settings settings,
            Function<LossStats, Map<String, Object>> figures, Function<LossStats, Map<String, Double>> resampled,
            List<String> warnings) {
        return new LossEstimates(groupColumns, settings, figures, resampled, warnings).estimate(cells);
    }

    private Map<String, Object> estimate(List<Cell> cells) {
        Slice all = new Slice();
        List<Map<String, Slice>> byValue = new ArrayList<>();
        groupColumns.forEach(column -> byValue.add(new TreeMap<>()));
        Slice[] levels = new Slice[Resampling.CURVE_FRACTIONS.length];
        Arrays.setAll(levels, k -> new Slice());
        for (Cell cell : cells) {
            all.add(cell);
            for (int g = 0; g < groupColumns.size(); g++) {
                byValue.get(g).computeIfAbsent(cell.key().get(g), value -> new Slice()).add(cell);
            }
            for (int k = 0; k < levels.length; k++) {
                if (cell.bucket() < Resampling.bucketsIn(Resampling.CURVE_FRACTIONS[k])) {
                    levels[k].add(cell);
                }
            }
        }

        double[] allReplicates = all.replicates(intervals.weights());
        Map<String, Object> result = sliceFigures.of(all);
        result.put("ci", intervals.percentile(allReplicates));
        result.put("confidence", settings.confidence());
        result.put("bootstrap", settings.bootstrap());
        // without clusters every row is resampled on its own: G = the rows
        result.put("ci_cluster", settings.clustering().map(Clustering::column).orElse(ClusterKey.NONE_VALUE));
        result.put("clusters", settings.clustering().map(Clustering::clusters).orElse(all.stats.count()));
        new GroupFigures(sliceFigures, intervals, settings.minGroupCount()).put(result, groupColumns, byValue, all);

        Optional<TargetReweighting> target = TargetReweighting.of(groupColumns, settings, intervals, warnings, byValue);
        target.ifPresent(t -> result.put("target", t.figures(all, allReplicates, cells)));

        if (settings.bootstrap() == 0) {
            return result; // without resampling the rows are not bucketed, so there are no subsamples either
        }
        result.put("curve", new LearningCurve(settings.clustering(), intervals).points(all, levels, target, cells));
        return result;
    }
}
