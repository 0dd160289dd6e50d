package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The cluster-robust {@code stderr} from bucket sums, against the exact per-cluster form computed row by row
 * in plain Java, and a small coverage simulation of clustered data through {@link LossEstimates}.
 */
class ClusteredStderrTest {
    private static final int B = Resampling.BUCKETS;

    /** One row: its cluster, group, weight w, numerator y and denominator x. */
    private record Row(int cluster, String group, double w, double y, double x) {
    }

    /** Clusters of 1–8 rows; y = x·(0.5 + cluster effect + noise), so rows of a cluster are correlated. */
    private static List<Row> clusteredRows(int clusters, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            double effect = 0.6 * random.nextDouble() - 0.3;
            String group = c % 3 == 0 ? "A" : "B";
            int size = 1 + random.nextInt(8);
            for (int i = 0; i < size; i++) {
                double x = 1 + random.nextInt(20);
                double y = x * (0.5 + effect + 0.2 * (random.nextDouble() - 0.5));
                rows.add(new Row(c, group, 0.5 + random.nextDouble(), y, x));
            }
        }
        return rows;
    }

    /** Exact {@code Σ_c (Σ_{i∈c} w_i(y_i − L̂·x_i))²} over the rows of one group (null: all), at their own L̂. */
    private static double exactClusterSquares(List<Row> rows, String group) {
        double wy = 0;
        double wx = 0;
        for (Row row : rows) {
            if (group == null || row.group().equals(group)) {
                wy += row.w() * row.y();
                wx += row.w() * row.x();
            }
        }
        double ratio = wy / wx;
        Map<Integer, Double> residuals = new LinkedHashMap<>();
        for (Row row : rows) {
            if (group == null || row.group().equals(group)) {
                residuals.merge(row.cluster(), row.w() * (row.y() - ratio * row.x()), Double::sum);
            }
        }
        return residuals.values().stream().mapToDouble(e -> e * e).sum();
    }

    private static double weightedDenominator(List<Row> rows, String group) {
        return rows.stream().filter(row -> group == null || row.group().equals(group)).mapToDouble(row -> row.w() * row.x()).sum();
    }

    /** Cells keyed by group, each row in the bucket of its cluster. */
    private static List<Cell> cells(List<Row> rows, int[] bucketOfCluster) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Row row : rows) {
            int bucket = bucketOfCluster[row.cluster()];
            cells.computeIfAbsent(row.group() + "/" + bucket, key -> new Cell(List.of(row.group()), bucket, LossStats.empty()))
                    .stats().add(row.w(), row.y(), row.x());
        }
        return new ArrayList<>(cells.values());
    }

    private static Map<String, Object> estimate(List<Cell> cells, Optional<Clustering> clustering, int bootstrap, long seed) {
        LossEstimates.Settings settings = new LossEstimates.Settings(bootstrap, 0.95, seed, 1, Map.of(), Optional.empty(), clustering);
        // the base figures as EvaluateJob makes them: the row-level stderr, which clustering replaces
        return LossEstimates.estimate(List.of("group"), cells, settings, stats -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("loss", stats.loss().orElse(Double.NaN));
            figures.put("stderr", stats.stderr().orElse(Double.NaN));
            return figures;
        }, new ArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> map, String... path) {
        Object value = map;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        return (T) value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void withOneClusterPerBucketTheStderrIsTheExactClusterFormScaledByBOverBMinusOne() {
        int clusters = 60;
        List<Row> rows = clusteredRows(clusters, 3);
        int[] buckets = new int[clusters];
        for (int c = 0; c < clusters; c++) {
            buckets[c] = (c * 37) % B; // distinct buckets
        }
        Map<String, Object> figures = estimate(cells(rows, buckets), Optional.of(new Clustering("prompt_id", clusters)), 20, 1);

        // exact: sqrt(Σ_c e_c²) / Σwx; the bucket form adds B/(B−1) (its unbiasedness factor, tested below)
        for (String group : new String[]{null, "A", "B"}) {
            double expected = Math.sqrt((double) B / (B - 1) * exactClusterSquares(rows, group)) / weightedDenominator(rows, group);
            double actual = group == null ? at(figures, "stderr") : at(figures, "groups", "group", group, "stderr");
            assertThat(actual).as("group %s", group).isCloseTo(expected, within(1e-12 * expected));
        }
        // and it is not the row-level form, which ignores that a cluster's rows move together
        double rowSquares = 0;
        double ratio = rows.stream().mapToDouble(r -> r.w() * r.y()).sum() / weightedDenominator(rows, null);
        for (Row row : rows) {
            rowSquares += Math.pow(row.w() * (row.y() - ratio * row.x()), 2);
        }
        assertThat((double) at(figures, "stderr")).isGreaterThan(1.5 * Math.sqrt(rowSquares) / weightedDenominator(rows, null));
        // the curve: at 1% (bucket 0, cluster 0 alone) the full data's Σ_c e_c² scaled by 1/100, over the subsample's Σwx
        double bucketZeroWx = rows.stream().filter(row -> row.cluster() == 0).mapToDouble(row -> row.w() * row.x()).sum();
        double halfWidth = 1.959964 * Math.sqrt(0.01 * B / (B - 1) * exactClusterSquares(rows, null)) / bucketZeroWx;
        List<Map<String, Object>> curve = at(figures, "curve");
        List<Double> first = (List<Double>) curve.get(0).get("ci");
        assertThat((first.get(1) - first.get(0)) / 2).isCloseTo(halfWidth, within(1e-6 * halfWidth));
        List<Double> last = (List<Double>) curve.get(curve.size() - 1).get("ci");
        assertThat((last.get(1) - last.get(0)) / 2).isCloseTo(1.959964 * (double) at(figures, "stderr"), within(1e-6));
        assertThat((String) at(figures, "ci_cluster")).isEqualTo("prompt_id");
        assertThat((Long) at(figures, "clusters")).isEqualTo(clusters);
    }

    @Test
    void withManyClustersPerBucketTheBucketEstimateIsUnbiasedForTheExactClusterSum() {
        int clusters = 400;
        List<Row> rows = clusteredRows(clusters, 5);
        double exact = exactClusterSquares(rows, null);
        double ratio = rows.stream().mapToDouble(r -> r.w() * r.y()).sum() / weightedDenominator(rows, null);
        SplittableRandom random = new SplittableRandom(11);
        int assignments = 6000;
        double total = 0;
        for (int a = 0; a < assignments; a++) {
            int[] bucketOf = new int[clusters];
            for (int c = 0; c < clusters; c++) {
                bucketOf[c] = random.nextInt(B);
            }
            double[] wy = new double[B];
            double[] wx = new double[B];
            for (Row row : rows) {
                wy[bucketOf[row.cluster()]] += row.w() * row.y();
                wx[bucketOf[row.cluster()]] += row.w() * row.x();
            }
            total += Resampling.clusterSquares(wy, wx, ratio);
        }
        // one estimate has ~sqrt(2/99) ≈ 14% relative noise, the mean of 6,000 about 0.2%; without B/(B−1) it is 1% low
        assertThat(total / assignments / exact).isCloseTo(1.0, within(0.006));
    }

    @Test
    void rowResamplingUnderCoversClusteredDataAndClusterResamplingCovers() {
        // y = 1 + u_c + ε with Var(u) = 0.3, Var(ε) = 0.7 (intraclass correlation 0.3), clusters of 6: design effect 2.5
        int repetitions = 200;
        int clusters = 120;
        int size = 6;
        SplittableRandom random = new SplittableRandom(2026);
        int rowCi = 0;
        int rowStderr = 0;
        int clusterCi = 0;
        int clusterStderr = 0;
        for (int r = 0; r < repetitions; r++) {
            List<Row> rows = new ArrayList<>();
            for (int c = 0; c < clusters; c++) {
                double effect = Math.sqrt(0.3) * gaussian(random);
                for (int i = 0; i < size; i++) {
                    rows.add(new Row(c * size + i, "A", 1.0, 1 + effect + Math.sqrt(0.7) * gaussian(random), 1.0));
                }
            }
            int[] byRow = new int[clusters * size];
            int[] byCluster = new int[clusters * size];
            for (int c = 0; c < clusters; c++) {
                int bucket = random.nextInt(B);
                for (int i = 0; i < size; i++) {
                    byCluster[c * size + i] = bucket;
                    byRow[c * size + i] = random.nextInt(B);
                }
            }
            Map<String, Object> rowFigures = estimate(cells(rows, byRow), Optional.empty(), 200, r);
            Map<String, Object> clusterFigures = estimate(cells(rows, byCluster), Optional.of(new Clustering("prompt_id", clusters)), 200, r);
            rowCi += covers(at(rowFigures, "ci")) ? 1 : 0;
            rowStderr += covers(normal(rowFigures)) ? 1 : 0;
            clusterCi += covers(at(clusterFigures, "ci")) ? 1 : 0;
            clusterStderr += covers(normal(clusterFigures)) ? 1 : 0;
        }
        System.out.printf("clustered coverage of 95%% intervals over %d datasets: rows ci %d, rows stderr %d, clusters ci %d, "
                + "clusters stderr %d%n", repetitions, rowCi, rowStderr, clusterCi, clusterStderr);
        // expected: rows ≈ 2Φ(1.96/√2.5) − 1 ≈ 0.79, clusters ≈ 0.95 (binomial sd ≈ 0.03 and 0.015 at R = 200)
        assertThat(rowCi).isLessThan(176);
        assertThat(rowStderr).isLessThan(176);
        assertThat(clusterCi).isBetween(180, 198);
        assertThat(clusterStderr).isBetween(180, 198);
    }

    private static List<Double> normal(Map<String, Object> figures) {
        double loss = at(figures, "loss");
        double stderr = at(figures, "stderr");
        return List.of(loss - 1.959964 * stderr, loss + 1.959964 * stderr);
    }

    private static boolean covers(List<Double> interval) {
        return interval != null && interval.get(0) <= 1.0 && 1.0 <= interval.get(1);
    }

    // Box–Muller
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
