package io.alignloss.optim;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LbfgsTest {
    static OptimizerState run(Optimizer optimizer, TrainingLoss loss, OptimizerState state) {
        while (!state.stopped()) {
            state = optimizer.step(state, loss).state();
        }
        return state;
    }

    @Test
    void reachesTheClosedFormMinimumOfAQuadratic() {
        QuadraticLoss loss = QuadraticLoss.random(12, 7);
        Lbfgs lbfgs = new Lbfgs(10, 200, 1e-12);
        OptimizerState end = run(lbfgs, loss, lbfgs.start(new double[12], loss));
        assertThat(end.converged()).isTrue();
        double[] expected = loss.solution();
        for (int i = 0; i < expected.length; i++) {
            assertThat(end.x()[i]).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void minimiseRunsToTheClosedFormMinimumAndCountsEveryPass() {
        QuadraticLoss loss = QuadraticLoss.random(12, 7);
        Lbfgs.Minimum minimum = new Lbfgs(10, 200, 1e-12).minimise(new double[12], loss);
        assertThat(minimum.state().converged()).isTrue();
        double[] expected = loss.solution();
        for (int i = 0; i < expected.length; i++) {
            assertThat(minimum.state().x()[i]).isCloseTo(expected[i], within(1e-6));
        }
        // the loss counts its own evaluations: the start's and every line-search trial's
        assertThat(minimum.evaluations()).isEqualTo(loss.evaluations);
        assertThat((long) minimum.evaluations()).isGreaterThan(minimum.state().iteration());
    }

    @Test
    void minimisesRosenbrock() {
        // f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1)
        TrainingLoss rosenbrock = new TrainingLoss() {
            public int dimension() {
                return 2;
            }

            public Evaluation evaluate(double[] p) {
                double x = p[0];
                double y = p[1];
                double value = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
                return new Evaluation(value, new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)});
            }
        };
        Lbfgs lbfgs = new Lbfgs(10, 500, 1e-14);
        OptimizerState end = run(lbfgs, rosenbrock, lbfgs.start(new double[] {-1.2, 1}, rosenbrock));
        assertThat(end.x()[0]).isCloseTo(1, within(1e-5));
        assertThat(end.x()[1]).isCloseTo(1, within(1e-5));
    }

    @Test
    void stopsAtMaxIterWithoutClaimingConvergence() {
        QuadraticLoss loss = QuadraticLoss.random(30, 3);
        Lbfgs lbfgs = new Lbfgs(10, 3, 1e-14);
        OptimizerState end = run(lbfgs, loss, lbfgs.start(new double[30], loss));
        assertThat(end.iteration()).isEqualTo(3);
        assertThat(end.converged()).isFalse();
        assertThat(end.stopReason()).contains("max-iter reached");
    }

    @Test
    void resumesFromACheckpointOnTheSameTrajectory(@TempDir Path dir) {
        QuadraticLoss loss = QuadraticLoss.random(20, 11);
        Lbfgs lbfgs = new Lbfgs(5, 100, 1e-13);
        OptimizerState uninterrupted = run(lbfgs, loss, lbfgs.start(new double[20], loss));

        Checkpoints checkpoints = new Checkpoints(dir.resolve("ckpt").toString(), new Configuration());
        OptimizerState state = lbfgs.start(new double[20], loss);
        for (int i = 0; i < 7; i++) {
            state = lbfgs.step(state, loss).state();
            checkpoints.save(state, Map.of("run", "test"));
        }
        Checkpoints.Saved saved = checkpoints.latest().orElseThrow();
        assertThat(saved.state().iteration()).isEqualTo(7);
        assertThat(saved.metadata().get("run").asText()).isEqualTo("test");
        assertThat(dir.resolve("ckpt").toFile().list()).hasSize(Checkpoints.KEEP);
        OptimizerState resumed = run(lbfgs, loss, saved.state());
        assertThat(resumed.iteration()).isEqualTo(uninterrupted.iteration());
        assertThat(resumed.value()).isEqualTo(uninterrupted.value());
        assertThat(resumed.x()).containsExactly(uninterrupted.x());
    }

    @Test
    void aNonFiniteStartIsDivergence() {
        TrainingLoss broken = new TrainingLoss() {
            public int dimension() {
                return 1;
            }

            public Evaluation evaluate(double[] x) {
                return new Evaluation(Double.NaN, new double[] {0});
            }
        };
        assertThatThrownBy(() -> new Lbfgs(10, 10, 1e-9).start(new double[1], broken))
                .isInstanceOf(DivergenceException.class).hasMessageContaining("not finite");
    }

    @Test
    void backsOffFromStepsWhereTheObjectiveOverflows() {
        // f = e^x + e^-x (minimum 2 at 0) overflows for |x| > 709: the line search must back off, not fail
        TrainingLoss cosh = new TrainingLoss() {
            public int dimension() {
                return 1;
            }

            public Evaluation evaluate(double[] x) {
                return new Evaluation(Math.exp(x[0]) + Math.exp(-x[0]), new double[] {Math.exp(x[0]) - Math.exp(-x[0])});
            }
        };
        Lbfgs lbfgs = new Lbfgs(10, 100, 1e-12);
        OptimizerState end = run(lbfgs, cosh, lbfgs.start(new double[] {30}, cosh));
        assertThat(end.x()[0]).isCloseTo(0, within(1e-5));
    }
}
