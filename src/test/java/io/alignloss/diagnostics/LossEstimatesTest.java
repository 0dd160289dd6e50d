package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The estimator on generated data with a known population: groups A and B with known expected losses, A
 * over-represented 9:1 while the target is 1:1.
 */
class LossEstimatesTest {
    private static final double LOSS_A = 0.3;
    private static final double LOSS_B = 0.8;
    /** The expected loss of the target population (A:B = 1:1). */
    private static final double TRUE_TARGET_LOSS = (LOSS_A + LOSS_B) / 2;

    /** Rows → cells keyed by group and a random bucket, as the Spark scan builds them. */
    private static List<Cell> sample(int rows, double shareA, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, LossStats> cells = new HashMap<>();
        Map<String, Cell> keys = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            String group = random.nextDouble() < shareA ? "A" : "B";
            double mean = group.equals("A") ? LOSS_A : LOSS_B;
            // a per-example loss with the group's mean: exponential, as losses are skewed
            double loss = -mean * Math.log(1 - random.nextDouble());
            int bucket = random.nextInt(Resampling.BUCKETS);
            String key = group + "/" + bucket;
            LossStats stats = cells.computeIfAbsent(key, k -> LossStats.empty());
            stats.add(1.0, loss, 1.0);
            keys.computeIfAbsent(key, k -> new Cell(List.of(group), bucket, stats));
        }
        return new ArrayList<>(keys.values());
    }

    private static Map<String, Object> estimate(List<Cell> cells, Map<String, Map<String, Double>> target, long seed) {
        LossEstimates.Settings settings = new LossEstimates.Settings(200, 0.95, seed, 30, target, Optional.empty());
        return LossEstimates.estimate(List.of("group"), cells, settings, stats -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("loss", stats.loss().orElse(Double.NaN));
            figures.put("count", stats.count());
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
    void reweightedIntervalCoversTheTargetLossAndTheNaiveOneDoesNot() {
        Map<String, Map<String, Double>> target = Map.of("group", Map.of("A", 0.5, "B", 0.5));
        int reweightedCovers = 0;
        int naiveCovers = 0;
        int repetitions = 200;
        for (int rep = 0; rep < repetitions; rep++) {
            Map<String, Object> figures = estimate(sample(4000, 0.9, 1000 + rep), target, 77 + rep);
            List<Double> reweighted = at(figures, "target", "reweighted_ci");
            List<Double> naive = (List<Double>) figures.get("ci");
            if (reweighted.get(0) <= TRUE_TARGET_LOSS && TRUE_TARGET_LOSS <= reweighted.get(1)) {
                reweightedCovers++;
            }
            if (naive.get(0) <= TRUE_TARGET_LOSS && TRUE_TARGET_LOSS <= naive.get(1)) {
                naiveCovers++;
            }
        }
        // nominal 95%: at least 90% of the 200 intervals cover the truth; the naive one, centred near
        // 0.9·0.3 + 0.1·0.8 = 0.35, essentially never does
        assertThat(reweightedCovers).isGreaterThanOrEqualTo(180);
        assertThat(naiveCovers).isLessThanOrEqualTo(5);
    }

    @Test
    void learningCurveShrinksTheIntervalButNotTheGapToTheTarget() {
        Map<String, Object> figures = estimate(sample(200_000, 0.9, 5), Map.of("group", Map.of("A", 0.5, "B", 0.5)), 9);
        List<Map<String, Object>> curve = (List<Map<String, Object>>) figures.get("curve");
        assertThat(curve).extracting(point -> point.get("fraction")).containsExactly(0.01, 0.03, 0.1, 0.3, 1.0);
        List<Double> first = (List<Double>) curve.get(0).get("ci");
        List<Double> last = (List<Double>) curve.get(4).get("ci");
        double widthFirst = first.get(1) - first.get(0);
        double widthLast = last.get(1) - last.get(0);
        // 100× the rows: the interval narrows like 1/√n, about 10×
        assertThat(widthFirst / widthLast).isBetween(6.0, 16.0);
        double gapFirst = TRUE_TARGET_LOSS - (Double) curve.get(0).get("loss");
        double gapLast = TRUE_TARGET_LOSS - (Double) curve.get(4).get("loss");
        // the bias stays about 0.55 − 0.35 = 0.2 however many rows
        assertThat(gapFirst).isCloseTo(0.2, within(0.06));
        assertThat(gapLast).isCloseTo(0.2, within(0.01));
        assertThat(gapLast).isGreaterThan(10 * widthLast);
        assertThat((Double) curve.get(4).get("reweighted_loss")).isCloseTo(TRUE_TARGET_LOSS, within(0.01));
        assertThat((Long) curve.get(0).get("n")).isBetween(1600L, 2400L);
    }

    @Test
    void uncoveredTargetGroupsAreStatedAndTheRangeGiven() {
        Map<String, Map<String, Double>> target = Map.of("group", Map.of("A", 0.5, "B", 0.3, "C", 0.2));
        LossEstimates.Settings settings = new LossEstimates.Settings(100, 0.95, 3, 30, target,
                Optional.of(new io.alignloss.config.DiagnosticsConfig.LossBound(0, 2)));
        List<String> warnings = new ArrayList<>();
        Map<String, Object> figures = LossEstimates.estimate(List.of("group"), sample(5000, 0.9, 11), settings,
                stats -> new LinkedHashMap<>(Map.of("loss", stats.loss().orElse(Double.NaN))), warnings);
        List<Map<String, Object>> unidentified = at(figures, "target", "unidentified");
        assertThat(unidentified).hasSize(1);
        assertThat(unidentified.get(0)).containsEntry("value", "C").containsEntry("count", 0L);
        assertThat((Double) at(figures, "target", "uncovered_share")).isCloseTo(0.2, within(1e-12));
        // covered groups renormalised to A:B = 5:3
        double reweighted = at(figures, "target", "reweighted_loss");
        Map<String, Object> a = at(figures, "groups", "group", "A");
        Map<String, Object> b = at(figures, "groups", "group", "B");
        assertThat(reweighted).isCloseTo(0.625 * (Double) a.get("loss") + 0.375 * (Double) b.get("loss"), within(1e-12));
        // and the group losses themselves from the cells by a plain loop
        double[][] sums = new double[2][2];
        for (Cell cell : sample(5000, 0.9, 11)) {
            int g = cell.key().get(0).equals("A") ? 0 : 1;
            sums[g][0] += cell.stats().weightSum() * cell.stats().loss().getAsDouble();
            sums[g][1] += cell.stats().weightSum();
        }
        assertThat((Double) a.get("loss")).isCloseTo(sums[0][0] / sums[0][1], within(1e-12));
        assertThat((Double) b.get("loss")).isCloseTo(sums[1][0] / sums[1][1], within(1e-12));
        List<Double> range = at(figures, "target", "loss_range");
        assertThat(range.get(0)).isCloseTo(0.8 * reweighted, within(1e-12));
        assertThat(range.get(1)).isCloseTo(0.8 * reweighted + 0.2 * 2, within(1e-12));
        assertThat(warnings).anyMatch(warning -> warning.contains("target group group=C"));
    }

    @Test
    void rakingMatchesEveryMarginal() {
        // two columns; cells with known losses; targets chosen so raking must move both marginals
        List<Cell> cells = new ArrayList<>();
        String[][] keys = {{"x", "p"}, {"x", "q"}, {"y", "p"}, {"y", "q"}};
        double[] weights = {40, 10, 30, 20};
        double[] losses = {1, 2, 3, 4};
        for (int c = 0; c < 4; c++) {
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                LossStats stats = LossStats.empty();
                for (int i = 0; i < 2; i++) {
                    stats.add(weights[c] / Resampling.BUCKETS / 2, losses[c], 1);
                }
                cells.add(new Cell(List.of(keys[c][0], keys[c][1]), b, stats));
            }
        }
        Map<String, Map<String, Double>> target = new LinkedHashMap<>();
        target.put("first", Map.of("x", 0.5, "y", 0.5));
        target.put("second", Map.of("p", 0.5, "q", 0.5));
        LossEstimates.Settings settings = new LossEstimates.Settings(0, 0.95, 1, 1, target, Optional.empty());
        Map<String, Object> figures = LossEstimates.estimate(List.of("first", "second"), cells, settings,
                stats -> new LinkedHashMap<>(Map.of("loss", stats.loss().orElse(Double.NaN))), new ArrayList<>());
        assertThat((String) at(figures, "target", "method")).isEqualTo("raking");
        assertThat((Boolean) at(figures, "target", "converged")).isTrue();
        // IPF solution for this 2×2 table: factors a_xp·40 = a_yq·20 = 0.5·(1/(1+r)), with the odds ratio
        // r = (40·20)/(10·30) kept; the raked cell shares s satisfy s_xp = s_yq, s_xq = s_yp, s_xp/s_xq = √(8/3)
        double ratio = Math.sqrt(8.0 / 3);
        double sxp = 0.5 * ratio / (1 + ratio);
        double sxq = 0.5 / (1 + ratio);
        double expected = sxp * 1 + sxq * 2 + sxq * 3 + sxp * 4;
        assertThat((Double) at(figures, "target", "reweighted_loss")).isCloseTo(expected, within(1e-9));
    }

    /**
     * A token-weighted objective (x = tokens) post-stratified to A:B = 1:1. Per bucket, group A has rows (w, y, x) =
     * (1, 2, 1) and (1, 6, 3): W_A = 2, Ȳ_A = 8/2 = 4, X̄_A = 4/2 = 2, token loss L̂_A = 2; group B has (1, 30, 10):
     * W_B = 1, Ȳ_B = 30, X̄_B = 10, L̂_B = 3. The target ratio E_T[wy]/E_T[wx] = (½·4 + ½·30) / (½·2 + ½·10) = 17/6,
     * not Σ π_g·L̂_g = 2.5, and not the empirical 3800/1400.
     */
    @Test
    void tokenWeightedReweightingIsTheRatioOfTargetWeightedMeansNotTheMeanOfGroupLosses() {
        List<Cell> cells = new ArrayList<>();
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            cells.add(new Cell(List.of("A"), b, LossStats.empty().add(1, 2, 1).add(1, 6, 3)));
            cells.add(new Cell(List.of("B"), b, LossStats.empty().add(1, 30, 10)));
        }
        LossEstimates.Settings settings = new LossEstimates.Settings(0, 0.95, 1, 1, Map.of("group", Map.of("A", 0.5, "B", 0.5)),
                Optional.empty());
        Map<String, Object> figures = LossEstimates.estimate(List.of("group"), cells, settings,
                stats -> new LinkedHashMap<>(Map.of("loss", stats.loss().orElse(Double.NaN))), new ArrayList<>());
        assertThat((String) at(figures, "target", "method")).isEqualTo("post-stratification");
        assertThat((Double) at(figures, "target", "reweighted_loss")).isCloseTo(17.0 / 6, within(1e-12));
        assertThat((Double) at(figures, "loss")).isCloseTo(3800.0 / 1400, within(1e-12));
    }

    @Test
    void poissonWeightsHaveMeanAndVarianceOne() {
        double[][] weights = Resampling.poissonWeights(400, 5);
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (double[] replicate : weights) {
            for (double w : replicate) {
                sum += w;
                squares += w * w;
                n++;
            }
        }
        double mean = sum / n;
        assertThat(mean).isCloseTo(1.0, within(0.01));
        assertThat(squares / n - mean * mean).isCloseTo(1.0, within(0.02));
        assertThat(Resampling.poissonWeights(3, 5)[2]).isEqualTo(Resampling.poissonWeights(3, 5)[2]);
    }

    @Test
    void percentileIntervalInterpolatesAndRefusesMostlyUndefinedReplicates() {
        double[] values = new double[101];
        for (int i = 0; i <= 100; i++) {
            values[i] = i;
        }
        double[] interval = Resampling.percentileInterval(values, 0.9);
        assertThat(interval[0]).isCloseTo(5.0, within(1e-9));
        assertThat(interval[1]).isCloseTo(95.0, within(1e-9));
        values[0] = Double.NaN;
        values[1] = Double.NaN;
        assertThat(Resampling.percentileInterval(values, 0.9)).isNotNull();
        for (int i = 0; i < 10; i++) {
            values[i] = Double.NaN;
        }
        assertThat(Resampling.percentileInterval(values, 0.9)).isNull();
    }
}
