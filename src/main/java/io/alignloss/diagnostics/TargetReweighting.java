package io.alignloss.diagnostics;

import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;

/** Reweighting to target shares: post-stratification for one column, raking for several. */
final class TargetReweighting {
    private static final int BUCKETS = Resampling.BUCKETS;

    private final List<String> groupColumns;
    private final LossEstimates.Settings settings;
    private final Intervals intervals;
    private final List<String> warnings;
    private final List<Integer> columns;
    /** Per target column: value → renormalised target share over covered values. */
    private final List<Map<String, Double>> shares = new ArrayList<>();
    private final List<Map<String, Object>> unidentified = new ArrayList<>();
    private final List<String> notInTarget = new ArrayList<>();
    private final double uncoveredShare;
    private final Map<String, Object> shareFigures = new LinkedHashMap<>();
    private boolean converged = true;

    private TargetReweighting(List<String> groupColumns, LossEstimates.Settings settings, Intervals intervals, List<String> warnings,
            List<Integer> columns, List<Map<String, Slice>> byValue) {
        this.groupColumns = groupColumns;
        this.settings = settings;
        this.intervals = intervals;
        this.warnings = warnings;
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

    /**
     * The reweighting to {@code settings.target()}'s columns that are group columns (a warning for each that is not);
     * empty when none is.
     */
    static Optional<TargetReweighting> of(List<String> groupColumns, LossEstimates.Settings settings, Intervals intervals,
            List<String> warnings, List<Map<String, Slice>> byValue) {
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
        return Optional.of(new TargetReweighting(groupColumns, settings, intervals, warnings, columns, byValue));
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
    private double reweighted(Table table, double[] bucketWeights) {
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
        double[][] weights = intervals.weights();
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
        target.put("reweighted_ci", intervals.percentile(replicates));
        target.put("bias", Json.number(all.loss() - reweighted));
        target.put("bias_ci", intervals.percentile(biasReplicates));
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

    /** Target cells with their per-bucket sums {Σw, Σwy, Σwx}. */
    private record Table(List<List<String>> keys, List<double[][]> sums) {
    }
}
