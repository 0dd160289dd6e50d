package io.alignloss.optim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdamTest {
    @Test
    void approachesTheMinimumOfAQuadratic() {
        QuadraticLoss loss = QuadraticLoss.random(5, 5);
        Adam adam = new Adam(0.05, 3000);
        OptimizerState end = LbfgsTest.run(adam, loss, adam.start(new double[5], loss));
        double[] expected = loss.solution();
        for (int i = 0; i < expected.length; i++) {
            assertThat(end.x()[i]).isCloseTo(expected[i], within(1e-3));
        }
        assertThat(end.iteration()).isEqualTo(3000);
    }

    @Test
    void firstStepHasLengthLearningRateTimesSqrtDimension() {
        // after one step m̂ = g and v̂ = g², so every coordinate moves by lr·sign(g) (ε aside)
        QuadraticLoss loss = QuadraticLoss.random(4, 9);
        Adam adam = new Adam(0.01, 10);
        Optimizer.Step step = adam.step(adam.start(new double[4], loss), loss);
        assertThat(step.step()).isCloseTo(0.01 * Math.sqrt(4), within(1e-9));
    }

    @Test
    void resumingFromAStateGivesTheSameIterates() {
        QuadraticLoss loss = QuadraticLoss.random(6, 2);
        Adam adam = new Adam(0.01, 50);
        OptimizerState straight = LbfgsTest.run(adam, loss, adam.start(new double[6], loss));
        OptimizerState state = adam.start(new double[6], loss);
        for (int i = 0; i < 20; i++) {
            state = adam.step(state, loss).state();
        }
        OptimizerState copy = new OptimizerState(state.optimizer(), state.iteration(), state.x().clone(), state.value(),
                state.gradient().clone(), state.arrays(), state.scalars(), state.stopReason(), state.converged());
        assertThat(LbfgsTest.run(adam, loss, copy).x()).containsExactly(straight.x());
    }

    @Test
    void aNonFiniteGradientIsDivergence() {
        TrainingLoss broken = new TrainingLoss() {
            public int dimension() {
                return 1;
            }

            public Evaluation evaluate(double[] x) {
                return new Evaluation(1, new double[] {Double.POSITIVE_INFINITY});
            }
        };
        Adam adam = new Adam(0.1, 5);
        assertThatThrownBy(() -> adam.step(adam.start(new double[1], broken), broken))
                .isInstanceOf(DivergenceException.class).hasMessageContaining("iteration 1");
    }
}
