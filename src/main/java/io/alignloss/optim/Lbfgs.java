package io.alignloss.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.alignloss.optim.Vectors.axpy;
import static io.alignloss.optim.Vectors.dot;
import static io.alignloss.optim.Vectors.minus;
import static io.alignloss.optim.Vectors.norm;
import static io.alignloss.optim.Vectors.plus;
import static java.lang.String.format;

/**
 * Full-batch limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithms 7.4 and
 * 7.5) with a strong-Wolfe line search (algorithms 3.5 and 3.6, cubic interpolation). Its whole state —
 * the iterate, objective, gradient and the last {@code m} correction pairs — lives in an
 * {@link OptimizerState}, so a run saved after any iteration resumes on the same trajectory. (Breeze's
 * LBFGS, which MLlib uses, keeps its history in immutable Scala objects with no save and restore; hence
 * this small implementation.)
 *
 * <p>Stops, converged, when the relative objective change {@code |f_k − f_{k+1}| / max(|f_k|, |f_{k+1}|)}
 * or the gradient norm {@code ||∇f||₂} falls to {@code tol}; stops, not converged, at {@code maxIter}
 * iterations or when the line search finds no decrease (the objective is flat to machine precision).
 *
 * @param memory  the number m of correction pairs kept (≥ 1)
 * @param maxIter the iteration limit
 * @param tol     the convergence tolerance on the relative objective change and the gradient norm
 */
public record Lbfgs(int memory, long maxIter, double tol) implements Optimizer {
    public static final String NAME = "lbfgs";
    /** Prefix of the loss's own figures (e.g. accuracy) kept among the state's scalars. */
    public static final String FIGURE = "figure.";
    // sufficient decrease (Armijo) and curvature constants of the strong Wolfe conditions
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_LINE_SEARCH = 25;

