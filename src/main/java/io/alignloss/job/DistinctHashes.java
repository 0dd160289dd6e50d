package io.alignloss.job;

import io.alignloss.stats.Resampling;

import java.util.Arrays;

/**
 * The 64-bit hashes one partition has seen, kept by resampling bucket ({@link Resampling#bucketOf}) with most repeats
 * dropped: each bucket appends its hashes to its own array and, when the array is full, sorts it and drops repeats in
 * place ({@link HashSort}), growing it when more than half of it stays distinct. What a bucket then holds (its
 * array's distinct sorted part and the hashes appended since) is sent as it is: the reduce side sorts each bucket's
 * hashes from all partitions once, so a sort here at the end would only repeat that work. Memory: up to 43 bytes per
 * distinct hash (an array grown ×4 from just over 3/4 distinct); what is sent, up to 32 bytes per distinct hash (8
 * when there are no repeats).
 *
 * <p>Appending is a sequential write into one of 100 arrays; the open-addressing hash set used before probed one
 * random slot of a table of several MB per row (a cache miss each) and then sorted its content anyway: 24% of the
 * default (clustered) pass's task CPU time in a profile of {@code bench evaluate}, the sort another 12%.
 */
final class DistinctHashes {
    private static final int INITIAL_CAPACITY = 16;

    /** Per bucket: its hashes; the first {@code sortedEnd[b]} ascending and distinct, then {@code filled[b]} in all. */
    private final long[][] buckets = new long[Resampling.BUCKETS][];
    private final int[] filled = new int[Resampling.BUCKETS];
    private final int[] sortedEnd = new int[Resampling.BUCKETS];
    private final HashSort sort = new HashSort();
    /** The last hash added: rows of one cluster often come one after another, and a repeat costs no append. */
    private long last;
    private boolean hasLast;

    DistinctHashes() {
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            buckets[b] = new long[INITIAL_CAPACITY];
        }
    }

    void add(long hash) {
        if (hasLast && hash == last) {
            return;
        }
        last = hash;
        hasLast = true;
        int b = Resampling.bucketOf(hash);
        long[] values = buckets[b];
        if (filled[b] == values.length) {
            values = compact(b);
        }
        values[filled[b]++] = hash;
    }

    /**
     * Sorts and deduplicates bucket b's array; returns it with room for at least one more hash: grown ×4 when more than
     * 3/4 of it stays distinct (hashes that rarely repeat are then sorted about a third as often as with ×2), ×2 when
     * more than half.
     */
    private long[] compact(int b) {
        long[] values = buckets[b];
        int distinct = sort.sortDistinct(values, filled[b]);
        filled[b] = distinct;
        sortedEnd[b] = distinct;
        int growth = distinct > values.length / 4 * 3 ? 4 : distinct > values.length / 2 ? 2 : 1;
        if (growth > 1) {
            values = Arrays.copyOf(values, growth * values.length);
            buckets[b] = values;
        }
        return values;
    }

    /**
     * Bucket b's hashes: every distinct hash added to it at least once, in no particular order, and at most four times
     * as many values as distinct hashes (plus {@value #INITIAL_CAPACITY}); empty when none.
     */
    long[] bucket(int b) {
        if (filled[b] > 4 * sortedEnd[b] + INITIAL_CAPACITY) {
            compact(b);
        }
        return Arrays.copyOf(buckets[b], filled[b]);
    }
}
