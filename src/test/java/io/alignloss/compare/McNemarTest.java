package io.alignloss.compare;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** McNemar's exact test against an exact binomial sum in integers and a published table. */
class McNemarTest {
    // 2·Σ_{k ≤ min} C(n, k) / 2ⁿ in exact integer arithmetic, capped at 1
    private static double exactByHand(int onlyA, int onlyB) {
        int n = onlyA + onlyB;
        BigInteger tail = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE; // C(n, 0)
        for (int k = 0; k <= Math.min(onlyA, onlyB); k++) {
            tail = tail.add(choose);
            choose = choose.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        BigDecimal p = new BigDecimal(tail.shiftLeft(1)).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL128);
        return Math.min(1.0, p.doubleValue());
    }

    @Test
    void matchesTheExactBinomialSumForSmallAndLargeCounts() {
        int[][] cases = {{0, 1}, {1, 7}, {7, 1}, {3, 3}, {2, 9}, {10, 25}, {40, 62}, {0, 30}, {150, 210}, {700, 800}};
        for (int[] c : cases) {
            double expected = exactByHand(c[0], c[1]);
            assertThat(McNemar.exactPValue(c[0], c[1])).as("%d vs %d", c[0], c[1]).isCloseTo(expected, within(1e-12 + 1e-10 * expected));
        }
    }

    /**
     * Fagerland, Lydersen and Laake (2013), "The McNemar test for binary matched-pairs data", BMC Medical Research
     * Methodology 13:91, first example: 1 and 7 discordant pairs, exact conditional p = 0.070 (= 2·9/256).
     */
    @Test
    void reproducesThePublishedExample() {
        assertThat(McNemar.exactPValue(1, 7)).isCloseTo(0.0703125, within(1e-15));
        assertThat(McNemar.exactPValue(7, 1)).isCloseTo(0.0703125, within(1e-15));
    }

    @Test
    void noDiscordantPairsOrABalancedSplitIsNoEvidence() {
        assertThat(McNemar.exactPValue(0, 0)).isEqualTo(1.0);
        assertThat(McNemar.exactPValue(5, 5)).isEqualTo(1.0);
    }

    @Test
    void staysFiniteAndTinyForHugeOneSidedCounts() {
        double p = McNemar.exactPValue(0, 5000);
        assertThat(p).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
        assertThat(McNemar.exactPValue(1_000_000, 1_001_000)).isBetween(0.4, 1.0);
    }

    @Test
    void refusesNegativeCounts() {
        assertThatThrownBy(() -> McNemar.exactPValue(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot test discordant pairs: a negative count -1");
    }
}
