package io.alignloss.optim.spark;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.TrainingLoss;

import static java.util.Objects.requireNonNull;

/**
 * A {@link TrainingLoss} whose J(θ) and ∇J(θ) a {@link DistributedLoss} computes: the reward model's, the policies'
 * and the language model's losses extend it and keep only what differs (their aggregator, regulariser, figures and
 * what {@code measure} reports).
 *
 * @param <B> the block of rows
 * @param <P> what is broadcast
 * @param <A> the aggregator
 */
public abstract class DistributedTrainingLoss<B, P, A extends LossAggregator<B, A>> implements TrainingLoss {
    private final DistributedLoss<B, P, A> loss;

    protected DistributedTrainingLoss(DistributedLoss<B, P, A> loss) {
        this.loss = requireNonNull(loss, "loss is null");
    }

    @Override
    public final int dimension() {
        return loss.dimension();
    }

    @Override
    public final Evaluation evaluate(double[] x) {
        return loss.evaluate(x);
    }

    @Override
    public final Evaluation evaluateBatch(double[] x, long iteration) {
        return loss.evaluateBatch(x, iteration);
    }

    /** The merged sums at {@code x} over all rows, without the gradient (validation, reporting). */
    protected final A sums(double[] x) {
        return loss.measure(x);
    }
}
