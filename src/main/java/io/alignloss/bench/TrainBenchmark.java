package io.alignloss.bench;

import io.alignloss.model.PairBlock;
import io.alignloss.objective.bradleyterry.PairLoss;
import io.alignloss.objective.bradleyterry.BradleyTerry;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.OptimizerState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code bench train}: seconds per L-BFGS iteration of the reward model's distributed loss over cached Δf
 * blocks, against MLlib {@code LogisticRegression} on the same Δf rows (the equivalent problem) and a
 * single-threaded plain Java loop over the same data in memory (the floor), in one run.
 */
public final class TrainBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainBenchmark.class);
    private static final double L2 = 1e-4;
    /** Both optimisers stop at this relative objective change: iterations past it are line searches at machine precision. */
    private static final double TOL = 1e-10;

    private TrainBenchmark() {
    }

    /** The rows of partition {@code p}: Δf with N(0, 1) floats, labelled by a hidden linear reward. */
    static Iterator<float[]> rows(long seed, int p, long count, int dimension) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + p);
        SplittableRandom truthRandom = new SplittableRandom(seed);
        double[] truth = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            truth[j] = (truthRandom.nextDouble() - 0.5) * 4 / Math.sqrt(dimension);
        }
        return new Iterator<>() {
            long made;

            @Override
            public boolean hasNext() {
                return made < count;
            }

            @Override
            public float[] next() {
                made++;
                // row = (Δf_1..Δf_d, label): label ~ Bernoulli(σ(φ*·Δf))
                float[] row = new float[dimension + 1];
                double margin = 0;
                for (int j = 0; j < dimension; j++) {
                    row[j] = (float) gaussian(random);
                    margin += truth[j] * row[j];
                }
                row[dimension] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1f : 0f;
                return row;
            }
        };
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    public static void run(SparkSession spark, long pairs, int dimension, int iterations, int partitions, long seed, PrintWriter out) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int cores = context.defaultParallelism();
        long perPartition = pairs / partitions;
        long total = perPartition * partitions;
        out.printf("bench train: %,d pairs x %d float features, %d partitions, %d cores, driver heap limit %.1f GB%n",
                total, dimension, partitions, cores, Runtime.getRuntime().maxMemory() / 1e9);
        out.flush();
        Ours ours = timeOurs(context, perPartition, dimension, iterations, partitions, seed);
        Mllib theirs = timeMllib(spark, context, perPartition, dimension, iterations, partitions, seed);
        long sampleRows = Math.min(perPartition, 200_000);
        double floorPerPass = timeFloorPass(sampleRows, dimension, seed) * total / sampleRows;

        out.printf("%-44s %10s%n", "", "seconds");
        out.printf("%-44s %10.1f   (%,.0f MB of float blocks)%n", "alignloss: build and cache Δf blocks", ours.cacheSeconds(),
                ours.cachedBytes() / 1e6);
        out.printf("%-44s %10.3f   (%d iterations, %d passes, peak heap %.1f GB)%n", "alignloss: per L-BFGS iteration",
                ours.perIteration(), ours.iterations(), ours.evaluations(), ours.peak() / 1e9);
        out.printf("%-44s %10.3f%n", "alignloss: per pass (loss + gradient)", ours.perPass());
        out.printf("%-44s %10.3f   (%d iterations; fits with 1 and with %d iterations took %.2f s and %.2f s; peak heap %.1f GB)%n",
                "MLlib LogisticRegression: per iteration", theirs.perIteration(), theirs.iterations(), theirs.iterations(), theirs.one(),
                theirs.many(), theirs.peak() / 1e9);
        out.printf("%-44s %10.3f   (one thread, %,d-row sample scaled to %,d)%n", "plain Java loop: per pass", floorPerPass, sampleRows, total);
        out.printf("ratio alignloss / MLlib per iteration: %.2f (goal <= 1.0)%n", ours.perIteration() / theirs.perIteration());
        out.printf("ratio alignloss pass / (plain loop pass / %d cores): %.2f (goal <= 2.0)%n", cores, ours.perPass() / (floorPerPass / cores));
        out.flush();
    }

    /** alignloss's timing: building and caching the blocks, then the L-BFGS iterations and passes, and the peak heap. */
    private record Ours(double cacheSeconds, long cachedBytes, long iterations, int evaluations, double seconds, double peak) {
        double perIteration() {
            return seconds / iterations;
        }

        double perPass() {
            return seconds / evaluations;
        }
    }

    /**
     * MLlib's timing: the fastest fits with 1 and with 1 + k iterations ({@code iterations} = the latter's count), the
     * difference per iteration, and the peak heap.
     */
    private record Mllib(double one, double many, int iterations, double peak) {
        double perIteration() {
            return (many - one) / Math.max(1, iterations - 1);
        }
    }

    // alignloss: cached float blocks of Δf, one treeReduce (DistributedLoss) per evaluation
    private static Ours timeOurs(JavaSparkContext context, long perPartition, int dimension, int iterations, int partitions,
            long seed) {
        BenchSupport.resetPeaks();
        long start = System.nanoTime();
        JavaRDD<PairBlock> blocks = BenchSupport.pairBlocks(context, partitions, perPartition, dimension, seed)
                .persist(StorageLevel.MEMORY_ONLY()).setName("bench pair blocks");
        long cachedBytes = blocks.map(PairBlock::bytes).reduce(Long::sum);
        double cacheSeconds = BenchSupport.seconds(start);
        PairLoss loss = new PairLoss(blocks, dimension, L2, 0, 2, 1, seed);
        loss.evaluate(new double[dimension]); // warm-up
        loss.evaluate(new double[dimension]);
        Lbfgs lbfgs = new Lbfgs(10, iterations, TOL);
        start = System.nanoTime();
        Lbfgs.Minimum minimum = lbfgs.minimise(new double[dimension], loss);
        OptimizerState state = minimum.state();
        int evaluations = minimum.evaluations();
        double ours = BenchSupport.seconds(start);
        double oursPeak = BenchSupport.peakHeap();
        LOG.info("alignloss: {} iterations, {} passes in {} s, objective {}", state.iteration(), evaluations, ours, state.value());
        blocks.unpersist(true);
        return new Ours(cacheSeconds, cachedBytes, state.iteration(), evaluations, ours, oursPeak);
    }

    // MLlib on the same Δf rows (label 1 / 0, weight 1): (T(1 + k) − T(1)) / k isolates the iterations
    private static Mllib timeMllib(SparkSession spark, JavaSparkContext context, long perPartition, int dimension, int iterations,
            int partitions, long seed) {
        BenchSupport.resetPeaks();
        JavaRDD<Integer> parts = context.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions);
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        JavaRDD<Row> rows = parts.mapPartitions(index -> labelledVectors(rows(seed, index.next(), perPartition, dimension), dimension));
        Dataset<Row> frame = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_ONLY());
        frame.count();
        LogisticRegression mllib = new LogisticRegression().setFitIntercept(false).setStandardization(false).setRegParam(L2)
                .setElasticNetParam(0).setTol(TOL);
        mllib.setMaxIter(1).fit(frame); // warm-up
        // each fit starts with a summary pass and blockifies the data: the fastest of two fits with 1 and with
        // 1 + k iterations, differenced, leaves the iterations' own time
        double one = Double.POSITIVE_INFINITY;
        double many = Double.POSITIVE_INFINITY;
        int mllibIterations = 0;
        for (int r = 0; r < 2; r++) {
            long start = System.nanoTime();
            mllib.setMaxIter(1).fit(frame);
            one = Math.min(one, BenchSupport.seconds(start));
            start = System.nanoTime();
            mllibIterations = mllib.setMaxIter(1 + iterations).fit(frame).summary().totalIterations();
            many = Math.min(many, BenchSupport.seconds(start));
        }
        double theirsPeak = BenchSupport.peakHeap();
        frame.unpersist(true);
        return new Mllib(one, many, mllibIterations, theirsPeak);
    }

    /** The generated rows as MLlib rows: (dense Δf vector, label). */
    private static Iterator<Row> labelledVectors(Iterator<float[]> generated, int dimension) {
        return new Iterator<Row>() {
            public boolean hasNext() {
                return generated.hasNext();
            }

            public Row next() {
                float[] row = generated.next();
                double[] values = new double[dimension];
                for (int j = 0; j < dimension; j++) {
                    values[j] = row[j];
                }
                return RowFactory.create(Vectors.dense(values), (double) row[dimension]);
            }
        };
    }

    /** The floor: seconds per plain-loop pass, one thread, over partition 0's first {@code sampleRows} rows held in memory. */
    private static double timeFloorPass(long sampleRows, int dimension, long seed) {
        float[] data = new float[(int) (sampleRows * dimension)];
        float[] labels = new float[(int) sampleRows];
        Iterator<float[]> generated = rows(seed, 0, sampleRows, dimension);
        for (int i = 0; i < sampleRows; i++) {
            float[] row = generated.next();
            System.arraycopy(row, 0, data, i * dimension, dimension);
            labels[i] = row[dimension];
        }
        double[] weights = new double[dimension];
        java.util.Arrays.fill(weights, 0.01);
        floorPass(data, labels, dimension, weights); // warm-up
        floorPass(data, labels, dimension, weights);
        long start = System.nanoTime();
        int floorRepeats = 5;
        for (int r = 0; r < floorRepeats; r++) {
            floorPass(data, labels, dimension, weights);
        }
        return BenchSupport.seconds(start) / floorRepeats;
    }

    // one pass of Σ softplus and its gradient, the way a straightforward hand-written loop would do it (hard labels,
    // naive σ): the timing floor, written out on purpose rather than through BradleyTerry.loss/derivative
    static double floorPass(float[] data, float[] labels, int dimension, double[] weights) {
        double[] gradient = new double[dimension];
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            int offset = i * dimension;
            double z = 0;
            for (int j = 0; j < dimension; j++) {
                z += weights[j] * data[offset + j];
            }
            double p = labels[i];
            loss += p >= 0.5 ? BradleyTerry.softplus(-z) : BradleyTerry.softplus(z);
            double g = 1 / (1 + Math.exp(-z)) - p;
            for (int j = 0; j < dimension; j++) {
                gradient[j] += g * data[offset + j];
            }
        }
        return loss + gradient[0];
    }
}
