package io.alignloss.bench;

import com.typesafe.config.ConfigFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.job.EvaluateJob;
import io.alignloss.model.PairBlock;
import io.alignloss.objective.bradleyterry.PairLoss;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.OptimizerState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.String.format;

/**
 * {@code bench scale}: the evaluate job over N generated preference rows (default 20,000,000) and 10 L-BFGS
 * iterations of the reward model over M pairs of 384-d embeddings (default 2,000,000), in local mode;
 * rows/s, seconds per iteration, peak heap, and a projection of the same work on a cluster from the
 * measured task times (stated as a projection).
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {
    }

    public static void run(SparkSession spark, long rows, long pairs, int dimension, int iterations, int partitions, long seed,
            Path work, PrintWriter out) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int cores = context.defaultParallelism();
        out.printf("bench scale: evaluate %,d preference rows; train %d L-BFGS iterations on %,d pairs x %d; %d cores, heap limit %.1f GB%n",
                rows, iterations, pairs, dimension, cores, Runtime.getRuntime().maxMemory() / 1e9);
        out.flush();
        Evaluated evaluated = timeEvaluate(spark, rows, partitions, seed, work, out);
        Trained trained = timeTrain(spark, context, pairs, dimension, iterations, partitions, seed);

        out.printf("%-48s %12s%n", "", "measured");
        out.printf("%-48s %12.1f s   (%,.0f rows/s, peak heap %.1f GB)%n", "evaluate " + format("%,d", rows) + " rows", evaluated.seconds(),
                rows / evaluated.seconds(), evaluated.peak() / 1e9);
        out.printf("%-48s %12.1f s   (%,.0f MB of float blocks)%n", "train: build and cache pair blocks", trained.cacheSeconds(),
                trained.cachedBytes() / 1e6);
        out.printf("%-48s %12.3f s   (%d iterations, %d passes, peak heap %.1f GB)%n", "train: per L-BFGS iteration",
                trained.seconds() / Math.max(1, trained.iterations()), trained.iterations(), trained.passes(), trained.peak() / 1e9);
        out.printf("%-48s %12.3f s   (%,.0f pairs/s)%n", "train: per pass (loss + gradient)", trained.seconds() / trained.passes(),
                pairs * trained.passes() / trained.seconds());
        printProjection(evaluated, trained, cores, out);
        out.flush();
    }

    /** The evaluate job's wall-clock seconds, peak heap and the tasks it ran. */
    private record Evaluated(double seconds, double peak, TaskTime tasks) {
    }

    /** Building and caching the pair blocks, then the L-BFGS iterations and passes: seconds, peak heap and the tasks run. */
    private record Trained(double cacheSeconds, long cachedBytes, long iterations, int passes, double seconds, double peak,
            TaskTime tasks) {
    }

    private static Evaluated timeEvaluate(SparkSession spark, long rows, int partitions, long seed, Path work, PrintWriter out) {
        String data = work.resolve("preferences").toUri().toString();
        long start = System.nanoTime();
        EvaluateBenchmark.generate(spark, rows, partitions, seed, data);
        out.printf("generated %,d rows in %.1f s%n", rows, BenchSupport.seconds(start));
        out.flush();
        JobConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString(format("""
                inputs.prefs { path = "%s", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                groups = [ language ]
                output.per-example = false
                preference-biases = false
                """, data)), "bench", List.of(), Optional.empty());
        BenchSupport.resetPeaks();
        TaskTime evaluateTasks = new TaskTime();
        spark.sparkContext().addSparkListener(evaluateTasks);
        start = System.nanoTime();
        new EvaluateJob(new EvaluateJob.Settings(config, work.resolve("out").toUri().toString(), true, 1.0, seed,
                EvaluateJob.Mode.EVALUATE)).run(spark);
        double evaluateSeconds = BenchSupport.seconds(start);
        spark.sparkContext().removeSparkListener(evaluateTasks);
        return new Evaluated(evaluateSeconds, BenchSupport.peakHeap(), evaluateTasks);
    }

    private static Trained timeTrain(SparkSession spark, JavaSparkContext context, long pairs, int dimension, int iterations,
            int partitions, long seed) {
        BenchSupport.resetPeaks();
        long perPartition = pairs / partitions;
        long start = System.nanoTime();
        JavaRDD<PairBlock> blocks = BenchSupport.pairBlocks(context, partitions, perPartition, dimension, seed)
                .persist(StorageLevel.MEMORY_AND_DISK()).setName("bench scale pair blocks");
        long cached = blocks.map(PairBlock::bytes).reduce(Long::sum);
        double cacheSeconds = BenchSupport.seconds(start);
        TaskTime trainTasks = new TaskTime();
        spark.sparkContext().addSparkListener(trainTasks);
        PairLoss loss = new PairLoss(blocks, dimension, 1e-4, 0, 2, 1, seed);
        Lbfgs lbfgs = new Lbfgs(10, iterations, 1e-12);
        start = System.nanoTime();
        Lbfgs.Minimum minimum = lbfgs.minimise(new double[dimension], loss);
        OptimizerState state = minimum.state();
        double trainSeconds = BenchSupport.seconds(start);
        spark.sparkContext().removeSparkListener(trainTasks);
        double trainPeak = BenchSupport.peakHeap();
        blocks.unpersist(true);
        return new Trained(cacheSeconds, cached, state.iteration(), minimum.evaluations(), trainSeconds, trainPeak, trainTasks);
    }

    /** A projection of the measured task times onto 1, 4 and 16 nodes of 8 cores (stated as such). */
    private static void printProjection(Evaluated evaluated, Trained trained, int cores, PrintWriter out) {
        TaskTime evaluateTasks = evaluated.tasks();
        TaskTime trainTasks = trained.tasks();
        out.printf("Projection (not a measurement): wall time = driver-side time + measured task time / (nodes x 8 cores), "
                + "from %,d evaluate tasks (%.1f s of task time) and %,d training tasks (%.1f s):%n",
                evaluateTasks.tasks.get(), evaluateTasks.runMillis.get() / 1e3, trainTasks.tasks.get(), trainTasks.runMillis.get() / 1e3);
        double evaluateDriver = Math.max(0, evaluated.seconds() - evaluateTasks.runMillis.get() / 1e3 / cores);
        double trainDriver = Math.max(0, trained.seconds() - trainTasks.runMillis.get() / 1e3 / cores);
        // a job cannot use more slots than it has tasks: the evaluate scan had evaluateTasks, each pass tasksPerPass
        long tasksPerPass = Math.max(1, trainTasks.tasks.get() / Math.max(1, trained.passes()));
        for (int nodes : new int[] {1, 4, 16}) {
            int slots = nodes * 8;
            out.printf("  %2d node(s) x 8 cores: evaluate %.1f s, train %.3f s per iteration%n", nodes,
                    evaluateDriver + evaluateTasks.runMillis.get() / 1e3 / Math.min(slots, evaluateTasks.tasks.get()),
                    (trainDriver + trainTasks.runMillis.get() / 1e3 / Math.min(slots, tasksPerPass)) / Math.max(1, trained.iterations()));
        }
        out.println("  (equal-sized tasks, no network or shuffle cost beyond what local mode paid; more parallelism needs more input "
                + "splits — smaller spark.sql.files.maxPartitionBytes — or more partitions for the pair blocks)");
    }
}
