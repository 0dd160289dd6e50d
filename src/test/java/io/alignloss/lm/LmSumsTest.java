package io.alignloss.lm;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Partial sums merge to the sum of their dense gradients, whichever of them are stored sparse or dense. */
class LmSumsTest {
    private static double[] gradient(SplittableRandom random, int dimension, double density) {
        double[] dense = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            if (random.nextDouble() < density) {
                dense[i] = random.nextGaussian();
            }
        }
        return dense;
    }

    private static LmSums sums(double[] gradient, double nll, long tokens) {
        LmSums sums = new LmSums();
        sums.nll = nll;
        sums.tokens = tokens;
        sums.weightedTokens = tokens;
        sums.rows = 1;
        sums.setGradient(gradient.clone());
        return sums;
    }

    @Test
    void mergingSparseAndDensePartsGivesTheDenseSum() {
        SplittableRandom random = new SplittableRandom(3);
        int dimension = 500;
        double[][] parts = {gradient(random, dimension, 0.05), gradient(random, dimension, 0.9), gradient(random, dimension, 0.2),
                gradient(random, dimension, 0.7), new double[dimension]};
        LmSums merged = new LmSums();
        double[] expected = new double[dimension];
        for (int p = 0; p < parts.length; p++) {
            LmSums part = sums(parts[p], p + 1.5, p + 2);
            assertThat(part.dense != null).isEqualTo(p == 1 || p == 3);
            merged = p % 2 == 0 ? LmSums.merge(merged, part) : LmSums.merge(part, merged);
            for (int i = 0; i < dimension; i++) {
                expected[i] += parts[p][i];
            }
        }
        assertThat(merged.gradient(dimension)).containsExactly(expected, within(1e-12));
        assertThat(merged.nll()).isCloseTo(1.5 + 2.5 + 3.5 + 4.5 + 5.5, within(1e-12));
        assertThat(merged.tokens()).isEqualTo(2 + 3 + 4 + 5 + 6);
        assertThat(merged.rows()).isEqualTo(5);
    }
}
