package io.alignloss.job;

import io.alignloss.stats.Resampling;

import java.util.Arrays;

/**
 * The distinct 64-bit hashes one partition has seen: an open-addressing set of {@code long}s (linear probing, a
 * power-of-two table kept at most half full: 16 to 32 bytes per distinct hash).
 * A hash of 0 is kept in a flag, since 0 marks an empty slot. The hashes are seeded xxhash64 values, already
 * uniform, but the slot is taken from the high bits of a Fibonacci multiple so that structured input would not
 * cluster either.
 */
final class DistinctHashes {
    private static final int INITIAL_CAPACITY = 1 << 10;
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;

    private long[] slots = new long[INITIAL_CAPACITY];
    private int shift = Long.SIZE - Integer.numberOfTrailingZeros(INITIAL_CAPACITY);
    private int size;
    private boolean hasZero;
    /** The last hash added: rows of one cluster often come one after another, and a repeat costs no probe. */
    private long last;
    private boolean hasLast;

    void add(long hash) {
        if (hasLast && hash == last) {
            return;
        }
        last = hash;
        hasLast = true;
        if (hash == 0) {
            hasZero = true;
            return;
        }
        int mask = slots.length - 1;
        int slot = (int) ((hash * FIBONACCI) >>> shift);
        while (slots[slot] != 0) {
            if (slots[slot] == hash) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot] = hash;
        if (++size > slots.length / 2) {
            grow();
        }
    }

    /** Number of distinct hashes added. */
    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private void grow() {
        long[] old = slots;
        slots = new long[2 * old.length];
        shift--;
        int mask = slots.length - 1;
        for (long hash : old) {
            if (hash != 0) {
                int slot = (int) ((hash * FIBONACCI) >>> shift);
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = hash;
            }
        }
    }

    /** The distinct hashes, ascending. */
    long[] sorted() {
        long[] values = new long[size()];
        int k = 0;
        if (hasZero) {
            values[k++] = 0;
        }
        for (long hash : slots) {
            if (hash != 0) {
                values[k++] = hash;
            }
        }
        Arrays.sort(values);
        return values;
    }

    /**
     * The distinct hashes split by resampling bucket ({@link Resampling#bucketOf}): entry b holds bucket b's,
     * ascending (empty when none).
     */
    long[][] byBucket() {
        long[] values = sorted();
        int[] counts = new int[Resampling.BUCKETS];
        for (long hash : values) {
            counts[Resampling.bucketOf(hash)]++;
        }
        long[][] buckets = new long[Resampling.BUCKETS][];
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            buckets[b] = new long[counts[b]];
            counts[b] = 0;
        }
        for (long hash : values) {
            int b = Resampling.bucketOf(hash);
            buckets[b][counts[b]++] = hash;
        }
        return buckets;
    }
}
