package io.alignloss.job;

import io.alignloss.stats.Resampling;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition's per-bucket hashes and the reduce side's count against a {@link HashSet} of the same values, with
 * repeats within and across partitions.
 */
class DistinctHashesTest {
    @Test
    void keepsEveryDistinctHashInItsBucketThroughGrowth() {
        Random random = new Random(5);
        DistinctHashes set = new DistinctHashes();
        Set<Long> expected = new HashSet<>();
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
        int total = 0;
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            int bucket = b;
            long[] sent = set.bucket(b);
            Set<Long> want = expected.stream().filter(h -> Resampling.bucketOf(h) == bucket).collect(Collectors.toSet());
            assertThat(Arrays.stream(sent).boxed().collect(Collectors.toSet())).as("bucket %d", b).isEqualTo(want);
            assertThat(sent.length).as("bucket %d: at most 4 × its distinct hashes", b).isLessThanOrEqualTo(4 * want.size() + 16);
            total += want.size();
        }
        assertThat(total).isEqualTo(expected.size());
    }

    @Test
    void anEmptyPartitionSendsNoHashes() {
        DistinctHashes set = new DistinctHashes();
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            assertThat(set.bucket(b)).isEmpty();
        }
        set.add(0L);
        set.add(0L);
        assertThat(set.bucket(0)).containsExactly(0L);
    }

    @Test
    void manyRepeatsOfFewHashesStaySmall() {
        DistinctHashes set = new DistinctHashes();
        Random random = new Random(3);
        long[] few = random.longs(7).toArray();
        for (int i = 0; i < 100_000; i++) {
            set.add(few[random.nextInt(few.length)]);
        }
        int sent = 0;
        for (int b = 0; b < Resampling.BUCKETS; b++) {
            sent += set.bucket(b).length;
        }
        assertThat(sent).isLessThanOrEqualTo(7 * 4 + 7 * 16);
    }

    @Test
    void partitionsHashesCountAsTheirUnion() {
        Random random = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            // partitions that share some clusters, in varied sizes (some empty), merged in varied orders
            int partitions = 1 + random.nextInt(12);
            long[] pool = random.longs(1 + random.nextInt(5_000)).toArray();
            Set<Long> union = new HashSet<>();
            CellAccumulator.ClusterHashes merged = null;
            for (int p = 0; p < partitions; p++) {
                DistinctHashes set = new DistinctHashes();
                for (int i = random.nextInt(8_000); i > 0; i--) {
                    long value = pool[random.nextInt(pool.length)];
                    set.add(value);
                    union.add(value);
                }
                for (int b = 0; b < Resampling.BUCKETS; b++) {
                    CellAccumulator.ClusterHashes part = CellAccumulator.ClusterHashes.of(set.bucket(b));
                    merged = merged == null ? part : random.nextBoolean() ? merged.merge(part) : part.merge(merged);
                }
            }
            assertThat(merged.distinct()).as("trial %d", trial).isEqualTo(union.size());
            assertThat(merged.collected().count()).isEqualTo(union.size());
        }
    }

    @Test
    void aBucketsCountMergesPartitionsPairwiseInAnyShape() {
        Random random = new Random(11);
        long[][] partitions = new long[40][];
        Set<Long> union = new HashSet<>();
        for (int p = 0; p < partitions.length; p++) {
            partitions[p] = random.longs(random.nextInt(300), -50, 50).toArray();
            Arrays.stream(partitions[p]).forEach(union::add);
        }
        // a balanced tree of merges, as a reduce side that merges merged parts
        CellAccumulator.ClusterHashes[] level = Arrays.stream(partitions).map(CellAccumulator.ClusterHashes::of)
                .toArray(CellAccumulator.ClusterHashes[]::new);
        while (level.length > 1) {
            CellAccumulator.ClusterHashes[] next = new CellAccumulator.ClusterHashes[(level.length + 1) / 2];
            for (int i = 0; i < next.length; i++) {
                next[i] = 2 * i + 1 < level.length ? level[2 * i].merge(level[2 * i + 1]) : level[2 * i];
            }
            level = next;
        }
        assertThat(level[0].distinct()).isEqualTo(union.size());
        assertThat(CellAccumulator.ClusterHashes.of(new long[0]).distinct()).isZero();
    }
}
