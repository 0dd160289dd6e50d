package io.alignloss.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything an optimiser needs to continue: the iterate, its objective and gradient, the optimiser's own
 * arrays (L-BFGS's correction pairs, Adam's moments) and scalars. A checkpoint stores exactly this, so a
 * resumed run continues on the same trajectory.
 *
 * @param optimizer  the optimiser's name (lbfgs, adam)
 * @param iteration  iterations completed
 * @param x          the current iterate
 * @param value      the objective at x (for Adam: the last mini-batch's)
 * @param gradient   the gradient at x
 * @param arrays     the optimiser's arrays by name
 * @param scalars    the optimiser's scalars by name
 * @param stopReason why the optimiser stopped, when it has
 * @param converged  whether it stopped because a convergence test passed
 */
public record OptimizerState(String optimizer, long iteration, double[] x, double value, double[] gradient,
        Map<String, double[]> arrays, Map<String, Double> scalars, Optional<String> stopReason, boolean converged) {
    public OptimizerState {
        requireNonNull(optimizer, "optimizer is null");
        requireNonNull(x, "x is null");
        requireNonNull(gradient, "gradient is null");
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(arrays, "arrays is null")));
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(scalars, "scalars is null")));
        requireNonNull(stopReason, "stopReason is null");
    }

    public boolean stopped() {
        return stopReason.isPresent();
    }

    public OptimizerState stop(String reason, boolean converged) {
        return new OptimizerState(optimizer, iteration, x, value, gradient, arrays, scalars, Optional.of(reason), converged);
    }

    public double scalar(String name) {
        Double value = scalars.get(name);
        if (value == null) {
            throw new IllegalStateException("optimizer state has no scalar '" + name + "'");
        }
        return value;
    }
}
