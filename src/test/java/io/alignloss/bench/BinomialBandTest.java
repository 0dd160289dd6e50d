package io.alignloss.bench;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BinomialBandTest {
    @Test
    void theIssuesBandForTwoHundredReplicates() {
        BinomialBand band = BinomialBand.of(200, 0.95, 0.99);
        assertThat(band.lower()).isEqualTo(181);
        assertThat(band.upper()).isEqualTo(197);
        assertThat(band.contains(181)).isTrue();
        assertThat(band.contains(180)).isFalse();
        assertThat(band.contains(198)).isFalse();
    }

    @Test
    void quantilesOfSmallCasesByHand() {
        // n = 2, p = ½: P(X ≤ 0) = ¼, P(X ≤ 1) = ¾
        double[] cdf = BinomialBand.cdf(2, 0.5);
        assertThat(cdf[0]).isCloseTo(0.25, within(1e-15));
        assertThat(cdf[1]).isCloseTo(0.75, within(1e-15));
        assertThat(BinomialBand.quantile(cdf, 0.25)).isEqualTo(0);
        assertThat(BinomialBand.quantile(cdf, 0.26)).isEqualTo(1);
        assertThat(BinomialBand.quantile(cdf, 0.76)).isEqualTo(2);
        // n = 1, p = 0.95: P(X = 0) = 0.05, so the 99% band is 0–1
        BinomialBand one = BinomialBand.of(1, 0.95, 0.99);
        assertThat(one.lower()).isZero();
        assertThat(one.upper()).isEqualTo(1);
    }

    @Test
    void agreesWithCommonsMathAcrossSizesAndLevels() {
        for (int n : new int[] {10, 40, 50, 60, 200, 1000, 5000}) {
            for (double level : new double[] {0.9, 0.99, 0.999}) {
                BinomialDistribution reference = new BinomialDistribution(n, 0.95);
                BinomialBand band = BinomialBand.of(n, 0.95, level);
                assertThat(band.lower()).as("n %d level %s", n, level)
                        .isEqualTo(reference.inverseCumulativeProbability((1 - level) / 2));
                assertThat(band.upper()).as("n %d level %s", n, level)
                        .isEqualTo(reference.inverseCumulativeProbability(1 - (1 - level) / 2));
            }
        }
    }

    @Test
    void cdfOfALargeNDoesNotUnderflow() {
        // (0.05)^5000 underflows a double; the log-space pmf still sums to 1 with the mass near n·p
        double[] cdf = BinomialBand.cdf(5000, 0.95);
        assertThat(cdf[4749]).isCloseTo(new BinomialDistribution(5000, 0.95).cumulativeProbability(4749), within(1e-9));
        assertThat(cdf[5000]).isEqualTo(1.0);
    }
}
