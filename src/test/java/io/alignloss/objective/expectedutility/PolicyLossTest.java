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

/** The exact policy objective: a hand-worked value, the gradient against central finite differences, stability. */
class PolicyLossTest {
    private static FeatureVector dense(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return FeatureVector.dense(floats);
    }

    /**
     * Two prompts, θ = (ln 3, ln 2):
     * A (w = 1): f = (1, 0) U = 1; f = (0, 0) U = 0. Scores ln 3, 0 → π = (3/4, 1/4), E_π[U] = 3/4.
     * B (w = 3): f = (0, 1) U = 2; f = (0, 0) U = −1; f = (0, −1) U = 0. Scores ln 2, 0, −ln 2 → e^s = 2, 1, ½,
     * π = (4/7, 2/7, 1/7), E_π[U] = 8/7 − 2/7 = 6/7.
     * L = −(1·3/4 + 3·6/7) / 4 = −(21/28 + 72/28) / 4 = −93/112.
     * ∇ per prompt = −Σ π_j(U_j − E[U]) f_j: A: −(¾·¼, 0) = (−3/16, 0); B: −(0, 4/7·8/7 + 1/7·6/7) = (0, −38/49);
     * weighted: ∇L = (−3/16, −3·38/49) / 4 = (−3/64, −57/98).
     */
    private static List<PolicyBlock> handExample() {
        PolicyBlock.Builder builder = new PolicyBlock.Builder(2, true);
        builder.add(new FeatureVector[] {dense(1, 0), dense(0, 0)}, new double[] {1, 0}, 1, 1L);
        builder.add(new FeatureVector[] {dense(0, 1), dense(0, 0), dense(0, -1)}, new double[] {2, -1, 0}, 3, 2L);
        return List.of(builder.build());
    }

    @Test
    void exactObjectiveOnAHandWorkedExample() {
        double[] theta = {Math.log(3), Math.log(2)};
        Evaluation evaluation = PolicyLoss.local(handExample(), theta, 0, 0);
        assertThat(evaluation.value()).isCloseTo(-93.0 / 112, within(1e-12));
        assertThat(evaluation.gradient()[0]).isCloseTo(-3.0 / 64, within(1e-12));
        assertThat(evaluation.gradient()[1]).isCloseTo(-57.0 / 98, within(1e-12));
        assertThat(evaluation.figures().get("mean_utility")).isCloseTo(93.0 / 112, within(1e-12));
        assertThat(evaluation.figures().get("loss")).isCloseTo(-93.0 / 112, within(1e-12));
        // with L2 λ = 0.5: + ¼·(ln²3 + ln²2)
        double l2 = 0.5;
        assertThat(PolicyLoss.local(handExample(), theta, l2, 0).value())
                .isCloseTo(-93.0 / 112 + l2 / 2 * (Math.log(3) * Math.log(3) + Math.log(2) * Math.log(2)), within(1e-12));
        // entropy bonus β = 0.1: − β·(1·H_A + 3·H_B) / 4, H = −Σ π log π
        double hA = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        double hB = -(4.0 / 7 * Math.log(4.0 / 7) + 2.0 / 7 * Math.log(2.0 / 7) + 1.0 / 7 * Math.log(1.0 / 7));
        assertThat(PolicyLoss.local(handExample(), theta, 0, 0.1).value())
                .isCloseTo(-93.0 / 112 - 0.1 * (hA + 3 * hB) / 4, within(1e-12));
    }

    private static List<PolicyBlock> randomSets(long seed, int dimension, boolean dense) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PolicyBlock> blocks = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            PolicyBlock.Builder builder = new PolicyBlock.Builder(dimension, dense);
            for (int s = 0; s < 20; s++) {
                int m = 1 + random.nextInt(5);
                FeatureVector[] features = new FeatureVector[m];
                double[] utility = new double[m];
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
                }
                builder.add(features, utility, 0.5 + random.nextDouble(), random.nextLong());
            }
            blocks.add(builder.build());
        }
        return blocks;
    }

    private static void assertGradientMatchesFiniteDifferences(List<PolicyBlock> blocks, int dimension, double l2, double entropy) {
        SplittableRandom random = new SplittableRandom(3);
        double[] theta = new double[dimension];
        for (int k = 0; k < dimension; k++) {
            theta[k] = random.nextDouble() * 2 - 1;
        }
        double[] gradient = PolicyLoss.local(blocks, theta, l2, entropy).gradient();
        double h = 1e-5;
        double errorNorm = 0;
        double norm = 0;
        for (int k = 0; k < dimension; k++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[k] += h;
            minus[k] -= h;
            // central difference (L(θ + h e_k) − L(θ − h e_k)) / 2h
            double numeric = (PolicyLoss.local(blocks, plus, l2, entropy).value() - PolicyLoss.local(blocks, minus, l2, entropy).value()) / (2 * h);
            errorNorm += (numeric - gradient[k]) * (numeric - gradient[k]);
            norm += gradient[k] * gradient[k];
        }
        assertThat(Math.sqrt(errorNorm / norm)).as("relative error, l2 %s, entropy %s", l2, entropy).isLessThan(1e-6);
    }

    @Test
    void gradientEqualsCentralFiniteDifferencesWithAndWithoutEntropyAndL2() {
        List<PolicyBlock> dense = randomSets(11, 6, true);
        List<PolicyBlock> sparse = randomSets(12, 8, false);
        for (double l2 : new double[] {0, 0.3}) {
            for (double entropy : new double[] {0, 0.2}) {
                assertGradientMatchesFiniteDifferences(dense, 6, l2, entropy);
                assertGradientMatchesFiniteDifferences(sparse, 8, l2, entropy);
            }
        }
    }

    @Test
    void extremeScoresStayFinite() {
        PolicyBlock.Builder builder = new PolicyBlock.Builder(1, true);
        builder.add(new FeatureVector[] {dense(1), dense(-1), dense(0)}, new double[] {1, 2, 3}, 1, 1L);
        for (double scale : new double[] {1e3, -1e3, 1e5}) {
            Evaluation evaluation = PolicyLoss.local(List.of(builder.build()), new double[] {scale}, 0, 0.5);
            assertThat(evaluation.finite()).as("θ = %s", scale).isTrue();
        }
        // θ = 1e3 puts all mass on the first candidate: E[U] = 1
        assertThat(PolicyLoss.local(List.of(builder.build()), new double[] {1e3}, 0, 0).figures().get("mean_utility"))
                .isCloseTo(1, within(1e-12));
    }

    @Test
    void aggregatesMergeLikeOnePass() {
        List<PolicyBlock> blocks = randomSets(5, 4, true);
        double[] theta = {0.3, -0.2, 0.1, 0.5};
        PolicyLossAggregate whole = new PolicyLossAggregate(4, 0.1);
        blocks.forEach(block -> whole.add(block, theta, true, null));
        PolicyLossAggregate merged = new PolicyLossAggregate(4, 0.1).merge(new PolicyLossAggregate(4, 0.1).add(blocks.get(0), theta, true, null))
                .merge(new PolicyLossAggregate(4, 0.1).add(blocks.get(1), theta, true, null).add(blocks.get(2), theta, true, null));
        assertThat(merged.meanLoss()).isCloseTo(whole.meanLoss(), within(1e-12));
        assertThat(merged.gradientSum()).containsExactly(whole.gradientSum(), within(1e-12));
        assertThat(merged.count()).isEqualTo(60);
    }
}
