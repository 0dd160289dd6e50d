package io.alignloss.bench;

import io.alignloss.model.FeatureVector;
import io.alignloss.model.PairBlock;
import io.alignloss.model.PairData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/** What the benchmarks share: generated Δf pair blocks, heap peaks and timing. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** {@code partitions × perPartition} generated pairs ({@link TrainBenchmark#rows}) as dense pair blocks (not cached). */
    static JavaRDD<PairBlock> pairBlocks(JavaSparkContext context, int partitions, long perPartition, int dimension, long seed) {
        return context.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).mapPartitions(index -> {
            Iterator<float[]> rows = TrainBenchmark.rows(seed, index.next(), perPartition, dimension);
            List<PairBlock> blocks = new ArrayList<>();
            PairBlock.Builder builder = new PairBlock.Builder(dimension, true, false);
            FeatureVector zero = FeatureVector.dense(new float[dimension]);
            while (rows.hasNext()) {
                float[] row = rows.next();
                // the row is Δf itself: chosen = Δf, rejected = 0
                builder.add(FeatureVector.dense(Arrays.copyOf(row, dimension)), zero, row[dimension], 1, 0, 0);
                if (builder.size() == PairData.BLOCK_ROWS) {
                    blocks.add(builder.build());
                    builder = new PairBlock.Builder(dimension, true, false);
                }
            }
            if (builder.size() > 0) {
                blocks.add(builder.build());
            }
            return blocks.iterator();
        });
    }

    /** Collects garbage and resets the heap pools' peak usage. */
    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since the last reset, in bytes (an upper bound of the heap's peak). */
    static double peakHeap() {
        double peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
