package io.alignloss.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.alignloss.optim.Vectors.norm;
import static java.lang.String.format;

/**
 * Mini-batch Adam (Kingma and Ba 2015, algorithm 1). Each iteration asks the loss for the gradient on
 * that iteration's seeded mini-batch, so a resumed run draws the same batches. The state's value and
 * gradient are the mini-batch's at the iterate before the update. Stops after {@code maxIter} iterations.
 *
 * @param learningRate the step size lr (positive)
 * @param maxIter      the number of iterations
 */
public record Adam(double learningRate, long maxIter) implements Optimizer {
    public static final String NAME = "adam";
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    public Adam {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException(format("Cannot create Adam: learning rate %s ≤ 0", learningRate));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OptimizerState start(double[] x0, TrainingLoss loss) {
        int n = x0.length;
        OptimizerState state = state(0, x0.clone(), Double.NaN, new double[n], new double[n], new double[n], Map.of());
        return maxIter <= 0 ? state.stop("max-iter reached", false) : state;
    }

    @Override
    public Step step(OptimizerState state, TrainingLoss loss) {
        long t = state.iteration() + 1;
        double[] x = state.x().clone();
        Evaluation batch = loss.evaluateBatch(x, t);
        if (!batch.finite()) {
            throw new DivergenceException(t, format("mini-batch objective %s or its gradient is not finite at iteration %d",
                    batch.value(), t));
        }
        double[] g = batch.gradient();
        double[] m = state.arrays().get("m").clone();
        double[] v = state.arrays().get("v").clone();
        double[] update = new double[x.length];
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < x.length; i++) {
            // m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  x ← x − lr·m̂/(√v̂ + ε)
            m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
            update[i] = learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
            x[i] -= update[i];
        }
        OptimizerState next = state(t, x, batch.value(), g, m, v, batch.figures());
        if (t >= maxIter) {
            next = next.stop("max-iter reached", false);
        }
        return new Step(next, norm(update), 1);
    }

    private static OptimizerState state(long iteration, double[] x, double value, double[] gradient, double[] m, double[] v,
            Map<String, Double> figures) {
        Map<String, double[]> arrays = new LinkedHashMap<>();
        arrays.put("m", m);
        arrays.put("v", v);
        Map<String, Double> scalars = new LinkedHashMap<>();
        figures.forEach((name, figure) -> scalars.put(Lbfgs.FIGURE + name, figure));
        return new OptimizerState(NAME, iteration, x, value, gradient, arrays, scalars, Optional.empty(), false);
    }
}
