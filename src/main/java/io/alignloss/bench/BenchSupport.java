package io.alignloss.bench;

import io.alignloss.model.FeatureVector;
import io.alignloss.model.PairBlock;
import io.alignloss.model.PairData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static java.lang.String.format;

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

    /** The median of the values (the mean of the middle two for an even count); NaN when there are none. */
    static double median(java.util.stream.DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** The 1, 5 and 15 minute load averages (Linux), or the 1 minute one. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, 3));
        }
        catch (IOException | RuntimeException e) {
            return format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
