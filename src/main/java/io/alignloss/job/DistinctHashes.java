package io.alignloss.job;

import io.alignloss.stats.Resampling;

import java.util.Arrays;

/**
 * The distinct 64-bit hashes one partition has seen, kept by resampling bucket ({@link Resampling#bucketOf}): each
 * bucket appends its hashes to its own array and, when the array is full, sorts it and drops repeats in place
 * (growing it ×2 when more than half of it stays distinct). Memory: up to 32 bytes per distinct hash, as the hash
 * set it replaces.
 *
 * <p>Appending is a sequential write into one of 100 arrays; the open-addressing hash set used before probed one
 * random slot of a table of several MB per row (a cache miss each) and then sorted its content anyway, for the
 * per-bucket sorted lists the scan sends: 24% of the default (clustered) pass's task CPU time in a profile of
 * {@code bench evaluate}, the sort another 12%. Sorting 100 arrays of a few thousand hashes each is cheaper than
 * sorting one of a few hundred thousand.
 */
final class DistinctHashes {
    private static final int INITIAL_CAPACITY = 16;

    /** Per bucket: its hashes; the first {@code sortedEnd[b]} ascending and distinct, then {@code filled[b]} in all. */
    private final long[][] buckets = new long[Resampling.BUCKETS][];
    private final int[] filled = new int[Resampling.BUCKETS];
    private final int[] sortedEnd = new int[Resampling.BUCKETS];
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

    /** Sorts and deduplicates bucket b's array; returns it with room for at least one more hash (grown when half full). */
    private long[] compact(int b) {
        long[] values = buckets[b];
        int distinct = sortDistinct(values, filled[b]);
        filled[b] = distinct;
        sortedEnd[b] = distinct;
        if (distinct > values.length / 2) {
            values = Arrays.copyOf(values, 2 * values.length);
            buckets[b] = values;
        }
        return values;
    }

    // sorts values[0, n) and moves each distinct value once to the front; returns how many there are
    private static int sortDistinct(long[] values, int n) {
        Arrays.sort(values, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || values[i] != values[distinct - 1]) {
                values[distinct++] = values[i];
            }
        }
        return distinct;
    }

    /** Number of distinct hashes added. */
    int size() {
        int size = 0;
        for (long[] bucket : byBucket()) {
            size += bucket.length;
        }
        return size;
    }

    /** The distinct hashes, ascending. */
    long[] sorted() {
        long[][] byBucket = byBucket();
        int size = 0;
        for (long[] bucket : byBucket) {
            size += bucket.length;
        }
        long[] values = new long[size];
        int k = 0;
        for (long[] bucket : byBucket) {
            System.arraycopy(bucket, 0, values, k, bucket.length);
            k += bucket.length;
        }
        Arrays.sort(values);
        return values;
    }

    /** The distinct hashes by bucket: entry b holds bucket b's, ascending (empty when none). */
    long[][] byBucket() {
        long[][] distinct = new long[Resampling.BUCKETS][];
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            if (sortedEnd[b] != filled[b]) {
                int n = sortDistinct(buckets[b], filled[b]);
                filled[b] = n;
                sortedEnd[b] = n;
            }
            distinct[b] = Arrays.copyOf(buckets[b], filled[b]);
        }
        return distinct;
    }
}
