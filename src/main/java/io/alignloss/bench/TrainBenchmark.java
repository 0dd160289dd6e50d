package io.alignloss.bench;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.model.Featurizer;
import io.alignloss.model.PairBlock;
import io.alignloss.model.PairData;
import io.alignloss.objective.bradleyterry.PairLoss;
import io.alignloss.objective.bradleyterry.BradleyTerry;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.OptimizerState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
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
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;

/**
 * {@code bench train}: the reward fit END TO END, alignloss against MLlib {@code LogisticRegression} on the same
 * cached preference frame and to the same optimum, in one run, with a single-threaded plain Java loop as the
 * per-pass floor.
 *
 * <p>The frame (generated, cached, not timed) holds what a preference input with embedding features holds after
 * reading: empty prompt and texts, {@code chosen_embedding} = the generated Δf as {@code array<float>}, {@code rejected_embedding} = the
 * zero vector (so Δf = chosen − rejected is the generated row exactly), the label, weight 1 and a row hash.
 * <ul>
 *   <li>alignloss: {@link PairData#blocks} (as {@code train} builds them) cached, then {@link Lbfgs} over
 *       {@link PairLoss} from φ = 0 until it stops;</li>
 *   <li>MLlib: {@code array_to_vector(chosen_embedding)} and the label, then {@code LogisticRegression} (no
 *       intercept, no standardisation, the same L2 and tolerance) from the same frame to a fitted model.</li>
 * </ul>
 * The two sides run alternately (A B B A …) {@code repeat} times each; a difference or ratio inside the spread of the
 * repeats is flagged with a WARNING. Both optima are checked against one independent plain-Java objective
 * {@link #objective} evaluated at each side's weights over the generated rows.
 */
