package io.alignloss.objective.expectedutility;

import io.alignloss.diagnostics.Cell;
import io.alignloss.diagnostics.LossEstimates;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.testing.Configs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Off-policy estimates on generated logged data with a known answer: K = 4 candidate actions with utilities
 * U = (1, 0, 0.5, 2) (plus N(0, 0.5²) noise per logged row), behaviour policy π_b = (0.4, 0.3, 0.2, 0.1),
 * target policy π_t = (0.1, 0.2, 0.3, 0.4), so V(π_t) = Σ_a π_t(a)·U(a) = 0.1 + 0 + 0.15 + 0.8 = 1.05.
 * The importance weights are π_t/π_b = (0.25, 0.667, 1.5, 4). Clipped at 1 the estimate converges to
 * Σ_a π_b(a)·min(w_a, 1)·U(a) = 0.1 + 0 + 0.1 + 0.2 = 0.4: clipping trades variance for bias.
 */
class OffPolicyEstimatesTest {
    private static final double[] UTILITY = {1, 0, 0.5, 2};
    private static final double[] BEHAVIOR = {0.4, 0.3, 0.2, 0.1};
    private static final double[] TARGET = {0.1, 0.2, 0.3, 0.4};
    private static final double TRUE_VALUE = 1.05;
    private static final double CLIP = 1;
    private static final int ROWS = 2_000;
    private static final int REPETITIONS = 50;

    private final ExpectedUtilityObjective objective = new ExpectedUtilityObjective(Configs.objective("sequence",
            "{ name = eu, type = expected-utility, input = in, utility { reward = 1 }, clip = " + CLIP + " }"))
            .forInput(List.of("prompt", "response", "reward", "behavior_prob", "target_prob"));

    /** One logged data set, as the scan's cells, and the plain mean of its logged utilities (a separate loop). */
    private record Logged(List<Cell> cells, double meanUtility) {
    }

    /** One logged data set: each row in a uniformly drawn bucket (the id hash). */
    private static Logged logged(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LossStats[] buckets = new LossStats[100];
        double utilitySum = 0;
        for (int i = 0; i < ROWS; i++) {
            int action = draw(random, BEHAVIOR);
            double utility = UTILITY[action] + 0.5 * gaussian(random);
            utilitySum += utility;
            int bucket = random.nextInt(100);
            if (buckets[bucket] == null) {
                buckets[bucket] = LossStats.empty();
            }
            ExpectedUtilityObjective.addLogged(buckets[bucket], 1, utility, BEHAVIOR[action], TARGET[action], CLIP);
        }
        List<Cell> cells = new ArrayList<>();
        for (int b = 0; b < buckets.length; b++) {
            if (buckets[b] != null) {
                cells.add(new Cell(List.of(), b, buckets[b]));
            }
        }
        return new Logged(cells, utilitySum / ROWS);
    }

