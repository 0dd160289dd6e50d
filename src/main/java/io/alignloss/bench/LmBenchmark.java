package io.alignloss.bench;

import io.alignloss.config.Regularization;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.LmSettings;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * {@code bench lm}: training tokens/s of the language model's loss and gradient ({@link LmLoss#evaluate}, full
 * batch, over cached sequence blocks) against the floor of its own arithmetic: the FLOPs per scored position
 * that the model shape and the data imply, at the rate a plain single-threaded Java loop of the same kernel
 * reaches on this machine in the same run, times the cores Spark uses. Each round measures the rate and every
 * kind of pass again, so drift in the machine's speed (other work on it) hits them alike; the report gives the
 * best round (least disturbed) and the median, and a task-CPU-time ratio that other load hardly moves. Also: the
 * Spark overhead of a pass (a trivial pass over the same blocks with the same broadcast), a forward-only pass, the
 * joint mode, one thread without Spark, and Adam mini-batch iterations as the train job runs them.
 */
public final class LmBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(LmBenchmark.class);
    /** Alpaca, relative to the working directory (the project root), as the tests read it. */
    public static final Path ALPACA = Path.of("..", "shared", "data", "alpaca", "alpaca_5000.json");
    /** Synthetic rows when no data file is given and --rows is not. */
    static final int SYNTHETIC_ROWS = 5000;
    /** Depth of the tree reductions (treeReduce) of every pass. */
    static final int TREE_DEPTH = 2;

    /**
     * What to run.
     *
     * @param rows               rows to use (0: every row of the data file, or {@value #SYNTHETIC_ROWS} synthetic rows);
     *                           more than the file holds cycles through it again
     * @param partitions         partitions of the cached blocks (0: the cores Spark uses)
     * @param repeat             timed rounds, each measuring the rate and {@code passes} passes of every kind
     * @param passes             passes per round and kind, and Adam iterations timed
     * @param data               Alpaca-format JSON (instruction, input, output), or empty for synthetic rows
     * @param calibrationSeconds how long the arithmetic-rate loop runs in each round
     */
    public record Settings(long rows, int partitions, int repeat, int passes, long seed, Optional<Path> data, double calibrationSeconds) {
        public Settings {
            if (rows < 0 || partitions < 0 || repeat < 1 || passes < 1 || !(calibrationSeconds > 0)) {
                throw new IllegalArgumentException(format("Cannot run bench lm: rows %d, partitions %d (>= 0), repeat %d, passes %d (>= 1), "
                        + "calibration %s s (> 0)", rows, partitions, repeat, passes, calibrationSeconds));
            }
        }
    }

    /** The cached blocks, the initial model and the two losses over them. */
    record Prepared(JavaRDD<SequenceBlock> blocks, LanguageModel structure, LmLoss conditional, LmLoss joint, LmFlops.Targets conditionalTargets,
            LmFlops.Targets jointTargets, long rows, long cachedBytes) {
    }

    private LmBenchmark() {
    }

    public static Map<String, Object> run(SparkSession spark, Settings settings, PrintWriter out) throws IOException {
        int cores = spark.sparkContext().defaultParallelism();
        int partitions = settings.partitions() == 0 ? cores : settings.partitions();
        String source = settings.data().map(path -> path.getFileName() + " (Alpaca: instruction + input -> output)").orElse("synthetic (SampleData.sequences)");
        out.printf("bench lm: %s, %d partitions, %d cores, shape %s; %d rounds of %d passes per kind%n", source, partitions, cores,
                LmSettings.defaults().shape().describe(), settings.repeat(), settings.passes());
        out.flush();
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Prepared prepared = prepare(spark, settings, partitions);
        try {
            double[] x = prepared.structure().weights().clone();
            double gradientSetup = LmRounds.gradientSetupSeconds(prepared.structure().withWeights(x));
            LmRounds.Rounds rounds = LmRounds.rounds(spark.sparkContext(), prepared, x, settings);
            Map<String, Object> adam = LmAdam.adam(prepared.blocks(), prepared.structure(), x, settings);

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("benchmark", "lm");
            report.put("data", source);
            report.put("rows", prepared.rows());
            report.put("partitions", partitions);
            report.put("cores", cores);
            // runnable threads on the machine, averaged over a minute, at the start and the end (other work shares the cores: see task_core_share)
            report.put("system_load_average", List.of(loadAtStart, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            report.put("rounds", settings.repeat());
            report.put("passes_per_round", settings.passes());
            report.put("statistics", "best = the fastest round (the least disturbed by other work on the machine) with the highest rate; "
                    + "median = the median round with the median rate; cpu = the tasks' CPU seconds against the kernel's FLOPs per CPU second");
            report.put("language_model", prepared.structure().shape().describe());
            report.put("parameters", x.length);
            report.put("kept_tokens", prepared.structure().vocabulary().keptCount());
            report.put("output_classes", prepared.structure().vocabulary().outputClasses());
            report.put("cached_bytes", prepared.cachedBytes());
            report.put("flops_formula", LmFlops.FLOPS_FORMULA);
            report.put("arithmetic", LmReport.arithmetic(rounds.rates(), prepared.structure().shape(), cores));
            report.put("conditional", LmReport.conditionalFigures(prepared, rounds, cores));
            report.put("joint", LmReport.mode(prepared.jointTargets(), prepared.joint(), rounds.joint(), rounds.timings().get("joint"), rounds,
                    prepared.structure(), cores));
            Map<String, Object> overhead = new LinkedHashMap<>();
            overhead.put("trivial_pass_seconds", rounds.timings().get("trivial").best());
            overhead.put("trivial_pass_seconds_median", rounds.timings().get("trivial").median());
            overhead.put("trivial_pass", "broadcast theta, one task per partition over the cached blocks, treeReduce, destroy");
            overhead.put("gradient_setup_seconds_per_task", gradientSetup);
            overhead.put("gradient_setup", "allocate the dense |theta| gradient and scan it into sparse form (all zero: a lower bound), per task");
            report.put("overhead", overhead);
            report.put("adam", adam);
            Map<String, Object> runs = new LinkedHashMap<>();
            rounds.timings().forEach((name, timing) -> runs.put(name, LmReport.rounded(timing.wall())));
            runs.put("one_thread_without_spark", LmReport.rounded(rounds.single().wall()));
            report.put("all_rounds_seconds_per_pass", runs);
            LmReport.print(report, out);
            return report;
        }
        finally {
            prepared.blocks().unpersist(false);
        }
    }

    /** Tokenises and caches the rows, counts the tokens, builds the vocabulary and initial model as the train job does. */
    private static Prepared prepare(SparkSession spark, Settings settings, int partitions) throws IOException {
        LmSettings lm = LmSettings.defaults();
        long start = System.nanoTime();
        JavaRDD<SequenceBlock> blocks = LmData.blocks(LmRows.rows(spark, settings).repartition(partitions),
                        xxhash64(lit(settings.seed()), col("id")))
                .persist(StorageLevel.MEMORY_ONLY()).setName("bench lm sequences");
        try {
            long cachedBytes = blocks.map(SequenceBlock::bytes).reduce(Long::sum);
            long rows = blocks.map(block -> (long) block.size()).reduce(Long::sum);
            double cacheSeconds = BenchSupport.seconds(start);
            Map<Integer, Long> counts = LmData.counts(blocks);
            LanguageModel structure = LanguageModel.initial(lm.shape(), Vocabulary.fromCounts(counts, lm.minCount(), lm.classes()), counts,
                    settings.seed());
            LOG.info("bench lm: {} rows tokenised and cached ({} bytes) in {} s; {} parameters, {}", rows, cachedBytes, cacheSeconds,
                    structure.weights().length, structure.vocabulary());
            return new Prepared(blocks, structure,
                    new LmLoss(blocks, structure, false, Regularization.DEFAULT_L2, TREE_DEPTH, 1, settings.seed()),
                    new LmLoss(blocks, structure, true, Regularization.DEFAULT_L2, TREE_DEPTH, 1, settings.seed()),
                    LmFlops.targets(blocks, structure.vocabulary(), false), LmFlops.targets(blocks, structure.vocabulary(), true), rows,
                    cachedBytes);
        }
        catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }
}
