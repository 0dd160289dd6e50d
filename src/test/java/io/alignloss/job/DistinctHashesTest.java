package io.alignloss.job;

import io.alignloss.stats.Resampling;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The partition's hash set and the per-bucket union against a {@link TreeSet} of the same values. */
class DistinctHashesTest {
    @Test
    void keepsEachDistinctHashOnceThroughGrowth() {
        Random random = new Random(5);
        DistinctHashes set = new DistinctHashes();
        TreeSet<Long> expected = new TreeSet<>();
        long[] special = {0L, Long.MIN_VALUE, Long.MAX_VALUE, -1L, 1L};
        long[] pool = new long[30_000];
        for (int i = 0; i < pool.length; i++) {
            // small values collide in the low bits; random ones are what xxhash64 gives
            pool[i] = i % 3 == 0 ? i : random.nextLong();
        }
        for (int i = 0; i < 200_000; i++) {
            long value = random.nextInt(50) == 0 ? special[random.nextInt(special.length)] : pool[random.nextInt(pool.length)];
            set.add(value);
            expected.add(value);
            if (random.nextInt(4) == 0) {
                set.add(value); // an immediate repeat, as rows of one cluster side by side
            }
        }
        assertThat(set.size()).isEqualTo(expected.size());
        assertThat(set.sorted()).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());

        long[][] byBucket = set.byBucket();
        assertThat(byBucket.length).isEqualTo(Resampling.BUCKETS);
        int total = 0;
        for (int b = 0; b < byBucket.length; b++) {
            int bucket = b;
            long[] want = expected.stream().mapToLong(Long::longValue).filter(h -> Resampling.bucketOf(h) == bucket).toArray();
            assertThat(byBucket[b]).as("bucket %d", b).containsExactly(want);
            total += byBucket[b].length;
        }
        assertThat(total).isEqualTo(expected.size());
    }

    @Test
    void anEmptySetHasNoHashes() {
        DistinctHashes set = new DistinctHashes();
        assertThat(set.size()).isZero();
        assertThat(set.sorted()).isEmpty();
        set.add(0L);
        set.add(0L);
        assertThat(set.sorted()).containsExactly(0L);
    }

    @Test
    void bucketHashesUniteAsASortedSetUnion() {
        Random random = new Random(9);
        for (int trial = 0; trial < 50; trial++) {
            TreeSet<Long> a = new TreeSet<>();
            TreeSet<Long> b = new TreeSet<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                a.add((long) random.nextInt(60) - 30);
            }
            for (int i = random.nextInt(40); i > 0; i--) {
                b.add((long) random.nextInt(60) - 30);
            }
            TreeSet<Long> union = new TreeSet<>(a);
            union.addAll(b);
            CellAccumulator.ClusterHashes merged = CellAccumulator.ClusterHashes.of(toArray(a))
                    .merge(CellAccumulator.ClusterHashes.of(toArray(b)));
            assertThat(merged.sorted()).containsExactly(toArray(union));
            assertThat(merged.count()).isEqualTo(union.size());
            assertThat(merged.collected().count()).isEqualTo(union.size());
            assertThat(merged.collected().sorted()).isEmpty();
        }
    }

    private static long[] toArray(TreeSet<Long> values) {
        List<Long> list = new ArrayList<>(values);
        return list.stream().mapToLong(Long::longValue).toArray();
    }
}
