package io.alignloss.optim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.alignloss.optim.SquaredErrorSums.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The objective from a pass's sums, on a hand-computed case: ℓ = ½(θ·x − y)² at θ = (0.5, −1) over three rows,
 * λ = 0.2. By hand: residuals −2.5, 1, 0.5; S = Σ w·ℓ = 3.125 + 1 + 0.0625 = 4.1875, W = 3.5,
 * G = Σ w·r·x = (−1.75, −3); R = 0.1·1.25 = 0.125, ∇R = (0.1, −0.2).
 */
class RegularizedLossTest {
    private static final double[] THETA = {0.5, -1};
    private static final double[][] ROWS = {row(1, 1, 1, 1, 2), row(2, 2, -2, 0, 1), row(3, 0.5, 1, 3, 0)};
    private static final L2Regularizer MEAN = new L2Regularizer(0.2, Regularizer.Scale.MEAN);
    private static final L2Regularizer TOTAL = new L2Regularizer(0.2, Regularizer.Scale.TOTAL);

    private static SquaredErrorSums sums(double[] theta) {
        return new SquaredErrorSums(theta, true, null).add(ROWS);
    }

    private static Evaluation at(RegularizedLoss objective, double[] theta, double fraction) {
        return objective.evaluate(theta, sums(theta), fraction, Map.of());
    }

    @Test
    void aggregatorSumsTheHandCase() {
        SquaredErrorSums sums = sums(THETA);
        assertThat(sums.lossSum()).isCloseTo(4.1875, within(1e-15));
        assertThat(sums.weightSum()).isEqualTo(3.5);
        assertThat(sums.gradientSum()).containsExactly(new double[] {-1.75, -3}, within(1e-15));
        assertThat(sums.loss()).isCloseTo(4.1875 / 3.5, within(1e-15));
        assertThat(sums.gradient()).containsExactly(new double[] {-0.5, -3 / 3.5}, within(1e-15));
    }

    @Test
    void meanScaleAddsThePenaltyToTheMeanLoss() {
        Evaluation evaluation = at(new RegularizedLoss(Normalisation.passWeight(), MEAN), THETA, 1);
        // J = 4.1875 / 3.5 + 0.125
        assertThat(evaluation.value()).isCloseTo(4.1875 / 3.5 + 0.125, within(1e-14));
        assertThat(evaluation.gradient()).containsExactly(new double[] {-0.5 + 0.1, -3 / 3.5 - 0.2}, within(1e-14));
    }

    @Test
    void meanL2IsPassWeightWithThePenaltyOnTheMeanLoss() {
        Evaluation evaluation = at(RegularizedLoss.meanL2(0.2), THETA, 1);
        // the hand case again: J = 4.1875 / 3.5 + 0.1·(0.25 + 1)
        assertThat(evaluation.value()).isCloseTo(4.1875 / 3.5 + 0.125, within(1e-14));
        assertThat(evaluation.gradient()).containsExactly(new double[] {-0.5 + 0.1, -3 / 3.5 - 0.2}, within(1e-14));
    }

    @Test
    void addAllAddsTheBlocksInOrder() {
        // the three rows as three blocks: the same hand-computed sums as one block of three
        SquaredErrorSums sums = new SquaredErrorSums(THETA, true, null)
                .addAll(List.of(new double[][] {ROWS[0]}, new double[][] {ROWS[1]}, new double[][] {ROWS[2]}));
        assertThat(sums.lossSum()).isCloseTo(4.1875, within(1e-15));
        assertThat(sums.weightSum()).isEqualTo(3.5);
        assertThat(sums.gradientSum()).containsExactly(new double[] {-1.75, -3}, within(1e-15));
    }

    @Test
    void totalScaleAddsThePenaltyToTheTotalLoss() {
        // the pass's own weight: J = (4.1875 + 0.125) / 3.5
        Evaluation pass = at(new RegularizedLoss(Normalisation.passWeight(), TOTAL), THETA, 1);
        assertThat(pass.value()).isCloseTo(4.3125 / 3.5, within(1e-14));
        assertThat(pass.gradient()).containsExactly(new double[] {-1.65 / 3.5, -3.2 / 3.5}, within(1e-14));
        // a half batch of data whose total weight is 7: J = (4.1875 / 0.5 + 0.125) / 7 = 8.5 / 7
        Evaluation batch = at(new RegularizedLoss(Normalisation.fixedTotal(7), TOTAL), THETA, 0.5);
        assertThat(batch.value()).isCloseTo(8.5 / 7, within(1e-14));
        assertThat(batch.gradient()).containsExactly(new double[] {-3.4 / 7, -6.2 / 7}, within(1e-14));
    }