public final class TrainBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainBenchmark.class);
    private static final double L2 = 1e-4;
    /** Both optimisers stop at this relative objective change: iterations past it are line searches at machine precision. */
    private static final double TOL = 1e-10;
    /** The objectives of the two fits must agree to this relative difference for the times to be comparable. */
    static final double SAME_OPTIMUM = 1e-6;
    /** The goal for alignloss / MLlib end to end. */
    static final double GOAL = 0.5;
    /** The goal for alignloss's pass against the plain loop's pass divided by the cores. */
    static final double PASS_GOAL = 2.0;

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

    public static void run(SparkSession spark, long pairs, int dimension, int maxIterations, int partitions, int repeat, long seed,
            PrintWriter out) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int cores = context.defaultParallelism();
        long perPartition = pairs / partitions;
        long total = perPartition * partitions;
        double loadBefore = loadAverage();
        out.printf("bench train: %,d pairs x %d float features, %d partitions, %d cores, driver heap limit %.1f GB, "
                + "%d alternated repeats per side, load average (1 min) %.2f%n", total, dimension, partitions, cores,
                Runtime.getRuntime().maxMemory() / 1e9, repeat, loadBefore);
        out.flush();
        Dataset<Row> frame = frame(spark, context, perPartition, dimension, partitions, seed).persist(StorageLevel.MEMORY_ONLY());
        frame.count();
        // warm-up of both code paths on a small frame of their own (a limit() of the big one would shuffle), so
        // that neither side pays the JIT for the other
        Dataset<Row> small = frame(spark, context, Math.min(perPartition, 10_000), dimension, 2, seed + 1).persist(StorageLevel.MEMORY_ONLY());
        fitOurs(small, dimension, 2);
        fitMllib(small, 2);
        small.unpersist(true);

        List<Ours> ours = new ArrayList<>();
        List<Mllib> theirs = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            // A B B A: each side runs first as often as second
            if (r % 2 == 0) {
                ours.add(fitOurs(frame, dimension, maxIterations));
                theirs.add(fitMllib(frame, maxIterations));
            }
            else {
                theirs.add(fitMllib(frame, maxIterations));
                ours.add(fitOurs(frame, dimension, maxIterations));
            }
        }
        long sampleRows = Math.min(perPartition, 200_000);
        double floorPerPass = timeFloorPass(sampleRows, dimension, seed) * total / sampleRows;
        Ours lastOurs = ours.get(ours.size() - 1);
        Mllib lastTheirs = theirs.get(theirs.size() - 1);
        double[] objectives = objective(context, partitions, perPartition, dimension, seed, List.of(lastOurs.weights(), lastTheirs.weights()));
        frame.unpersist(true);
        double loadAfter = loadAverage();

        Spread oursTotal = Spread.of(ours.stream().mapToDouble(Ours::total).toArray());
        Spread oursBuild = Spread.of(ours.stream().mapToDouble(Ours::build).toArray());
        Spread oursFit = Spread.of(ours.stream().mapToDouble(Ours::fit).toArray());
        Spread oursPass = Spread.of(ours.stream().mapToDouble(Ours::perPass).toArray());
        Spread theirsTotal = Spread.of(theirs.stream().mapToDouble(Mllib::total).toArray());
        Spread theirsPerIteration = Spread.of(theirs.stream().mapToDouble(Mllib::perIteration).toArray());

        out.printf("%-52s %10s %18s%n", "", "median s", "min - max");
        out.printf("%-52s %10.2f %18s   (%,.0f MB of float blocks)%n", "alignloss: build and cache the Δf blocks", oursBuild.median(),
                oursBuild.range(), lastOurs.cachedBytes() / 1e6);
        out.printf("%-52s %10.2f %18s   (%d iterations, %d passes)%n", "alignloss: L-BFGS to convergence", oursFit.median(), oursFit.range(),
                lastOurs.iterations(), lastOurs.passes());
        out.printf("%-52s %10.2f %18s   (peak heap %.1f GB)%n", "alignloss: end to end", oursTotal.median(), oursTotal.range(),
                lastOurs.peak() / 1e9);
        out.printf("%-52s %10.2f %18s   (%d iterations; peak heap %.1f GB)%n", "MLlib LogisticRegression: end to end", theirsTotal.median(),
                theirsTotal.range(), lastTheirs.iterations(), lastTheirs.peak() / 1e9);
        out.printf("objective at each side's weights (independent plain-Java loop over the generated rows): alignloss %.12f, MLlib %.12f, "
                + "relative difference %.1e (must be <= %.0e)%n", objectives[0], objectives[1], relative(objectives[0], objectives[1]), SAME_OPTIMUM);
        out.printf("objective each side reports: alignloss %.12f (its L-BFGS state), MLlib %.12f (last of its objective history)%n",
                lastOurs.objective(), lastTheirs.objective());
        out.println("context, per pass:");
        out.printf("  %-50s %10.3f %18s%n", "alignloss: per pass (loss + gradient)", oursPass.median(), oursPass.range());
        out.printf("  %-50s %10.3f %18s   (an upper bound: includes its summary pass and blockifying)%n",
                "MLlib: fit seconds / iterations", theirsPerIteration.median(), theirsPerIteration.range());
        out.printf("  %-50s %10.3f   (one thread, %,d-row sample scaled to %,d)%n", "plain Java loop: per pass", floorPerPass, sampleRows, total);
        double ratio = oursTotal.median() / theirsTotal.median();
        out.printf("ratio alignloss / MLlib end to end: %.2f (range %.2f - %.2f over the repeats; goal <= %.1f)%n", ratio,
                oursTotal.min() / theirsTotal.max(), oursTotal.max() / theirsTotal.min(), GOAL);
        out.printf("ratio alignloss pass / (plain loop pass / %d cores): %.2f (goal <= %.1f)%n", cores, oursPass.median() / (floorPerPass / cores),
                PASS_GOAL);
        out.printf("load average (1 min): %.2f at the start, %.2f at the end (%d cores)%n", loadBefore, loadAfter, cores);
        for (String warning : warnings(oursTotal, theirsTotal, objectives, repeat, Math.max(loadBefore, loadAfter), cores)) {
            out.println("WARNING: " + warning);
        }
        out.flush();
    }

    /** The warnings a reader of the ratios needs: noise, a different optimum, a loaded machine. */
    static List<String> warnings(Spread ours, Spread theirs, double[] objectives, int repeat, double load, int cores) {
        List<String> warnings = new ArrayList<>();
        if (repeat < 2) {
            warnings.add("one repeat per side: no run-to-run spread to judge the ratio by (use --repeat 2 or more)");
        }
        else {
            if (Math.abs(ours.median() - theirs.median()) <= ours.width() + theirs.width()) {
                warnings.add(String.format("the end-to-end difference (%.2f s) is inside the run-to-run noise (spreads %.2f s and %.2f s)",
                        ours.median() - theirs.median(), ours.width(), theirs.width()));
            }
            double low = ours.min() / theirs.max();
            double high = ours.max() / theirs.min();
            if (low <= GOAL && GOAL <= high) {
                warnings.add(String.format("the goal %.1f lies inside the ratio's range over the repeats (%.2f - %.2f): whether it is met is "
                        + "within the noise", GOAL, low, high));
            }
        }
        if (!(relative(objectives[0], objectives[1]) <= SAME_OPTIMUM)) {
            warnings.add(String.format("the two fits did not reach the same optimum (objectives %.12f and %.12f): the times are not comparable",
                    objectives[0], objectives[1]));
        }
        if (load > cores) {
            warnings.add(String.format("load average %.2f on %d cores: other work shared the machine, so the seconds are inflated and noisy", load,
                    cores));
        }
        return warnings;
    }

    static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Minimum, median and maximum of a few timings. */
    record Spread(double min, double median, double max) {
        static Spread of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Spread(sorted[0], median, sorted[n - 1]);
        }

        double width() {
            return max - min;
        }

        String range() {
            return String.format("%.2f - %.2f", min, max);
        }
    }

    /** One alignloss fit: seconds to build and cache the blocks and to fit, the passes, the optimum and the peak heap. */
    private record Ours(double build, double fit, long cachedBytes, long iterations, int passes, double objective, double[] weights,
            double peak) {
        double total() {
            return build + fit;
        }

        double perPass() {
            return fit / passes;
        }
    }

    /** One MLlib fit: seconds from the frame to the fitted model, its iterations, the optimum and the peak heap. */
    private record Mllib(double total, int iterations, double objective, double[] weights, double peak) {
        double perIteration() {
            return total / Math.max(1, iterations);
        }
    }

    /**
     * The preference frame both sides start from: empty prompt and texts, {@code chosen_embedding} = Δf ({@code array<float>}),
     * {@code rejected_embedding} = 0, the label, weight 1 and a row hash (partition × rows + row).
     */
    static Dataset<Row> frame(SparkSession spark, JavaSparkContext context, long perPartition, int dimension, int partitions, long seed) {
        StructType schema = new StructType()
                .add(InputContract.PROMPT, DataTypes.StringType)
                .add(InputContract.CHOSEN, DataTypes.StringType)
                .add(InputContract.REJECTED, DataTypes.StringType)
                .add(FeatureSpec.CHOSEN_EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false))
                .add(FeatureSpec.REJECTED_EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false))
                .add(InputContract.LABEL, DataTypes.DoubleType)
                .add(InputContract.WEIGHT, DataTypes.DoubleType)
                .add(PairData.HASH, DataTypes.LongType);
        float[] zero = new float[dimension];
        JavaRDD<Row> rows = context.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).mapPartitions(index -> {
            int p = index.next();
            Iterator<float[]> generated = rows(seed, p, perPartition, dimension);
            return new Iterator<Row>() {
                long made;

                @Override
                public boolean hasNext() {
                    return generated.hasNext();
                }

                @Override
                public Row next() {
                    float[] row = generated.next();
                    return RowFactory.create("", "", "", Arrays.copyOf(row, dimension), zero, (double) row[dimension], 1.0, p * perPartition + made++);
                }
            };
        });
        return spark.createDataFrame(rows, schema);
    }

    // alignloss end to end: the pair blocks as train builds them, cached and counted, then L-BFGS from φ = 0 until it stops
    private static Ours fitOurs(Dataset<Row> frame, int dimension, int maxIterations) {
        BenchSupport.resetPeaks();
        long start = System.nanoTime();
        Featurizer featurizer = Featurizer.create(FeatureSpec.of(FeatureType.EMBEDDING), dimension);
        JavaRDD<PairBlock> blocks = PairData.blocks(frame, featurizer, Optional.empty(), false)
                .persist(StorageLevel.MEMORY_ONLY()).setName("bench pair blocks");
        long cachedBytes = blocks.map(PairBlock::bytes).reduce(Long::sum);
        double build = BenchSupport.seconds(start);
        start = System.nanoTime();
        PairLoss loss = new PairLoss(blocks, dimension, L2, 0, 2, 1, 0);
        Lbfgs.Minimum minimum = new Lbfgs(10, maxIterations, TOL).minimise(new double[dimension], loss);
        double fit = BenchSupport.seconds(start);
        OptimizerState state = minimum.state();
        double peak = BenchSupport.peakHeap();
        LOG.info("alignloss: blocks in {} s; {} iterations, {} passes in {} s, objective {}", build, state.iteration(), minimum.evaluations(), fit,
                state.value());
        blocks.unpersist(true);
        return new Ours(build, fit, cachedBytes, state.iteration(), minimum.evaluations(), state.value(), state.x(), peak);
    }

    // MLlib end to end: the frame's Δf as a Vector column, then LogisticRegression to a fitted model
    private static Mllib fitMllib(Dataset<Row> frame, int maxIterations) {
        BenchSupport.resetPeaks();
        long start = System.nanoTime();
        Dataset<Row> vectors = frame.select(array_to_vector(col(FeatureSpec.CHOSEN_EMBEDDING)).as("features"), col(InputContract.LABEL).as("label"));
        LogisticRegressionModel model = new LogisticRegression().setFitIntercept(false).setStandardization(false).setRegParam(L2)
                .setElasticNetParam(0).setTol(TOL).setMaxIter(maxIterations).fit(vectors);
        double total = BenchSupport.seconds(start);
        double[] history = model.summary().objectiveHistory();
        double peak = BenchSupport.peakHeap();
        LOG.info("MLlib: {} iterations in {} s, objective {}", model.summary().totalIterations(), total, history[history.length - 1]);
        return new Mllib(total, model.summary().totalIterations(), history[history.length - 1], model.coefficients().toArray(), peak);
    }

    /**
     * The regularised objective {@code (1/n)·Σ_i [y_i·log(1 + e^{−z_i}) + (1 − y_i)·log(1 + e^{z_i})] + (λ/2)·||w||²},
     * {@code z_i = w·Δf_i}, at each of {@code weights}, over the generated rows (regenerated per partition, one pass):
     * a plain loop written out here on purpose (softplus as {@code max(t, 0) + log1p(e^{−|t|})}), independent of
     * both sides' loss code, so that both optima are judged by the same yardstick.
     */
    static double[] objective(JavaSparkContext context, int partitions, long perPartition, int dimension, long seed, List<double[]> weights) {
        int k = weights.size();
        double[] sums = context.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).map(p -> {
            double[] partial = new double[k];
            Iterator<float[]> generated = rows(seed, p, perPartition, dimension);
            while (generated.hasNext()) {
                float[] row = generated.next();
                for (int m = 0; m < k; m++) {
                    double[] w = weights.get(m);
                    double z = 0;
                    for (int j = 0; j < dimension; j++) {
                        z += w[j] * row[j];
                    }
                    double t = row[dimension] == 1f ? -z : z;
                    partial[m] += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
                }
            }
            return partial;
        }).reduce((a, b) -> {
            double[] merged = a.clone();
            for (int m = 0; m < k; m++) {
                merged[m] += b[m];
            }
            return merged;
        });
        double n = (double) perPartition * partitions;
        double[] objectives = new double[k];
        for (int m = 0; m < k; m++) {
            double squares = 0;
            for (double value : weights.get(m)) {
                squares += value * value;
            }
            objectives[m] = sums[m] / n + L2 / 2 * squares;
        }
        return objectives;
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
