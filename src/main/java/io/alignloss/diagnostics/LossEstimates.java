package io.alignloss.diagnostics;

import io.alignloss.config.ClusterKey;
import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

import static java.lang.String.format;
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
    private static final int BUCKETS = Resampling.BUCKETS;

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

    /** Sums of a subset of the rows, per bucket and in total. */
    static final class Slice {
        final double[] wy = new double[BUCKETS];
        final double[] wx = new double[BUCKETS];
        final double[] w = new double[BUCKETS];
        final LossStats stats = LossStats.empty();
        final LossStats[] buckets = new LossStats[BUCKETS];

        void add(Cell cell) {
            if (buckets[cell.bucket()] == null) {
                buckets[cell.bucket()] = LossStats.empty();
            }
            buckets[cell.bucket()].merge(cell.stats());
            wy[cell.bucket()] += cell.stats().numeratorSum();
            wx[cell.bucket()] += cell.stats().denominatorSum();
            w[cell.bucket()] += cell.stats().weightSum();
            stats.merge(cell.stats());
        }

        double loss() {
            return stats.loss().orElse(Double.NaN);
        }

        double[] replicates(double[][] weights) {
            return Resampling.replicateRatios(wy, wx, weights);
        }

        /** {@code Σ_c e_c²} of the slice's clusters at its own L̂, from its buckets ({@link Resampling#clusterSquares}). */
        double clusterSquares() {
            return Resampling.clusterSquares(wy, wx, stats.numeratorSum() / stats.denominatorSum());
        }

        /** Whether the slice has a loss and rows in at least two buckets (one bucket has no spread to measure). */
        boolean spread() {
            int filled = 0;
            for (LossStats bucket : buckets) {
                filled += bucket == null ? 0 : 1;
            }
            return stats.denominatorSum() > 0 && filled >= 2;
        }

        /**
         * Cluster-robust linearised standard error of the slice's loss from its buckets:
         * {@code sqrt(B/(B−1)·Σ_b (wy_b − L̂·wx_b)²) / Σwx}; empty without {@link #spread()}.
         */
        OptionalDouble clusterStderr() {
            return spread() ? OptionalDouble.of(Math.sqrt(clusterSquares()) / stats.denominatorSum()) : OptionalDouble.empty();
        }

        /** The statistics of replicate r: Σ_b W_rb·stats_b. */
        LossStats replicate(double[] bucketWeights) {
            LossStats replicate = LossStats.empty();
            for (int b = 0; b < BUCKETS; b++) {
                if (buckets[b] != null && bucketWeights[b] > 0) {
                    replicate.addScaled(buckets[b], bucketWeights[b]);
                }
            }
            return replicate;
        }
    }

    private final List<String> groupColumns;
    private final Settings settings;
    private final Function<LossStats, Map<String, Object>> figures;
    private final Function<LossStats, Map<String, Double>> resampled;
    private final double[][] weights;
    private final List<String> warnings;

    private LossEstimates(List<String> groupColumns, Settings settings, Function<LossStats, Map<String, Object>> figures,
            Function<LossStats, Map<String, Double>> resampled, List<String> warnings) {
        this.groupColumns = groupColumns;
        this.settings = settings;
        this.figures = figures;
        this.resampled = resampled;
        this.weights = Resampling.poissonWeights(settings.bootstrap(), settings.seed());
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

    /** The slice's base figures, each resampled figure replaced by {@code { value, ci }}. */
    private Map<String, Object> sliceFigures(Slice slice) {
        Map<String, Object> result = new LinkedHashMap<>(figures.apply(slice.stats));
        if (settings.clustering().isPresent()) {
            result.replace("stderr", Json.number(slice.clusterStderr()));
        }
        Map<String, Double> values = resampled.apply(slice.stats);
        if (values.isEmpty()) {
            return result;
        }
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
            block.put("ci", interval(replicates[k++]));
            result.put(value.getKey(), block);
        }
        return result;
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

        double[] allReplicates = all.replicates(weights);
        Map<String, Object> result = sliceFigures(all);
        result.put("ci", interval(allReplicates));
        result.put("confidence", settings.confidence());
        result.put("bootstrap", settings.bootstrap());
        // without clusters every row is resampled on its own: G = the rows
        result.put("ci_cluster", settings.clustering().map(Clustering::column).orElse(ClusterKey.NONE_VALUE));
        result.put("clusters", settings.clustering().map(Clustering::clusters).orElse(all.stats.count()));

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
                double[] sliceReplicates = slice.replicates(weights);
                Map<String, Object> value = sliceFigures(slice);
                // share = Σ_g w / Σ w
                value.put("share", all.stats.weightSum() > 0 ? slice.stats.weightSum() / all.stats.weightSum() : null);
                value.put("ci", interval(sliceReplicates));
                values.put(entry.getKey(), value);
                if (slice.stats.count() >= settings.minGroupCount() && Double.isFinite(slice.loss())) {
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

        Optional<Target> target = target(byValue, cells);
        target.ifPresent(t -> result.put("target", t.figures(all, allReplicates, cells)));

        if (settings.bootstrap() == 0) {
            return result; // without resampling the rows are not bucketed, so there are no subsamples either
        }
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int k = 0; k < levels.length; k++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("fraction", Resampling.CURVE_FRACTIONS[k]);
            point.put("n", levels[k].stats.count());
            point.put("loss", Json.number(levels[k].loss()));
            point.put("ci", normalInterval(levels[k].stats.loss(), curveStderr(all, levels[k], k)));
            if (target.isPresent()) {
                int buckets = Resampling.bucketsIn(Resampling.CURVE_FRACTIONS[k]);
                point.put("reweighted_loss", Json.number(target.get().reweighted(cells.stream()
                        .filter(cell -> cell.bucket() < buckets).toList())));
            }
            curve.add(point);
        }
        result.put("curve", curve);
        return result;
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
        gap.put("ci", interval(gapReplicates));
        gap.put("highest", highest);
        gap.put("lowest", lowest);
        gap.put("groups_compared", eligible.size());
        return gap;
    }

    /**
     * The standard error of the learning curve's subsample at {@code CURVE_FRACTIONS[k]}, its buckets
     * {@code 0 .. n_k − 1}. Rows resampled: the subsample's own row-level {@link LossStats#stderr()}. Clusters:
     * its own buckets are too few to measure a spread (1% is one bucket), so the full data's
     * {@code Σ_c e_c²} is scaled to the subsample's share of the clusters, {@code n_k/B} (the subsample is a
     * uniform random share of them): {@code sqrt(n_k/B · Σ_c e_c²) / Σ_{sub} wx}.
     */
    private OptionalDouble curveStderr(Slice all, Slice level, int k) {
        if (settings.clustering().isEmpty()) {
            return level.stats.stderr();
        }
        if (!all.spread() || !(level.stats.denominatorSum() > 0)) {
            return OptionalDouble.empty();
        }
        double share = (double) Resampling.bucketsIn(Resampling.CURVE_FRACTIONS[k]) / BUCKETS;
        return OptionalDouble.of(Math.sqrt(share * all.clusterSquares()) / level.stats.denominatorSum());
    }

    /**
     * {@code L̂ ± z·stderr} from the linearised standard error: the learning curve's subsamples are made of
     * few buckets (1% is one), too few to resample, so their intervals are normal ones.
     */
    private List<Double> normalInterval(OptionalDouble loss, OptionalDouble stderr) {
        if (settings.bootstrap() == 0 || loss.isEmpty() || stderr.isEmpty()) {
            return null;
        }
        double z = new NormalDistribution().inverseCumulativeProbability((1 + settings.confidence()) / 2);
        double halfWidth = z * stderr.getAsDouble();
        return List.of(loss.getAsDouble() - halfWidth, loss.getAsDouble() + halfWidth);
    }

    private List<Double> interval(double[] replicates) {
        double[] interval = settings.bootstrap() > 0 ? Resampling.percentileInterval(replicates, settings.confidence()) : null;
        return interval == null ? null : List.of(interval[0], interval[1]);
    }

    private Optional<Target> target(List<Map<String, Slice>> byValue, List<Cell> cells) {
        List<Integer> columns = new ArrayList<>();
        for (String column : settings.target().keySet()) {
            int index = groupColumns.indexOf(column);
            if (index < 0) {
                warnings.add(format("target column '%s' is not a group column of this input: it is not used for reweighting", column));
            }
            else {
                columns.add(index);
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target(columns, byValue));
    }

    /** Reweighting to target shares: post-stratification for one column, raking for several. */
    private final class Target {
        private final List<Integer> columns;
        /** Per target column: value → renormalised target share over covered values. */
        private final List<Map<String, Double>> shares = new ArrayList<>();
        private final List<Map<String, Object>> unidentified = new ArrayList<>();
        private final List<String> notInTarget = new ArrayList<>();
        private final double uncoveredShare;
        private final Map<String, Object> shareFigures = new LinkedHashMap<>();
        private boolean converged = true;

        Target(List<Integer> columns, List<Map<String, Slice>> byValue) {
            this.columns = columns;
            double covered = 1;
            double totalWeight = byValue.get(columns.get(0)).values().stream().mapToDouble(s -> s.stats.weightSum()).sum();
            for (int column : columns) {
                String name = groupColumns.get(column);
                Map<String, Double> target = settings.target().get(name);
                Map<String, Slice> slices = byValue.get(column);
                Map<String, Double> coveredShares = new LinkedHashMap<>();
                double uncovered = 0;
                Map<String, Object> columnShares = new LinkedHashMap<>();
                for (Map.Entry<String, Double> entry : target.entrySet()) {
                    Slice slice = slices.get(entry.getKey());
                    long count = slice == null ? 0 : slice.stats.count();
                    Map<String, Object> share = new LinkedHashMap<>();
                    share.put("sample_share", slice == null || totalWeight == 0 ? 0.0 : slice.stats.weightSum() / totalWeight);
                    share.put("target_share", entry.getValue());
                    share.put("count", count);
                    columnShares.put(entry.getKey(), share);
                    if (entry.getValue() == 0) {
                        continue;
                    }
                    if (count < settings.minGroupCount()) {
                        uncovered += entry.getValue();
                        Map<String, Object> missing = new LinkedHashMap<>();
                        missing.put("column", name);
                        missing.put("value", entry.getKey());
                        missing.put("target_share", entry.getValue());
                        missing.put("count", count);
                        unidentified.add(missing);
                        warnings.add(format("target group %s=%s (target share %s) has %d rows (< min-group-count %d): "
                                + "its loss cannot be estimated; the reweighted loss covers the other groups",
                                name, entry.getKey(), entry.getValue(), count, settings.minGroupCount()));
                    }
                    else {
                        coveredShares.put(entry.getKey(), entry.getValue());
                    }
                }
                for (String value : slices.keySet()) {
                    if (!target.containsKey(value) && slices.get(value).stats.count() > 0) {
                        notInTarget.add(name + "=" + value);
                    }
                }
                double coveredTotal = coveredShares.values().stream().mapToDouble(Double::doubleValue).sum();
                coveredShares.replaceAll((value, share) -> share / coveredTotal);
                shares.add(coveredShares);
                shareFigures.put(name, columnShares);
                covered *= 1 - uncovered;
            }
            this.uncoveredShare = 1 - covered;
        }

        /** Target cells: the values of the target columns; empty for cells outside the covered target. */
        private Optional<List<String>> targetKey(Cell cell) {
            List<String> key = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                String value = cell.key().get(columns.get(c));
                if (!shares.get(c).containsKey(value)) {
                    return Optional.empty();
                }
                key.add(value);
            }
            return Optional.of(key);
        }

        /** Per target cell and bucket: Σw, Σwy, Σwx of the given cells. */
        private Table table(List<Cell> cells) {
            Map<List<String>, double[][]> sums = new LinkedHashMap<>();
            for (Cell cell : cells) {
                Optional<List<String>> key = targetKey(cell);
                if (key.isPresent()) {
                    double[][] s = sums.computeIfAbsent(key.get(), k -> new double[3][BUCKETS]);
                    s[0][cell.bucket()] += cell.stats().weightSum();
                    s[1][cell.bucket()] += cell.stats().numeratorSum();
                    s[2][cell.bucket()] += cell.stats().denominatorSum();
                }
            }
            return new Table(new ArrayList<>(sums.keySet()), new ArrayList<>(sums.values()));
        }

        /** The reweighted loss of a table under bucket weights (null: all 1). */
        double reweighted(Table table, double[] bucketWeights) {
            int size = table.keys().size();
            double[][] totals = new double[size][3];
            for (int c = 0; c < size; c++) {
                for (int k = 0; k < 3; k++) {
                    double total = 0;
                    double[] perBucket = table.sums().get(c)[k];
                    for (int b = 0; b < BUCKETS; b++) {
                        total += (bucketWeights == null ? 1 : bucketWeights[b]) * perBucket[b];
                    }
                    totals[c][k] = total;
                }
            }
            double[] factors = rake(table.keys(), totals);
            if (factors == null) {
                return Double.NaN;
            }
            // L_target = Σ_c a_c·Σwy_c / Σ_c a_c·Σwx_c
            double numerator = 0;
            double denominator = 0;
            for (int c = 0; c < size; c++) {
                numerator += factors[c] * totals[c][1];
                denominator += factors[c] * totals[c][2];
            }
            return denominator > 0 ? numerator / denominator : Double.NaN;
        }

        double reweighted(List<Cell> cells) {
            return reweighted(table(cells), null);
        }

        /**
         * Iterative proportional fitting: factors a_c such that, for every target column, the share of
         * Σ_c a_c·w_c per value equals the (renormalised) target share; one column = post-stratification.
         * Null when a covered target value has no weight (in a bootstrap replicate).
         */
        private double[] rake(List<List<String>> keys, double[][] totals) {
            double[] factors = new double[keys.size()];
            Arrays.fill(factors, 1.0);
            for (int iteration = 0; iteration < 1000; iteration++) {
                double worst = 0;
                for (int c = 0; c < columns.size(); c++) {
                    double total = 0;
                    Map<String, Double> current = new LinkedHashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        double weight = factors[i] * totals[i][0];
                        current.merge(keys.get(i).get(c), weight, Double::sum);
                        total += weight;
                    }
                    for (String value : shares.get(c).keySet()) {
                        if (current.getOrDefault(value, 0.0) <= 0) {
                            return null;
                        }
                    }
                    for (int i = 0; i < keys.size(); i++) {
                        double share = current.get(keys.get(i).get(c)) / total;
                        double goal = shares.get(c).get(keys.get(i).get(c));
                        worst = Math.max(worst, Math.abs(share - goal));
                        factors[i] *= goal / share;
                    }
                }
                if (columns.size() == 1 || worst < 1e-12) {
                    return factors;
                }
            }
            converged = false;
            return factors;
        }

        Map<String, Object> figures(Slice all, double[] allReplicates, List<Cell> cells) {
            Table table = table(cells);
            double reweighted = reweighted(table, null);
            double[] replicates = new double[weights.length];
            double[] biasReplicates = new double[weights.length];
            for (int r = 0; r < weights.length; r++) {
                replicates[r] = reweighted(table, weights[r]);
                // bias = empirical − reweighted, on the same resample
                biasReplicates[r] = allReplicates[r] - replicates[r];
            }
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("columns", columns.stream().map(groupColumns::get).toList());
            target.put("method", columns.size() == 1 ? "post-stratification" : "raking");
            target.put("reweighted_loss", Json.number(reweighted));
            target.put("reweighted_ci", interval(replicates));
            target.put("bias", Json.number(all.loss() - reweighted));
            target.put("bias_ci", interval(biasReplicates));
            target.put("unidentified", unidentified);
            target.put("uncovered_share", uncoveredShare);
            settings.lossBound().ifPresent(bound -> {
                // E[L] = (1 − u)·L_covered + u·L_uncovered with L_uncovered anywhere in [low, high]
                if (Double.isFinite(reweighted)) {
                    target.put("loss_range", List.of((1 - uncoveredShare) * reweighted + uncoveredShare * bound.low(),
                            (1 - uncoveredShare) * reweighted + uncoveredShare * bound.high()));
                }
            });
            target.put("not_in_target", notInTarget);
            target.put("shares", shareFigures);
            target.put("converged", converged);
            if (!notInTarget.isEmpty()) {
                warnings.add(format("groups outside the target get no weight in the reweighted loss: %s", notInTarget));
            }
            return target;
        }
    }

    /** Target cells with their per-bucket sums {Σw, Σwy, Σwx}. */
    private record Table(List<List<String>> keys, List<double[][]> sums) {
    }
}