    private static int draw(SplittableRandom random, double[] probabilities) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int a = 0; a < probabilities.length; a++) {
            cumulative += probabilities[a];
            if (u < cumulative) {
                return a;
            }
        }
        return probabilities.length - 1;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private Map<String, Object> estimate(Logged logged, long seed) {
        LossEstimates.Settings settings = new LossEstimates.Settings(200, 0.95, seed, 30, Map.of(), Optional.empty());
        return LossEstimates.estimate(List.of(), logged.cells(), settings, stats -> {
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
            figures.put("loss", Json.number(stats.loss())); // as evaluate reports it
            figures.putAll(objective.figures(stats));
            return figures;
        }, objective::resampledFigures, new ArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static double value(Map<String, Object> figures, String name) {
        return (Double) ((Map<String, Object>) figures.get(name)).get("value");
    }

    @SuppressWarnings("unchecked")
    private static List<Double> ci(Map<String, Object> figures, String name) {
        return (List<Double>) ((Map<String, Object>) figures.get(name)).get("ci");
    }

    private static boolean covers(List<Double> interval, double truth) {
        return interval.get(0) <= truth && truth <= interval.get(1);
    }

    @Test
    void ipsAndSnipsIntervalsCoverTheTargetPolicysValueAndClippingShowsItsBias() {
        int ipsCovered = 0;
        int snipsCovered = 0;
        double clippedSum = 0;
        double clippedHalfWidthSum = 0;
        double loggedUtilitySum = 0;
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            Logged logged = logged(1000 + repetition);
            Map<String, Object> figures = estimate(logged, 1000 + repetition);
            ipsCovered += covers(ci(figures, "ips"), TRUE_VALUE) ? 1 : 0;
            snipsCovered += covers(ci(figures, "snips"), TRUE_VALUE) ? 1 : 0;
            clippedSum += value(figures, "clipped_ips");
            clippedHalfWidthSum += (ci(figures, "clipped_ips").get(1) - ci(figures, "clipped_ips").get(0)) / 2;
            loggedUtilitySum += (Double) figures.get("mean_utility");
            // the sign contract: the loss is −E[U] over the logged rows (their plain mean), whatever the off-policy figures say
            assertThat((Double) figures.get("mean_utility")).isCloseTo(logged.meanUtility(), within(1e-12));
            assertThat((Double) figures.get("loss")).isCloseTo(-logged.meanUtility(), within(1e-12));
        }
        double clippedMean = clippedSum / REPETITIONS;
        double clippedHalfWidth = clippedHalfWidthSum / REPETITIONS;
        System.out.printf("off-policy coverage over %d repetitions: ips %d, snips %d; clipped_ips mean %.4f (truth %.2f, "
                        + "mean half-width %.4f); logged mean utility %.4f%n", REPETITIONS, ipsCovered, snipsCovered, clippedMean,
                TRUE_VALUE, clippedHalfWidth, loggedUtilitySum / REPETITIONS);
        assertThat(ipsCovered).isGreaterThanOrEqualTo(45);
        assertThat(snipsCovered).isGreaterThanOrEqualTo(45);
        // clipping at 1 converges to 0.4, not 1.05: the bias is far larger than the interval
        assertThat(clippedMean).isCloseTo(0.4, within(0.05));
        assertThat(TRUE_VALUE - clippedMean).isGreaterThan(5 * clippedHalfWidth);
        // the logged data's own mean utility (behaviour policy: 0.4 + 0 + 0.1 + 0.2 = 0.7) is not the target's value
        assertThat(loggedUtilitySum / REPETITIONS).isCloseTo(0.7, within(0.02));
    }

    /**
     * Rows (U, behavior, target, row weight ω): (2, 0.5, 0.25, 1) w = 0.5; (1, 0.25, 0.75, 2) w = 3; (−1, 0.5, 1, 1) w = 2;
     * clip 1. Σ ω = 4, Σ ω·w = 0.5 + 6 + 2 = 8.5, Σ ω·w·U = 1 + 6 − 2 = 5.
     * mean utility = (2 + 2 − 1) / 4 = 3/4; ips = 5/4; snips = 5 / 8.5 = 10/17;
     * clipped = (0.5·2 + 2·1·1 + 1·(−1)) / 4 = 1/2 — four different numbers, so no estimator can pass for another.
     * ess (Kish) = 8.5² / (0.5² + 6² + 2²) = 72.25 / 40.25 = 289/161 (the frequency form 72.25 / 22.25 would be 3.25);
     * importance_weight_mean = 8.5 / 4.
     */
    @Test
    void figuresFollowTheFormulasOnAHandExample() {
        LossStats stats = LossStats.empty();
        ExpectedUtilityObjective.addLogged(stats, 1, 2, 0.5, 0.25, CLIP);
        ExpectedUtilityObjective.addLogged(stats, 2, 1, 0.25, 0.75, CLIP);
        ExpectedUtilityObjective.addLogged(stats, 1, -1, 0.5, 1, CLIP);
        Map<String, Object> figures = objective.figures(stats);
        assertThat((Double) figures.get("mean_utility")).isCloseTo(3.0 / 4, within(1e-12));
        assertThat((Double) figures.get("ips")).isCloseTo(5.0 / 4, within(1e-12));
        assertThat((Double) figures.get("snips")).isCloseTo(10.0 / 17, within(1e-12));
        assertThat((Double) figures.get("clipped_ips")).isCloseTo(1.0 / 2, within(1e-12));
        assertThat((Double) figures.get("ess")).isCloseTo(289.0 / 161, within(1e-12));
        assertThat((Double) figures.get("importance_weight_mean")).isCloseTo(8.5 / 4, within(1e-12));
    }

    @Test
    void withoutBehaviorProbTheObjectiveHasNoOffPolicyFigures() {
        ExpectedUtilityObjective onPolicy = objective.forInput(List.of("prompt", "response", "reward"));
        assertThat(onPolicy.offPolicy()).isFalse();
        assertThat(onPolicy.sums()).isEmpty();
        assertThat(onPolicy.figures(LossStats.empty().add(1, -1, 1))).doesNotContainKeys("ips", "snips", "ess");
    }
}
