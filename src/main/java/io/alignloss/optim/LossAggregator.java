package io.alignloss.optim;

import java.io.Serializable;

/**
 * Running sums of a weighted loss and its gradient over blocks of training rows, in the manner of MLlib's
 * {@code DifferentiableLossAggregator}: an aggregator is created with the parameters it evaluates at (and the
 * mini-batch it keeps), {@link #add adds} blocks, {@link #merge merges} with the sums of other partitions, and
 * divides by the weight only when read:
 * <pre>
 *   loss() = lossSum() / weightSum() = Σ w·ℓ / Σ w,      gradient() = gradientSum() / weightSum() = Σ w·∇ℓ / Σ w
 * </pre>
 * Reading the loss or gradient of an aggregator that holds no weight throws; merging with one is the identity.
 * Sums travel between Spark tasks, so implementations keep the parameters they were created with out of their
 * serialised form.
 *
 * @param <B> the block of rows
 * @param <A> the aggregator itself
 */
public interface LossAggregator<B, A extends LossAggregator<B, A>> extends Serializable {
    /** Adds the rows of {@code block} (those in the aggregator's mini-batch); returns the aggregator. */
    A add(B block);

    /** Adds each of {@code blocks} in order (blocks held on the driver: tests, small data); returns the aggregator. */
    default A addAll(Iterable<? extends B> blocks) {
        @SuppressWarnings("unchecked")
        A sums = (A) this;
        for (B block : blocks) {
            sums = sums.add(block);
        }
        return sums;
    }

    /** The sums of this and {@code other} (this one updated, or a new aggregator); neither is needed afterwards. */
    A merge(A other);

    /**
     * The form in which a partition's sums travel once its last block was added (for example a sparse gradient
     * where the aggregator added into a dense buffer). Defaults to the aggregator itself.
     */
    @SuppressWarnings("unchecked")
    default A compact() {
        return (A) this;
    }

    /** Σ w: the weight that normalises the sums. */
    double weightSum();

    /** Σ w·ℓ, unnormalised. */
    double lossSum();

    /** Σ w·∇ℓ, unnormalised (zeros when nothing was added): a new array, the caller's to modify. */
    double[] gradientSum();

    /** Σ w·ℓ / Σ w; throws when no weight was added. */
    default double loss() {
        requireWeight("loss");
        return lossSum() / weightSum();
    }

    /** Σ w·∇ℓ / Σ w, a new array; throws when no weight was added. */
    default double[] gradient() {
        requireWeight("gradient");
        double weight = weightSum();
        double[] gradient = gradientSum();
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] /= weight;
        }
        return gradient;
    }

    /** Throws {@link IllegalStateException} unless the aggregator holds a positive weight. */
    default void requireWeight(String what) {
        if (!(weightSum() > 0)) {
            throw new IllegalStateException(String.format("Cannot read the %s: the aggregator holds no weight (weight sum %s)", what,
                    weightSum()));
        }
    }
}
