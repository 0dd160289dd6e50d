package io.alignloss.objective.expectedutility;

import io.alignloss.model.FeatureVector;
import io.alignloss.model.PolicyBlock;
import io.alignloss.optim.Evaluation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The IPS and SNIPS training objectives of a softmax policy on logged data: hand values, gradient vs finite differences. */
class LoggedPolicyLossTest {
    private static final double NOT_LOGGED = Double.NaN;

    private static FeatureVector dense(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return FeatureVector.dense(floats);
    }

    /**
     * θ = (ln 2): A (ω = 1) candidates f = 1 (logged, b = ½, U = 2), f = 0: π = (2/3, 1/3), w = 4/3;
     * B (ω = 2) f = 0 (logged, b = ¼, U = 1), f = 1, f = 1: π = 1/5, w = 4/5.
     * N = 1·(4/3)·2 + 2·(4/5)·1 = 64/15, n = 3, D = 4/3 + 8/5 = 44/15: IPS = 64/45, SNIPS = 64/44 = 16/11.
     * ess (Kish, on ω·w = 4/3, 8/5) = (44/15)² / (16/9 + 64/25) = (1936/225) / (976/225) = 121/61.
     */
    @Test
    void ipsAndSnipsOnAHandWorkedExample() {
        PolicyBlock.Builder builder = new PolicyBlock.Builder(1, true);
        builder.add(new FeatureVector[] {dense(1), dense(0)}, new double[] {2, 0}, new double[] {0.5, NOT_LOGGED}, 1, 1L);
        builder.add(new FeatureVector[] {dense(0), dense(1), dense(1)}, new double[] {1, 0, 0}, new double[] {0.25, NOT_LOGGED, NOT_LOGGED},
                2, 2L);
        List<PolicyBlock> blocks = List.of(builder.build());
        double[] theta = {Math.log(2)};
        Evaluation ips = LoggedPolicyLoss.local(blocks, theta, 0, false);
        Evaluation snips = LoggedPolicyLoss.local(blocks, theta, 0, true);
        assertThat(ips.value()).isCloseTo(-64.0 / 45, within(1e-12));
        assertThat(snips.value()).isCloseTo(-16.0 / 11, within(1e-12));
        assertThat(ips.figures().get("mean_utility")).isCloseTo(64.0 / 45, within(1e-12));
        assertThat(ips.figures().get("loss")).isCloseTo(-64.0 / 45, within(1e-12));
        assertThat(snips.figures().get("ips")).isCloseTo(64.0 / 45, within(1e-12));
        LoggedPolicyLoss.Sums sums = new LoggedPolicyLoss.Sums(1);
        blocks.forEach(block -> sums.add(block, theta, false, null));
        assertThat((Double) sums.figures(false).get("ess")).isCloseTo(121.0 / 61, within(1e-12));
        // ∇ IPS by hand: A: f_a − f̄ = 1 − 2/3 = 1/3, B: 0 − 4/5 = −4/5; −(1·(4/3)·2·(1/3) + 2·(4/5)·1·(−4/5)) / 3
        double expected = -(8.0 / 9 - 32.0 / 25) / 3;
        assertThat(ips.gradient()[0]).isCloseTo(expected, within(1e-12));
    }

    private static List<PolicyBlock> randomLogged(long seed, int dimension, boolean dense) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PolicyBlock> blocks = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            PolicyBlock.Builder builder = new PolicyBlock.Builder(dimension, dense);
            for (int s = 0; s < 20; s++) {
                int m = 1 + random.nextInt(5);
                FeatureVector[] features = new FeatureVector[m];
                double[] utility = new double[m];
                double[] behavior = new double[m];
                int shown = random.nextInt(m);
                for (int j = 0; j < m; j++) {
                    if (dense) {
                        double[] values = new double[dimension];
                        for (int k = 0; k < dimension; k++) {
                            values[k] = random.nextDouble() * 2 - 1;
                        }
                        features[j] = dense(values);
                    }
                    else {
                        int first = random.nextInt(dimension - 1);
                        features[j] = FeatureVector.sparse(new int[] {first, first + 1},
                                new float[] {(float) random.nextDouble(), (float) -random.nextDouble()});
                    }
                    utility[j] = random.nextDouble() * 4 - 2;
                    behavior[j] = j == shown ? 0.05 + 0.95 * random.nextDouble() : NOT_LOGGED;
                }
                builder.add(features, utility, behavior, 0.5 + random.nextDouble(), random.nextLong());
            }
            blocks.add(builder.build());
        }
        return blocks;
    }

    private static void assertGradientMatchesFiniteDifferences(List<PolicyBlock> blocks, int dimension, double l2, boolean snips) {
        SplittableRandom random = new SplittableRandom(3);
        double[] theta = new double[dimension];
        for (int k = 0; k < dimension; k++) {
            theta[k] = random.nextDouble() * 2 - 1;
        }
        double[] gradient = LoggedPolicyLoss.local(blocks, theta, l2, snips).gradient();
        double h = 1e-5;
        double errorNorm = 0;
        double norm = 0;
        for (int k = 0; k < dimension; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            // central difference (L(θ + h e_k) − L(θ − h e_k)) / 2h
            double numeric = (LoggedPolicyLoss.local(blocks, plus, l2, snips).value()
                    - LoggedPolicyLoss.local(blocks, minus, l2, snips).value()) / (2 * h);
            errorNorm += (numeric - gradient[k]) * (numeric - gradient[k]);
            norm += gradient[k] * gradient[k];
        }
        assertThat(Math.sqrt(errorNorm / norm)).as("relative error, l2 %s, snips %s", l2, snips).isLessThan(1e-6);
    }

    @Test
    void gradientEqualsCentralFiniteDifferencesForIpsAndSnips() {
        List<PolicyBlock> dense = randomLogged(11, 6, true);
        List<PolicyBlock> sparse = randomLogged(12, 8, false);
        for (double l2 : new double[] {0, 0.3}) {
            for (boolean snips : new boolean[] {false, true}) {
                assertGradientMatchesFiniteDifferences(dense, 6, l2, snips);
                assertGradientMatchesFiniteDifferences(sparse, 8, l2, snips);
            }
        }
    }

    @Test
    void setsWithoutALoggedCandidateAreLeftOutAndMergingEqualsOnePass() {
        List<PolicyBlock> blocks = randomLogged(5, 4, true);
        double[] theta = {0.3, -0.2, 0.1, 0.5};
        PolicyBlock.Builder unlogged = new PolicyBlock.Builder(4, true);
        unlogged.add(new FeatureVector[] {dense(1, 0, 0, 0), dense(0, 1, 0, 0)}, new double[] {5, 5}, 1, 9L);
        List<PolicyBlock> withUnlogged = new ArrayList<>(blocks);
        withUnlogged.add(unlogged.build());
        assertThat(LoggedPolicyLoss.local(withUnlogged, theta, 0, false).value())
                .isCloseTo(LoggedPolicyLoss.local(blocks, theta, 0, false).value(), within(1e-12));
        LoggedPolicyLoss.Sums whole = new LoggedPolicyLoss.Sums(4);
        blocks.forEach(block -> whole.add(block, theta, true, null));
        LoggedPolicyLoss.Sums merged = new LoggedPolicyLoss.Sums(4).add(blocks.get(0), theta, true, null)
                .merge(new LoggedPolicyLoss.Sums(4).add(blocks.get(1), theta, true, null).add(blocks.get(2), theta, true, null));
        assertThat(merged.estimate(true)).isCloseTo(whole.estimate(true), within(1e-12));
        assertThat(merged.figures(false).get("prompts")).isEqualTo(60L);
    }
}