    public Lbfgs {
        if (memory < 1) {
            throw new IllegalArgumentException(format("Cannot create L-BFGS: memory %d < 1", memory));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Iterates from {@code x0} until the state is stopped, without checkpoints or listeners (benchmarks).
     *
     * @return the last state and the loss evaluations (passes over the data) it took, the one at the start included
     */
    public Minimum minimise(double[] x0, TrainingLoss loss) {
        OptimizerState state = start(x0, loss);
        int evaluations = 1;
        while (!state.stopped()) {
            Step step = step(state, loss);
            evaluations += step.evaluations();
            state = step.state();
        }
        return new Minimum(state, evaluations);
    }

    /** What {@link #minimise} returns. */
    public record Minimum(OptimizerState state, int evaluations) {
    }

    @Override
    public OptimizerState start(double[] x0, TrainingLoss loss) {
        Evaluation at = loss.evaluate(x0);
        if (!at.finite()) {
            throw new DivergenceException(0, format("objective %s or its gradient is not finite at the starting point", at.value()));
        }
        OptimizerState state = state(0, x0.clone(), at, List.of(), List.of());
        if (norm(at.gradient()) <= tol) {
            return state.stop("gradient norm ≤ tol at the starting point", true);
        }
        return maxIter <= 0 ? state.stop("max-iter reached", false) : state;
    }

    @Override
    public Step step(OptimizerState state, TrainingLoss loss) {
        List<double[]> s = history(state, "s");
        List<double[]> y = history(state, "y");
        double[] x = state.x();
        double[] g = state.gradient();
        double[] d = direction(g, s, y);
        double slope = dot(d, g);
        if (!(slope < 0)) { // not a descent direction (can follow from rounding): restart from steepest descent
            s = List.of();
            y = List.of();
            d = Vectors.scale(-1, g);
            slope = -dot(g, g);
        }
        double firstStep = s.isEmpty() ? Math.min(1.0, 1.0 / norm(g)) : 1.0;
        LineSearch search = new LineSearch(loss, x, state.value(), d, slope, state.iteration() + 1);
        Optional<Trial> accepted = search.run(firstStep);
        if (accepted.isEmpty()) {
            return new Step(state.stop("line search found no decrease (objective flat to machine precision)",
                    norm(g) <= Math.sqrt(tol)), 0, search.evaluations);
        }
        Trial trial = accepted.get();
        double[] xNew = plus(x, trial.alpha, d);
        double[] sNew = minus(xNew, x);
        double[] yNew = minus(trial.evaluation.gradient(), g);
        List<double[]> sNext = new ArrayList<>(s);
        List<double[]> yNext = new ArrayList<>(y);
        if (dot(sNew, yNew) > 1e-10 * norm(sNew) * norm(yNew)) { // keep only pairs with positive curvature
            sNext.add(sNew);
            yNext.add(yNew);
            if (sNext.size() > memory) {
                sNext.remove(0);
                yNext.remove(0);
            }
        }
        long iteration = state.iteration() + 1;
        OptimizerState next = state(iteration, xNew, trial.evaluation, sNext, yNext);
        double before = state.value();
        double after = trial.evaluation.value();
        // relative change |f_k − f_{k+1}| / max(|f_k|, |f_{k+1}|)
        double relativeChange = Math.abs(before - after) / Math.max(Math.max(Math.abs(before), Math.abs(after)), Double.MIN_NORMAL);
        if (norm(trial.evaluation.gradient()) <= tol) {
            next = next.stop("gradient norm ≤ tol", true);
        }
        else if (relativeChange <= tol) {
            next = next.stop("relative objective change ≤ tol", true);
        }
        else if (iteration >= maxIter) {
            next = next.stop("max-iter reached", false);
        }
        return new Step(next, norm(sNew), search.evaluations);
    }

    // d = −H·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair
    static double[] direction(double[] g, List<double[]> s, List<double[]> y) {
        int k = s.size();
        double[] q = g.clone();
        double[] alpha = new double[k];
        double[] rho = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            rho[i] = 1.0 / dot(y.get(i), s.get(i));
            alpha[i] = rho[i] * dot(s.get(i), q);
            axpy(-alpha[i], y.get(i), q);
        }
        double gamma = k == 0 ? 1.0 : dot(s.get(k - 1), y.get(k - 1)) / dot(y.get(k - 1), y.get(k - 1));
        for (int j = 0; j < q.length; j++) {
            q[j] *= gamma;
        }
        for (int i = 0; i < k; i++) {
            double beta = rho[i] * dot(y.get(i), q);
            axpy(alpha[i] - beta, s.get(i), q);
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = -q[j];
        }
        return q;
    }

    private static OptimizerState state(long iteration, double[] x, Evaluation at, List<double[]> s, List<double[]> y) {
        Map<String, double[]> arrays = new LinkedHashMap<>();
        for (int i = 0; i < s.size(); i++) {
            arrays.put("s" + i, s.get(i));
            arrays.put("y" + i, y.get(i));
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("pairs", (double) s.size());
        at.figures().forEach((name, value) -> scalars.put(FIGURE + name, value));
        return new OptimizerState(NAME, iteration, x, at.value(), at.gradient(), arrays, scalars, Optional.empty(), false);
    }

    private static List<double[]> history(OptimizerState state, String prefix) {
        int pairs = (int) state.scalar("pairs");
        List<double[]> history = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            history.add(state.arrays().get(prefix + i));
        }
        return history;
    }

    /** A point tried by the line search: step length, objective and slope along d. */
    private record Trial(double alpha, Evaluation evaluation, double value, double slope) {
    }

    /** Strong-Wolfe line search along d from x (Nocedal and Wright, algorithms 3.5 and 3.6). */
    private static final class LineSearch {
        private final TrainingLoss loss;
        private final double[] x;
        private final double f0;
        private final double[] d;
        private final double slope0;
        private final long iteration;
        private int evaluations;
        private Trial bestArmijo;

        LineSearch(TrainingLoss loss, double[] x, double f0, double[] d, double slope0, long iteration) {
            this.loss = loss;
            this.x = x;
            this.f0 = f0;
            this.d = d;
            this.slope0 = slope0;
            this.iteration = iteration;
        }

        Optional<Trial> run(double firstStep) {
            Trial previous = new Trial(0, null, f0, slope0);
            double alpha = firstStep;
            for (int i = 0; i < MAX_LINE_SEARCH; i++) {
                Trial trial = evaluate(alpha);
                if (!armijo(trial) || (i > 0 && trial.value >= previous.value)) {
                    return zoom(previous, trial);
                }
                if (Math.abs(trial.slope) <= -C2 * slope0) {
                    return Optional.of(trial);
                }
                if (trial.slope >= 0) {
                    return zoom(trial, previous);
                }
                previous = trial;
                alpha *= 2;
            }
            return Optional.ofNullable(bestArmijo);
        }

        private Optional<Trial> zoom(Trial low, Trial high) {
            for (int j = 0; j < MAX_LINE_SEARCH; j++) {
                double alpha = interpolate(low, high);
                Trial trial = evaluate(alpha);
                if (!armijo(trial) || trial.value >= low.value) {
                    high = trial;
                }
                else {
                    if (Math.abs(trial.slope) <= -C2 * slope0) {
                        return Optional.of(trial);
                    }
                    if (trial.slope * (high.alpha - low.alpha) >= 0) {
                        high = low;
                    }
                    low = trial;
                }
                if (Math.abs(high.alpha - low.alpha) <= 1e-14 * Math.max(1.0, Math.abs(low.alpha))) {
                    break;
                }
            }
            return Optional.ofNullable(bestArmijo);
        }

        // minimiser of the cubic through (a_lo, φ_lo, φ'_lo), (a_hi, φ_hi, φ'_hi), kept inside the middle 80%
        private static double interpolate(Trial low, Trial high) {
            double a = low.alpha;
            double b = high.alpha;
            double lower = Math.min(a, b) + 0.1 * Math.abs(b - a);
            double upper = Math.max(a, b) - 0.1 * Math.abs(b - a);
            double bisect = (a + b) / 2;
            if (!Double.isFinite(high.value) || !Double.isFinite(high.slope)) {
                return bisect;
            }
            double d1 = low.slope + high.slope - 3 * (low.value - high.value) / (a - b);
            double radicand = d1 * d1 - low.slope * high.slope;
            if (radicand < 0) {
                return bisect;
            }
            double d2 = Math.signum(b - a) * Math.sqrt(radicand);
            double alpha = b - (b - a) * (high.slope + d2 - d1) / (high.slope - low.slope + 2 * d2);
            return Double.isFinite(alpha) && alpha >= lower && alpha <= upper ? alpha : bisect;
        }

        private boolean armijo(Trial trial) {
            // φ(α) ≤ φ(0) + c₁·α·φ'(0)
            return Double.isFinite(trial.value) && trial.value <= f0 + C1 * trial.alpha * slope0;
        }

        private Trial evaluate(double alpha) {
            evaluations++;
            Evaluation at = loss.evaluate(plus(x, alpha, d));
            if (!at.finite()) { // too long a step: treated as an infinite objective, the search backs off
                return new Trial(alpha, at, Double.POSITIVE_INFINITY, Double.NaN);
            }
            Trial trial = new Trial(alpha, at, at.value(), dot(at.gradient(), d));
            if (armijo(trial) && (bestArmijo == null || trial.value < bestArmijo.value)) {
                bestArmijo = trial;
            }
            return trial;
        }
    }
}
