package io.alignloss.optim;

import java.io.Serializable;

/**
 * The mini-batch of one iteration of a stochastic optimiser: each row is kept with probability {@code fraction},
 * decided by the row's stable hash, the seed and the iteration, so batches do not depend on partitioning and a
 * resumed run draws the same ones.
 * <pre>
 *   keep(h) ⇔ u(h ⊕ (seed·0x9E3779B97F4A7C15 + iteration)) &lt; fraction,     u = SplitMix64 finaliser → [0, 1)
 * </pre>
 */
public final class MiniBatch implements Serializable {
    private final long mixed;
    private final double fraction;

    private MiniBatch(long mixed, double fraction) {
        this.mixed = mixed;
        this.fraction = fraction;
    }

    /** The mini-batch of {@code iteration} under {@code seed}, keeping each row with probability {@code fraction}. */
    public static MiniBatch of(long seed, long iteration, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(String.format("Cannot draw a mini-batch: fraction %s (must be in (0, 1])", fraction));
        }
        return new MiniBatch(seed * 0x9E3779B97F4A7C15L + iteration, fraction);
    }

    /** Whether the row with stable hash {@code hash} is in the batch. */
    public boolean keep(long hash) {
        return uniform(hash ^ mixed) < fraction;
    }

    /** The probability f with which a row is kept. */
    public double fraction() {
        return fraction;
    }

    // a uniform number in [0, 1) from 64 hashed bits (SplitMix64 finaliser)
    static double uniform(long bits) {
        long z = bits + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
