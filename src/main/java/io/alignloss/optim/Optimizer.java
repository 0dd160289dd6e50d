package io.alignloss.optim;

/**
 * A first-order optimiser that advances one iteration at a time from an {@link OptimizerState}, so the
 * caller can log, checkpoint and stop between iterations, and resume from a saved state.
 */
public interface Optimizer {
    String name();

    /** The state at the starting point {@code x0} (evaluates the loss there). */
    OptimizerState start(double[] x0, TrainingLoss loss);

    /**
     * One iteration from {@code state}. The returned state is stopped (with a reason) when a convergence
     * test passed or no further progress is possible; a non-finite objective or gradient raises
     * {@link DivergenceException} and leaves {@code state} the last good one.
     */
    Step step(OptimizerState state, TrainingLoss loss);

    /**
     * The outcome of an iteration.
     *
     * @param state       the new state
     * @param step        the length of the step taken, ||x_new − x_old||
     * @param evaluations loss evaluations (passes over the data) the iteration needed
     */
    record Step(OptimizerState state, double step, int evaluations) {
    }
}
