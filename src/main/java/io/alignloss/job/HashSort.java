package io.alignloss.job;

import java.util.Arrays;

/**
 * Sorts 64-bit hashes ascending (as signed longs) and drops repeats, in time linear in their number when the hashes
 * are uniform, as XXH64 values are: one counting pass sends each hash to one of about n/2 bins by its top bits (sign
 * bit flipped, so that the bins follow signed order), one pass scatters the hashes into their bins, and each bin (about
 * two hashes) is sorted by insertion. A bin of more than {@value #INSERTION_MAX} hashes (hashes that are not uniform:
 * all equal, small integers) is sorted with {@link Arrays#sort}, so the worst case stays {@code n log n}.
 *
 * <p>{@link Arrays#sort} (dual-pivot quicksort) of the few thousand hashes a bucket holds costs about {@code log2 n}
 * comparisons per hash and mispredicts a branch on about half of them: 12% of the clustered evaluate pass's task CPU
 * in a profile of {@code bench evaluate}.
 *
 * <p>Keeps its scratch arrays between calls: one instance per task, not shared between threads.
 */
final class HashSort {
    /** Below this many hashes, an insertion sort of the whole range; above, the binned sort. */
    private static final int SMALL = 48;
    /** The largest bin sorted by insertion. */
    static final int INSERTION_MAX = 32;
    /** At most 2^MAX_BITS bins: 256 KB of counts. */
    private static final int MAX_BITS = 16;

    private int[] ends = new int[0];
    private long[] scratch = new long[0];

    /** Sorts {@code values[0, n)} and moves each distinct value once to the front, ascending; returns how many there are. */
    int sortDistinct(long[] values, int n) {
        if (n < SMALL) {
            insertionSort(values, 0, n);
            return distinctInPlace(values, n);
        }
        // bins ≈ n/2 .. n/4: two to four hashes a bin
        int bits = Math.min(MAX_BITS, 63 - Long.numberOfLeadingZeros(n) - 1);
        int shift = 64 - bits;
        int bins = 1 << bits;
        if (ends.length < bins) {
            ends = new int[bins];
        }
        else {
            Arrays.fill(ends, 0, bins, 0);
        }
        if (scratch.length < n) {
            scratch = new long[Math.max(n, 2 * scratch.length)];
        }
        int[] counts = ends;
        for (int i = 0; i < n; i++) {
            counts[bin(values[i], shift)]++;
        }
        // counts → starts (exclusive prefix sums); the scatter then moves each start to its bin's end
        int start = 0;
        for (int b = 0; b < bins; b++) {
            int count = counts[b];
            counts[b] = start;
            start += count;
        }
        long[] binned = scratch;
        for (int i = 0; i < n; i++) {
            long value = values[i];
            binned[counts[bin(value, shift)]++] = value;
        }
        int distinct = 0;
        int from = 0;
        for (int b = 0; b < bins; b++) {
            int to = ends[b];
            if (to - from > INSERTION_MAX) {
                Arrays.sort(binned, from, to);
            }
            else {
                insertionSort(binned, from, to);
            }
            // equal values share a bin, and the bins come in order: a repeat is always next to its first copy
            for (int i = from; i < to; i++) {
                long value = binned[i];
                if (distinct == 0 || value != values[distinct - 1]) {
                    values[distinct++] = value;
                }
            }
            from = to;
        }
        return distinct;
    }

    // the top bits of the hash with its sign bit flipped: bins in the order of the signed values
    private static int bin(long value, int shift) {
        return (int) ((value ^ Long.MIN_VALUE) >>> shift);
    }

    private static void insertionSort(long[] values, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long value = values[i];
            int j = i - 1;
            while (j >= from && values[j] > value) {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = value;
        }
    }

    private static int distinctInPlace(long[] values, int n) {
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || values[i] != values[distinct - 1]) {
                values[distinct++] = values[i];
            }
        }
        return distinct;
    }
}
