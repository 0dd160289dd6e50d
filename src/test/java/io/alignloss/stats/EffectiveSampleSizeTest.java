package io.alignloss.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Kish's effective sample size against values worked out by hand. */
class EffectiveSampleSizeTest {
    @Test
    void equalWeightsGiveTheRowCountAndADesignEffectOfOne() {
        EffectiveSampleSize ess = EffectiveSampleSize.of(2, 2, 2, 2);
        // (4·2)² / (4·2²) = 64 / 16
        assertThat(ess.value().getAsDouble()).isCloseTo(4, within(1e-15));
        assertThat(ess.designEffect(4).getAsDouble()).isCloseTo(1, within(1e-15));
    }

    /**
     * Rows (importance weight ω, row weight w) = (2, 1), (1, 3), (0.5, 2): combined v = ω·w = (2, 3, 1),
     * Σ v = 6, Σ v² = 4 + 9 + 1 = 14, ESS = 36/14 = 18/7, design effect = 3 / (18/7) = 7/6. The former
     * off-policy form (Σ ω·w)² / Σ w·ω² = 36 / (4 + 3 + 0.5) = 4.8 treated row weights as frequencies: more
     * effective rows than there are rows.
     */
    @Test
    void rowWeightsEnterThroughTheCombinedWeightUnlikeTheFrequencyForm() {
        double[][] rows = {{2, 1}, {1, 3}, {0.5, 2}};
        double sum = 0;
        double squares = 0;
        for (double[] row : rows) {
            sum += row[0] * row[1];
            squares += EffectiveSampleSize.square(row[0], row[1]);
        }
        EffectiveSampleSize ess = new EffectiveSampleSize(sum, squares);
        assertThat(squares).isCloseTo(14, within(1e-15));
        assertThat(ess.value().getAsDouble()).isCloseTo(18.0 / 7, within(1e-15));
        assertThat(ess.designEffect(3).getAsDouble()).isCloseTo(7.0 / 6, within(1e-15));
        assertThat(ess.value().getAsDouble()).isNotCloseTo(4.8, within(0.1));
        assertThat(EffectiveSampleSize.of(2, 3, 1)).isEqualTo(ess);
    }

    @Test
    void oneDominantWeightLeavesAboutOneRow() {
        // v = (100, 1, 1, 1): 103² / 10003 = 10609 / 10003
        EffectiveSampleSize ess = EffectiveSampleSize.of(100, 1, 1, 1);
        assertThat(ess.value().getAsDouble()).isCloseTo(10609.0 / 10003, within(1e-12));
        assertThat(ess.designEffect(4).getAsDouble()).isCloseTo(4 * 10003.0 / 10609, within(1e-12));
    }

    @Test
    void withoutWeightTheSizeIsUndefined() {
        assertThat(EffectiveSampleSize.of().value()).isEmpty();
        assertThat(EffectiveSampleSize.of(0, 0).value()).isEmpty();
        assertThat(EffectiveSampleSize.of(0, 0).designEffect(2)).isEmpty();
    }
}
