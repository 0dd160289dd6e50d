package io.alignloss.objective.dpo;

import io.alignloss.config.DpoLossType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each loss type on hand-worked pairs. The expected values were computed outside this code base (Python's {@code math},
 * with the naive {@code −log(1/(1+e^−z))}) from the formulas of issue 18; they are written here as constants.
 *
 * <p>The pair used throughout: c = −10, c₀ = −12, r = −15, r₀ = −14, so c − c₀ = 2, r − r₀ = −1 and Δ = 3.
 */
class DpoLossTest {
    private static final double C = -10;
    private static final double C0 = -12;
    private static final double R = -15;
    private static final double R0 = -14;

    @Test
    void marginsAndRewardsFollowTheirDefinitions() {
        assertThat(DpoLoss.delta(C, C0, R, R0)).isEqualTo(3.0);
        assertThat(DpoLoss.reward(0.5, C, C0)).isEqualTo(1.0);
        assertThat(DpoLoss.reward(0.5, R, R0)).isEqualTo(-0.5);
        // n_c = 4, n_r = 2: Δ̄ = 2/4 − (−1)/2 = 1
        assertThat(DpoLoss.normalisedDelta(C, C0, 4, R, R0, 2)).isEqualTo(1.0);
        // reference-free: Δ = c − r = 5
        assertThat(DpoLoss.delta(C, 0, R, 0)).isEqualTo(5.0);
    }

    @Test
    void sigmoidWithAndWithoutLabelSmoothing() {
        // β = 0.5, βΔ = 1.5: −log σ(1.5)
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 0.5, 0, 3)).isCloseTo(0.2014132779827524, within(1e-15));
        // ε = 0.1: 0.9·(−log σ(1.5)) + 0.1·(−log σ(−1.5))
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 0.5, 0.1, 3)).isCloseTo(0.35141327798275246, within(1e-15));
        // reference-free, β = 0.1, Δ = 5: −log σ(0.5)
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 0.1, 0, DpoLoss.delta(C, 0, R, 0))).isCloseTo(0.47407698418010663, within(1e-15));
        // a tie βΔ = 0: log 2
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 0.1, 0, 0)).isCloseTo(Math.log(2), within(1e-16));
    }

    @Test
    void robustDividesTheSignedSmoothedTermsByOneMinusTwoEpsilon() {
        // (0.9·(−log σ(1.5)) − 0.1·(−log σ(−1.5))) / 0.8
        assertThat(DpoLoss.loss(DpoLossType.ROBUST, 0.5, 0.1, 3)).isCloseTo(0.013913277982752388, within(1e-15));
        // ε = 0: the plain sigmoid loss
        assertThat(DpoLoss.loss(DpoLossType.ROBUST, 0.5, 0, 3)).isCloseTo(0.2014132779827524, within(1e-15));
    }

    @Test
    void hingeIsZeroBeyondAMarginOfOne() {
        assertThat(DpoLoss.loss(DpoLossType.HINGE, 0.5, 0, 3)).isEqualTo(0.0);
        // βΔ = 0.1·3 = 0.3: 1 − 0.3
        assertThat(DpoLoss.loss(DpoLossType.HINGE, 0.1, 0, 3)).isCloseTo(0.7, within(1e-15));
        // βΔ = −0.5: 1.5
        assertThat(DpoLoss.loss(DpoLossType.HINGE, 0.1, 0, -5)).isCloseTo(1.5, within(1e-15));
    }

    @Test
    void ipoAndSigmoidNormReadTheLengthNormalisedMargin() {
        double normalised = DpoLoss.normalisedDelta(C, C0, 4, R, R0, 2);
        // β = 0.25: 1/(2β) = 2, (1 − 2)² = 1
        assertThat(DpoLoss.loss(DpoLossType.IPO, 0.25, 0, normalised)).isCloseTo(1.0, within(1e-15));
        // β = 0.5: 1/(2β) = 1, (1 − 1)² = 0
        assertThat(DpoLoss.loss(DpoLossType.IPO, 0.5, 0, normalised)).isEqualTo(0.0);
        // β = 0.5, βΔ̄ = 0.5: −log σ(0.5)
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID_NORM, 0.5, 0, normalised)).isCloseTo(0.47407698418010663, within(1e-15));
    }

    @Test
    void extremeMarginsStayFinite() {
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 1, 0, 1000)).isEqualTo(0.0);
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 1, 0, -1000)).isEqualTo(1000.0);
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID, 1, 0.25, 1000)).isEqualTo(250.0);
        assertThat(DpoLoss.loss(DpoLossType.ROBUST, 1, 0.25, -1000)).isEqualTo(1500.0);
        assertThat(DpoLoss.loss(DpoLossType.SIGMOID_NORM, 1, 0, -1000)).isEqualTo(1000.0);
    }

    @Test
    void aTieIsNotCorrect() {
        assertThat(DpoLoss.correct(0.1, 1e-9)).isTrue();
        assertThat(DpoLoss.correct(0.1, 0)).isFalse();
        assertThat(DpoLoss.correct(0.1, -1e-9)).isFalse();
        assertThat(DpoLoss.bothNegative(-0.1, -0.2)).isTrue();
        assertThat(DpoLoss.bothNegative(0, -0.2)).isFalse();
        assertThat(DpoLoss.bothNegative(-0.1, 0.2)).isFalse();
    }
}
