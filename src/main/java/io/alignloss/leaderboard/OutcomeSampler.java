package io.alignloss.leaderboard;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.SplittableRandom;

import static java.lang.String.format;

/**
 * The multinomial draw of one bootstrap round: N battles drawn uniformly with replacement from the N observed ones,
 * battle {@code j} (0 ≤ j &lt; N) belonging to the outcome k with {@code C_{k−1} ≤ j < C_k}, where
 * {@code C_k = c_0 + … + c_k} are the cumulative counts; so {@code n_k ~ Multinomial(N, c_k / N)}. Outcomes with a
 * count of 0 are never drawn.
 *
 * <p>A battle is mapped to its outcome with a guide table (Chen and Asau 1974): the battles are cut into blocks of
 * 2^shift, up to 4 blocks per outcome, and {@code guide[b]} is the outcome of the block's first battle; the
 * outcome of battle j is found by stepping forward from {@code guide[j >> shift]} while {@code C_k ≤ j}, about one step on
 * average. The result is the one a binary search over C gives (the smallest k with {@code C_k > j}); the binary search
 * took ~17 steps per draw, most of them cache misses, and was ~90% of a round with 10^5 outcomes and 1.6M battles.
 * Each draw takes one {@code random.nextLong(N)}, as before, so a seed still gives the same counts.
 */
final class OutcomeSampler {
    /** Guide blocks per outcome at most: 4 (16 bytes per outcome) looked a little faster than 1 (fewer steps; noisy, 88k outcomes). */
    private static final long BLOCKS_PER_OUTCOME = 4;
    /** The most battles a round can draw: one int per draw, in one array. */
    static final long MAX_BATTLES = Integer.MAX_VALUE - 8;

    private final long[] cumulative;
    private final long total;
    private final int shift;
    private final int[] guide;

    /** For integer counts {@code counts[k]} (rounded) of N = Σ counts battles. */
    OutcomeSampler(double[] counts) {
        cumulative = new long[counts.length];
        long running = 0;
        for (int k = 0; k < counts.length; k++) {
            long count = Math.round(counts[k]);
            if (count < 0) {
                throw new IllegalArgumentException("Cannot draw battles from a negative count: " + counts[k]);
            }
            running += count;
            cumulative[k] = running;
        }
        total = running;
        if (total > MAX_BATTLES) {
            throw new AlignLossException(ErrorCode.USAGE, format("Cannot bootstrap %d battles: at most %d can be drawn per round; "
                    + "pass --bootstrap 0", total, MAX_BATTLES));
        }
        // the smallest block of 2^shift battles that gives at most BLOCKS_PER_OUTCOME blocks per outcome
        int shift = 0;
        while (shift < 62 && ((total - 1) >> shift) + 1 > BLOCKS_PER_OUTCOME * Math.max(1, counts.length)) {
            shift++;
        }
        this.shift = shift;
        guide = new int[(int) (total == 0 ? 1 : ((total - 1) >> shift) + 1)];
        int k = 0;
        for (int block = 0; block < guide.length; block++) {
            long first = (long) block << shift;
            while (k < cumulative.length - 1 && cumulative[k] <= first) {
                k++;
            }
            guide[block] = k;
        }
    }

    /** N, the battles drawn per round. */
    long total() {
        return total;
    }

    /** One round's counts {@code n_k}: {@link #counts} of {@link #battles}. */
    double[] draw(SplittableRandom random) {
        return counts(battles(random));
    }

    /**
     * One round's battles: N draws of {@code random.nextLong(N)}, in order (the part of a round that must run in turn,
     * one round after the other, since all rounds take their draws from one generator).
     */
    int[] battles(SplittableRandom random) {
        if (total == 0) {
            throw new IllegalStateException("Cannot draw battles: there are none");
        }
        int[] battles = new int[(int) total];
        for (int draw = 0; draw < battles.length; draw++) {
            battles[draw] = (int) random.nextLong(total);
        }
        return battles;
    }

    /** The counts {@code n_k}: how many of {@code battles} (indices in 0 … N − 1) belong to each outcome k. */
    double[] counts(int[] battles) {
        int[] drawn = new int[cumulative.length];
        for (int battle : battles) {
            int k = guide[battle >>> shift];
            while (cumulative[k] <= battle) {
                k++;
            }
            drawn[k]++;
        }
        double[] counts = new double[cumulative.length];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = drawn[k];
        }
        return counts;
    }
}
