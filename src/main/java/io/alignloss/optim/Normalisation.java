package io.alignloss.optim;

/**
 * What divides the loss sums of a pass in {@link RegularizedLoss}: the pass's own weight, or the known total
 * weight of the training data.
 */
public sealed interface Normalisation {
    /**
     * Divide by the weight {@code W = Σ w} of the rows the pass added: the weighted mean over the data, or over a
     * mini-batch (a ratio estimate of the mean). A pass that added no weight contributes 0.
     */
    record PassWeight() implements Normalisation {
    }

    /**
     * Divide by the training data's total weight {@code T}, fixed across passes: a mini-batch that keeps each row
     * with probability f estimates the total {@code Σ w·ℓ} by {@code Σ_batch w·ℓ / f} (a Horvitz-Thompson estimate).
     *
     * @param total T &gt; 0
     */
    record FixedTotal(double total) implements Normalisation {
        public FixedTotal {
            if (!(total > 0) || Double.isInfinite(total)) {
                throw new IllegalArgumentException(String.format("Invalid total weight: %s (must be finite and > 0)", total));
            }
        }
    }

    static Normalisation passWeight() {
        return new PassWeight();
    }

    static Normalisation fixedTotal(double total) {
        return new FixedTotal(total);
    }
}
