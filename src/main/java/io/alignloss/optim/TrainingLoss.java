package io.alignloss.optim;

/**
 * A differentiable training objective over a dataset: the full-data value and gradient, and (for
 * stochastic optimisers) the value and gradient on the seeded mini-batch of an iteration.
 */
public interface TrainingLoss {
    /** Dimension of the parameter vector. */
    int dimension();

    /** Objective and gradient over the whole training data at {@code x}. */
    Evaluation evaluate(double[] x);

    /**
     * Objective and gradient on the mini-batch of {@code iteration} (a deterministic function of the
     * iteration and the seed, so a resumed run draws the same batches). Defaults to the full data.
     */
    default Evaluation evaluateBatch(double[] x, long iteration) {
        return evaluate(x);
    }
}
