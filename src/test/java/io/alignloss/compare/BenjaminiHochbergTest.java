package io.alignloss.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Benjamini–Hochberg adjusted p-values against the 1995 paper's example and a list adjusted by hand. */
class BenjaminiHochbergTest {
    /**
     * Benjamini and Hochberg (1995), section 4: the 15 p-values of the myocardial infarction study; at q = 0.05 the
     * step-up procedure rejects the four smallest (p_(4) = 0.0095 ≤ 4/15·0.05 ≈ 0.0133, and no larger i has
     * p_(i) ≤ i/15·0.05), where Bonferroni rejects three.
     */
    @Test
    void rejectsTheFourHypothesesThePaperRejects() {
        double[] p = {0.0201, 0.0001, 0.0004, 0.0019, 0.0095, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719,
                0.6528, 0.7590, 1.0000};
        double[] q = BenjaminiHochberg.adjust(p);
        long rejected = java.util.Arrays.stream(q).filter(value -> value <= 0.05).count();
        assertThat(rejected).isEqualTo(4);
        // hand: p_(4) = 0.0095 → 15·0.0095/4 = 0.035625; p_(5) = 0.0201 → 15·0.0201/5 = 0.0603, the min over j ≥ 5
        assertThat(q[4]).isCloseTo(15 * 0.0095 / 4, within(1e-15));
        assertThat(q[0]).isCloseTo(15 * 0.0201 / 5, within(1e-15));
        assertThat(q[14]).isEqualTo(1.0);
    }

    @Test
    void matchesAListAdjustedByHand() {
        // sorted 0.005, 0.01, 0.03, 0.04 (m = 4): m·p/i = 0.02, 0.02, 0.04, 0.04; running minimum from the right
        double[] q = BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005});
        assertThat(q).containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(1e-15));
        // 0.01, 0.02 with a larger third: 3·0.01/1 = 0.03, 3·0.02/2 = 0.03, 3·0.9/3 = 0.9
        assertThat(BenjaminiHochberg.adjust(new double[] {0.9, 0.02, 0.01})).containsExactly(new double[] {0.9, 0.03, 0.03},
                within(1e-15));
    }

    @Test
    void leavesMissingPValuesOutOfTheCount() {
        double[] q = BenjaminiHochberg.adjust(new double[] {Double.NaN, 0.02, 0.01});
        assertThat(q[0]).isNaN();
        assertThat(q[1]).isCloseTo(0.02, within(1e-15));
        assertThat(q[2]).isCloseTo(0.02, within(1e-15));
        assertThat(BenjaminiHochberg.adjust(new double[0])).isEmpty();
    }
}
