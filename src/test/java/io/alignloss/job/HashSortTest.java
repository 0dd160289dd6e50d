package io.alignloss.job;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The binned sort with repeats dropped, against a {@link TreeSet} of the same values. */
class HashSortTest {
    private final HashSort sort = new HashSort();

    @Test
    void uniformHashesWithRepeatsOfEverySize() {
        Random random = new Random(1);
        for (int n : new int[]{0, 1, 2, 47, 48, 49, 100, 1_000, 4_096, 30_000, 100_000}) {
            long[] pool = random.longs(Math.max(1, n / 3)).toArray();
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = random.nextBoolean() ? random.nextLong() : pool[random.nextInt(pool.length)];
            }
            check(values);
        }
    }

    @Test
    void edgeCases() {
        check(new long[0]);
        long[] equal = new long[10_000];
        Arrays.fill(equal, 42L);
        check(equal); // one bin holds all: the fallback sort
        check(new Random(2).longs(10_000).toArray()); // all distinct
        check(java.util.stream.LongStream.range(-5_000, 5_000).toArray()); // small integers: two bins, sorted already
        check(java.util.stream.LongStream.range(0, 10_000).map(i -> 9_999 - i).toArray()); // descending
        long[] extremes = new long[3_000];
        Random random = new Random(3);
        long[] special = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (int i = 0; i < extremes.length; i++) {
            extremes[i] = random.nextInt(3) == 0 ? special[random.nextInt(special.length)] : random.nextLong();
        }
        check(extremes);
    }

    @Test
    void reusesItsBuffersAcrossSizes() {
        Random random = new Random(4);
        for (int trial = 0; trial < 10; trial++) {
            check(random.longs(random.nextInt(20_000), -1_000, 1_000).toArray());
            check(random.longs(random.nextInt(20_000)).toArray());
        }
    }

    private void check(long[] values) {
        TreeSet<Long> expected = new TreeSet<>();
        for (long value : values) {
            expected.add(value);
        }
        long[] sorted = Arrays.copyOf(values, values.length + 5); // a tail past n is not touched
        Arrays.fill(sorted, values.length, sorted.length, 7L);
        int distinct = sort.sortDistinct(sorted, values.length);
        assertThat(distinct).isEqualTo(expected.size());
        assertThat(Arrays.copyOf(sorted, distinct)).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        assertThat(Arrays.copyOfRange(sorted, values.length, sorted.length)).containsOnly(7L);
    }
}
