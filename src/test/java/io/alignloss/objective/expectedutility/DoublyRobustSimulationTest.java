package io.alignloss.objective.expectedutility;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A simulation with known truth for the doubly robust estimators of {@link OffPolicyEstimators}. Contexts c ∈ {0..9}
 * (uniform), K = 4 candidates, true mean utility {@code m(c, a) = 4 + 1.5·a·(1 + c mod 3)/3 − 0.2·c}, observed utility
 * m + N(0, 0.5²); a uniform behaviour policy and a target π(·|c) that puts 0.6 on candidate (c mod 4) and the rest
 * evenly, so V(π) = (1/10) Σ_c Σ_a π(a|c)·m(c, a) exactly. Two reward estimates: a good one, m plus a fixed N(0, 0.1²)
 * error per (c, a), and a bad one, {@code 8 − m} (wrong in level and ranking). R = 400 replicates of n = 300 logged
 * rows each.
 */
class DoublyRobustSimulationTest {
    private static final int CONTEXTS = 10;
    private static final int K = 4;
    private static final int N = 300;
    private static final int REPLICATES = 400;

    private static double mean(int c, int a) {
        return 4 + 1.5 * a * (1 + c % 3) / 3.0 - 0.2 * c;
    }

    private static double target(int c, int a) {
        return a == c % K ? 0.6 : 0.4 / (K - 1);
    }

    /** Per replicate: IPS, DM, DR, SNDR and switch-DR at τ = ∞ and τ = 0, for one q̂ table. */
    private static double[][] replicates(double[][] qHat, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] estimates = new double[6][REPLICATES];
        for (int r = 0; r < REPLICATES; r++) {
            double utility = 0;
            double direct = 0;
            double correction = 0;
            double weights = 0;
            double switchedAll = 0;
            double switchedNone = 0;
            for (int i = 0; i < N; i++) {
                int c = random.nextInt(CONTEXTS);
                int a = random.nextInt(K);
                double u = mean(c, a) + 0.5 * random.nextGaussian();
                double[] pi = new double[K];
                for (int b = 0; b < K; b++) {
                    pi[b] = target(c, b);
                }
                double w = OffPolicyEstimators.importanceWeight(pi[a], 1.0 / K);
                utility += w * u;
                direct += OffPolicyEstimators.directTerm(pi, qHat[c]);
                correction += w * (u - qHat[c][a]);
                weights += w;
                switchedAll += OffPolicyEstimators.switched(w, Double.POSITIVE_INFINITY) * (u - qHat[c][a]);
                switchedNone += OffPolicyEstimators.switched(w, 0) * (u - qHat[c][a]);
            }
            estimates[0][r] = OffPolicyEstimators.ips(utility, N);
            estimates[1][r] = OffPolicyEstimators.directMethod(direct, N);
            estimates[2][r] = OffPolicyEstimators.doublyRobust(direct, correction, N);
            estimates[3][r] = OffPolicyEstimators.selfNormalisedDoublyRobust(direct, correction, N, weights);
            estimates[4][r] = OffPolicyEstimators.switchDoublyRobust(direct, switchedAll, N);
            estimates[5][r] = OffPolicyEstimators.switchDoublyRobust(direct, switchedNone, N);
        }
        return estimates;
    }

    private static double average(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total / values.length;
    }

    private static double variance(double[] values) {
        double m = average(values);
        double total = 0;
        for (double value : values) {
            total += (value - m) * (value - m);
        }
        return total / (values.length - 1);
    }

    /** |mean − truth| in standard errors of the mean over the replicates. */
    private static double bias(double[] values, double truth) {
        return Math.abs(average(values) - truth) / Math.sqrt(variance(values) / values.length);
    }

    @Test
    void drBeatsIpsWithAGoodEstimateAndStaysUnbiasedWithABadOne() {
        double truth = 0;
        double[][] good = new double[CONTEXTS][K];
        double[][] bad = new double[CONTEXTS][K];
        SplittableRandom errors = new SplittableRandom(7);
        for (int c = 0; c < CONTEXTS; c++) {
            for (int a = 0; a < K; a++) {
                truth += target(c, a) * mean(c, a) / CONTEXTS;
                good[c][a] = mean(c, a) + 0.1 * errors.nextGaussian();
                bad[c][a] = 8 - mean(c, a);
            }
        }
        double[][] withGood = replicates(good, 11);
        double[][] withBad = replicates(bad, 11);

        // the same logged rows (same seed): IPS does not depend on q̂
        assertThat(withGood[0]).containsExactly(withBad[0]);
        assertThat(bias(withGood[0], truth)).as("IPS unbiased").isLessThan(4);
        // good q̂: DR unbiased, and its variance a small fraction of IPS's
        assertThat(bias(withGood[2], truth)).as("DR (good q̂) unbiased").isLessThan(4);
        assertThat(variance(withGood[2])).as("DR (good q̂) variance vs IPS's").isLessThan(0.2 * variance(withGood[0]));
        assertThat(bias(withGood[3], truth)).as("SNDR (good q̂)").isLessThan(4);
        // bad q̂: DM is far off, DR still unbiased (its correction term repairs the estimate)
        assertThat(bias(withBad[1], truth)).as("DM (bad q̂) biased").isGreaterThan(50);
        assertThat(bias(withBad[2], truth)).as("DR (bad q̂) unbiased").isLessThan(4);
        assertThat(bias(withBad[3], truth)).as("SNDR (bad q̂) consistent").isLessThan(4);
        // switch-DR at τ = ∞ is DR and at τ = 0 is DM, replicate by replicate
        for (double[][] estimates : new double[][][] {withGood, withBad}) {
            for (int r = 0; r < REPLICATES; r++) {
                assertThat(estimates[4][r]).isCloseTo(estimates[2][r], within(1e-12));
                assertThat(estimates[5][r]).isCloseTo(estimates[1][r], within(1e-12));
            }
        }
        System.out.printf("DR simulation: V = %.4f; IPS %.4f (var %.5f), DR good %.4f (var %.5f), DR bad %.4f (var %.5f), "
                        + "DM bad %.4f, SNDR good %.4f, SNDR bad %.4f%n", truth, average(withGood[0]), variance(withGood[0]),
                average(withGood[2]), variance(withGood[2]), average(withBad[2]), variance(withBad[2]), average(withBad[1]),
                average(withGood[3]), average(withBad[3]));
    }
}