    @Test
    void meanScaleOnAFixedTotal() {
        // J = 4.1875 / 0.5 / 7 + 0.125
        Evaluation evaluation = at(new RegularizedLoss(Normalisation.fixedTotal(7), MEAN), THETA, 0.5);
        assertThat(evaluation.value()).isCloseTo(8.375 / 7 + 0.125, within(1e-14));
        assertThat(evaluation.gradient()).containsExactly(new double[] {-3.5 / 7 + 0.1, -6.0 / 7 - 0.2}, within(1e-14));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RegularizedLoss[] objectives = {new RegularizedLoss(Normalisation.passWeight(), MEAN), new RegularizedLoss(Normalisation.passWeight(), TOTAL),
                new RegularizedLoss(Normalisation.fixedTotal(7), MEAN), new RegularizedLoss(Normalisation.fixedTotal(7), TOTAL)};
        double[] theta = {0.3, 0.7};
        double h = 1e-6;
        for (RegularizedLoss objective : objectives) {
            double[] gradient = at(objective, theta, 0.5).gradient();
            for (int j = 0; j < theta.length; j++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[j] += h;
                minus[j] -= h;
                double numeric = (at(objective, plus, 0.5).value() - at(objective, minus, 0.5).value()) / (2 * h);
                assertThat(gradient[j]).as("%s, component %d", objective, j).isCloseTo(numeric, within(1e-8));
            }
        }
    }

    @Test
    void anEmptyPassCostsOnlyTheMeanPenalty() {
        SquaredErrorSums empty = new SquaredErrorSums(THETA, true, null);
        Evaluation evaluation = new RegularizedLoss(Normalisation.passWeight(), MEAN).evaluate(THETA, empty, 1, Map.of());
        assertThat(evaluation.value()).isCloseTo(0.125, within(1e-15));
        assertThat(evaluation.gradient()).containsExactly(0.1, -0.2);
        assertThatThrownBy(() -> new RegularizedLoss(Normalisation.passWeight(), TOTAL).evaluate(THETA, empty, 1, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot scale a regulariser on the total loss: the pass added no weight");
    }

    @Test
    void anEmptyAggregatorThrowsWhenRead() {
        SquaredErrorSums empty = new SquaredErrorSums(THETA, true, null);
        assertThatThrownBy(empty::loss).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the loss: the aggregator holds no weight (weight sum 0.0)");
        assertThatThrownBy(empty::gradient).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the gradient: the aggregator holds no weight (weight sum 0.0)");
    }

    @Test
    void mergingWithAnEmptyAggregatorIsTheIdentity() {
        SquaredErrorSums left = new SquaredErrorSums(THETA, true, null).merge(sums(THETA));
        SquaredErrorSums right = sums(THETA).merge(new SquaredErrorSums(THETA, true, null));
        for (SquaredErrorSums merged : new SquaredErrorSums[] {left, right}) {
            assertThat(merged.lossSum()).isEqualTo(sums(THETA).lossSum());
            assertThat(merged.weightSum()).isEqualTo(sums(THETA).weightSum());
            assertThat(merged.gradientSum()).containsExactly(sums(THETA).gradientSum());
        }
        // and two halves merge to the one pass
        SquaredErrorSums halves = new SquaredErrorSums(THETA, true, null).add(new double[][] {ROWS[0]})
                .merge(new SquaredErrorSums(THETA, true, null).add(new double[][] {ROWS[1], ROWS[2]}));
        assertThat(halves.loss()).isCloseTo(sums(THETA).loss(), within(1e-15));
    }

    @Test
    void l2RejectsANegativeOrInfiniteLambda() {
        assertThatThrownBy(() -> new L2Regularizer(-1, Regularizer.Scale.MEAN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid L2 coefficient: -1.0 (must be finite and >= 0)");
        assertThatThrownBy(() -> new L2Regularizer(Double.POSITIVE_INFINITY, Regularizer.Scale.TOTAL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid L2 coefficient: Infinity (must be finite and >= 0)");
    }
}
