package io.alignloss.objective.expectedutility;

import io.alignloss.stats.LossStats;
import io.alignloss.testing.Configs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * IPS, SNIPS and clipped IPS on a hand example where they differ from each other and from the plain mean. Rows
 * (ω, μ, π, U): (1, ½, ¼, 2), (2, ¼, ¾, 1), (1, 0.8, 0.4, −1), so w = (½, 3, ½), n = Σ ω = 4, D = Σ ω·w = 7,
 * N = Σ ω·w·U = 1 + 6 − ½ = 6.5; with clip 2, Σ ω·min(w, 2)·U = 1 + 4 − ½ = 4.5. IPS = 6.5/4 = 1.625,
 * SNIPS = 6.5/7, clipped IPS = 4.5/4 = 1.125, and the plain weighted mean of U is (2 + 2 − 1)/4 = 0.75.
 */
class OffPolicyEstimatorsTest {
    private static final double[][] ROWS = {{1, 0.5, 0.25, 2}, {2, 0.25, 0.75, 1}, {1, 0.8, 0.4, -1}};

    @Test
    void handExampleThroughTheObjectivesSums() {
        ExpectedUtilityObjective objective = new ExpectedUtilityObjective(Configs.objective("sequence",
                "{ name = eu, type = expected-utility, input = in, utility { reward = 1 }, clip = 2 }"))
                .forInput(List.of("reward", "behavior_prob", "target_prob"));
        LossStats stats = LossStats.empty();
        for (double[] row : ROWS) {
            ExpectedUtilityObjective.addLogged(stats, row[0], row[3], row[1], row[2], objective.clip());
        }
        Map<String, Double> figures = objective.resampledFigures(stats);
        assertThat(figures.get("ips")).isCloseTo(1.625, within(1e-15));
        assertThat(figures.get("snips")).isCloseTo(6.5 / 7, within(1e-15));
        assertThat(figures.get("clipped_ips")).isCloseTo(1.125, within(1e-15));
        assertThat((Double) objective.figures(stats).get("mean_utility")).isCloseTo(0.75, within(1e-15));
        // Kish's ESS of ω·w = (½, 6, ½): 7² / (¼ + 36 + ¼)
        assertThat((Double) objective.figures(stats).get("ess")).isCloseTo(49 / 36.5, within(1e-12));
    }

    @Test
    void theTwoWeightFormsAgreeAndEmptyDenominatorsGiveNaN() {
        for (double[] row : ROWS) {
            assertThat(OffPolicyEstimators.importanceWeightFromLog(Math.log(row[2]), row[1]))
                    .isCloseTo(OffPolicyEstimators.importanceWeight(row[2], row[1]), within(1e-15));
        }
        assertThat(OffPolicyEstimators.importanceWeight(0.75, 0.25)).isEqualTo(3);
        assertThat(OffPolicyEstimators.clipped(3, 2)).isEqualTo(2);
        assertThat(OffPolicyEstimators.clipped(0.5, 2)).isEqualTo(0.5);
        assertThat(OffPolicyEstimators.ips(1, 0)).isNaN();
        assertThat(OffPolicyEstimators.snips(0, 0)).isNaN();
        assertThat(OffPolicyEstimators.clippedIps(1, 0)).isNaN();
    }

    /**
     * The doubly robust estimators on the same rows with DM_x = (1, 2, 0) and the logged candidates' q̂ = (0, 2, 0), so
     * U − q̂ = (2, −1, −1): Σ ω·DM_x = 1 + 4 + 0 = 5, Σ ω·w·(U − q̂) = 1 − 6 − ½ = −5.5, and at τ = 2 (the row with
     * w = 3 switched to q̂ alone) Σ ω·1{w ≤ 2}·w·(U − q̂) = 1 − ½ = 0.5. DM = 5/4, DR = −0.5/4 = −0.125,
     * SNDR = 5/4 − 5.5/7, switch-DR = 5.5/4: all differ from each other and from IPS (1.625).
     */
    @Test
    void doublyRobustHandExample() {
        double[] direct = {1, 2, 0};
        double[] qHat = {0, 2, 0};
        double directSum = 0;
        double correction = 0;
        double switchedCorrection = 0;
        double rowWeights = 0;
        double importanceWeights = 0;
        for (int i = 0; i < ROWS.length; i++) {
            double omega = ROWS[i][0];
            double w = OffPolicyEstimators.importanceWeight(ROWS[i][2], ROWS[i][1]);
            directSum += omega * direct[i];
            correction += omega * w * (ROWS[i][3] - qHat[i]);
            switchedCorrection += omega * OffPolicyEstimators.switched(w, 2) * (ROWS[i][3] - qHat[i]);
            rowWeights += omega;
            importanceWeights += omega * w;
        }
        assertThat(OffPolicyEstimators.directMethod(directSum, rowWeights)).isCloseTo(1.25, within(1e-15));
        assertThat(OffPolicyEstimators.doublyRobust(directSum, correction, rowWeights)).isCloseTo(-0.125, within(1e-15));
        assertThat(OffPolicyEstimators.selfNormalisedDoublyRobust(directSum, correction, rowWeights, importanceWeights))
                .isCloseTo(1.25 - 5.5 / 7, within(1e-15));
        assertThat(OffPolicyEstimators.switchDoublyRobust(directSum, switchedCorrection, rowWeights)).isCloseTo(5.5 / 4, within(1e-15));
    }

    @Test
    void theDirectTermAndTheSwitchedWeight() {
        // π = (¼, ¾) over q̂ = (2, 0): ½; three candidates (0.2, 0.3, 0.5)·(1, −1, 4) = 0.2 − 0.3 + 2
        assertThat(OffPolicyEstimators.directTerm(new double[] {0.25, 0.75}, new double[] {2, 0})).isEqualTo(0.5);
        assertThat(OffPolicyEstimators.directTerm(new double[] {0.2, 0.3, 0.5}, new double[] {1, -1, 4})).isCloseTo(1.9, within(1e-15));
        assertThat(OffPolicyEstimators.switched(3, 2)).isZero();
        assertThat(OffPolicyEstimators.switched(2, 2)).as("kept at w = τ").isEqualTo(2);
        assertThat(OffPolicyEstimators.switched(0.5, 2)).isEqualTo(0.5);
        assertThat(OffPolicyEstimators.switched(0.5, Double.POSITIVE_INFINITY)).isEqualTo(0.5);
        assertThat(OffPolicyEstimators.doublyRobust(1, 1, 0)).isNaN();
        assertThat(OffPolicyEstimators.selfNormalisedDoublyRobust(1, 1, 2, 0)).isNaN();
    }
}
