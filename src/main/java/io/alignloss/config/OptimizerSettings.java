package io.alignloss.config;

import static java.util.Objects.requireNonNull;

/**
 * The optimiser of the {@code train} block and its settings.
 *
 * @param optimizer      lbfgs or adam ({@code train.optimizer}, lbfgs by default)
 * @param optimizerGiven whether train.optimizer was set (a language model defaults to Adam otherwise)
 * @param maxIter        L-BFGS iterations (Adam: derived from epochs and batch-fraction unless given); 100 by default
 * @param maxIterGiven   whether train.max-iter was set
 * @param tol            L-BFGS convergence tolerance on relative objective change and gradient norm
 * @param memory         L-BFGS correction pairs
 * @param learningRate   Adam's step size ({@code train.lr})
 * @param batchFraction  Adam's mini-batch share of the training rows
 * @param epochs         Adam's passes over the data (iterations = epochs / batch-fraction)
 */
public record OptimizerSettings(OptimizerType optimizer, boolean optimizerGiven, long maxIter, boolean maxIterGiven, double tol,
        int memory, double learningRate, double batchFraction, double epochs) {
    public OptimizerSettings {
        requireNonNull(optimizer, "optimizer is null");
    }

    /** Iterations the optimiser may run: {@code ⌈epochs / batch-fraction⌉} for Adam without train.max-iter, else max-iter. */
    public long iterations() {
        if (optimizer == OptimizerType.ADAM && !maxIterGiven) {
            return (long) Math.ceil(epochs / batchFraction);
        }
        return maxIter;
    }

    /** These settings with Adam unless train.optimizer named an optimiser. */
    OptimizerSettings adamUnlessGiven() {
        return optimizerGiven ? this : new OptimizerSettings(OptimizerType.ADAM, false, maxIter, maxIterGiven, tol, memory, learningRate,
                batchFraction, epochs);
    }
}
