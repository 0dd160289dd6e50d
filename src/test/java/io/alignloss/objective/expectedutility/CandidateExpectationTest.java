package io.alignloss.objective.expectedutility;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The exact expectation over a candidate set: a hand example, a plain softmax loop, and extreme scores. */
class CandidateExpectationTest {
    /** Scores s_j and their log-probabilities as the callers make them: logZ from a plain (unstable) log Σ exp. */
    private static double[] logP(double... scores) {
        double total = 0;
        for (double s : scores) {
            total += Math.exp(s);
        }
        double[] logP = scores.clone();
        CandidateExpectation.logProbabilities(logP, Math.log(total), logP.length);
        return logP;
    }

    /**
     * s = (0, ln 2, ln 3): π = (1/6, 2/6, 3/6); U = (1, 4, −2): E_π[U] = (1 + 8 − 6) / 6 = ½, the uniform mean 1,
     * H = −(⅙ ln ⅙ + ⅓ ln ⅓ + ½ ln ½) = (ln 6)/6 + (ln 3)/3 + (ln 2)/2.
     */
    @Test
    void handExample() {
        double[] logP = logP(0, Math.log(2), Math.log(3));
        double[] utility = {99, 1, 4, -2};   // the set starts at candidate 1
        assertThat(Math.exp(logP[2])).isCloseTo(0.5, within(1e-15));
        assertThat(CandidateExpectation.expectation(logP, utility, 1, 3)).isCloseTo(0.5, within(1e-15));
        assertThat(CandidateExpectation.uniform(utility, 1, 3)).isCloseTo(1, within(1e-15));
        assertThat(CandidateExpectation.entropy(logP, 3))
                .isCloseTo(Math.log(6) / 6 + Math.log(3) / 3 + Math.log(2) / 2, within(1e-15));
    }

    /** Random sets against a plain loop: π_j = e^{s_j} / Σ e^{s_k}, E = Σ π_j·U_j, H = −Σ π_j·ln π_j. */
    @Test
    void matchesAPlainSoftmaxLoop() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + random.nextInt(8);
            double[] scores = new double[m];
            double[] utility = new double[m];
            double z = 0;
            for (int j = 0; j < m; j++) {
                scores[j] = 6 * random.nextDouble() - 3;
                utility[j] = 10 * random.nextDouble() - 5;
                z += Math.exp(scores[j]);
            }
            double expected = 0;
            double entropy = 0;
            double mean = 0;
            for (int j = 0; j < m; j++) {
                double p = Math.exp(scores[j]) / z;
                expected += p * utility[j];
                entropy -= p * Math.log(p);
                mean += utility[j];
            }
            double[] logP = logP(scores);
            assertThat(CandidateExpectation.expectation(logP, utility, 0, m)).isCloseTo(expected, within(1e-12));
            assertThat(CandidateExpectation.entropy(logP, m)).isCloseTo(entropy, within(1e-12));
            assertThat(CandidateExpectation.uniform(utility, 0, m)).isCloseTo(mean / m, within(1e-12));
        }
    }

    /** Scores 1000 apart: π = (1, 0) with log π_2 = −1000, so E = U_1 and H = 0 (no 0·∞, no NaN). */
    @Test
    void aCandidateWithZeroProbabilityAddsNothing() {
        double[] logP = {1000, 0};
        // logsumexp(1000, 0) = 1000 + log1p(e^−1000) = 1000 in double
        CandidateExpectation.logProbabilities(logP, 1000, 2);
        double[] utility = {3, 1e300};
        assertThat(CandidateExpectation.expectation(logP, utility, 0, 2)).isEqualTo(3);
        assertThat(CandidateExpectation.entropy(logP, 2)).isEqualTo(0);
        double[] infinite = {0, Double.NEGATIVE_INFINITY};
        assertThat(CandidateExpectation.entropy(infinite, 2)).isEqualTo(0);
    }
}
