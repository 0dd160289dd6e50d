package io.alignloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.TrainConfig;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.LmSettings;
import io.alignloss.lm.LmShape;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import io.alignloss.optim.Adam;
import io.alignloss.optim.Evaluation;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.OptimizerState;
import io.alignloss.summary.SummaryJson;
import io.alignloss.synth.SampleData;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
    /** The formula the floor counts, as the report states it. */
    static final String FLOPS_FORMULA = "FLOPs/token = n*d (h = sum of n E rows) + 2d*C (class logits) + 2d*m (word logits) "
            + "+ (C + m) (softmax exps, 1 each) + 4d*(C + m) (W gradient and dh) + n*d (E update) = 2*n*d + 6*d*(C + m) + (C + m); "
            + "n = order, d = dimension, C = output classes (with the rare class), "
            + "m = mean size of the target's class over the scored positions (0 for rare targets)";
    private static final int TREE_DEPTH = 2;
    /** The train job's Adam defaults (train.lr, train.batch-fraction). */
    private static final double ADAM_LR = 0.01;
    private static final double ADAM_BATCH_FRACTION = 0.1;
    /** Rows of the calibration kernel: about as many as the class rows one position touches, and cache-resident like them. */
    private static final int KERNEL_ROWS = 128;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile double sink;

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

    /** Scored positions of one mode and the class sizes of their targets. */
    record Targets(long positions, long members, long rare) implements java.io.Serializable {
        // m = Σ_positions |class(target)| / positions
        double meanClassSize() {
            return positions == 0 ? 0 : (double) members / positions;
        }

        Targets plus(Targets other) {
            return new Targets(positions + other.positions, members + other.members, rare + other.rare);
        }
    }

    /** The single-threaded rate of the calibration kernel per wall second and per CPU second, and the cost of Math.exp. */
    record Rate(double flopsPerSecond, double flopsPerCpuSecond, double secondsPerExp) {
    }

    /** Per round: wall seconds, and the tasks' summed CPU and run seconds, per pass of one kind. */
    record Timings(double[] wall, double[] cpu, double[] run) {
        Timings(int rounds) {
            this(new double[rounds], new double[rounds], new double[rounds]);
        }

        double best() {
            return Arrays.stream(wall).min().orElseThrow();
        }

        double median() {
            return LmBenchmark.median(wall);
        }

        double bestCpu() {
            return Arrays.stream(cpu).min().orElseThrow();
        }

        /** The tasks' run seconds in the fastest round. */
        double bestRun() {
            return run[fastest(wall)];
        }
    }

    /** Sums the executor CPU time and run time of finished tasks. */
    static final class TaskTime extends SparkListener {
        final AtomicLong cpuNanos = new AtomicLong();
        final AtomicLong runMillis = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            if (taskEnd.taskMetrics() != null) {
                cpuNanos.addAndGet(taskEnd.taskMetrics().executorCpuTime());
                runMillis.addAndGet(taskEnd.taskMetrics().executorRunTime());
            }
        }
    }

    private LmBenchmark() {
    }

    // FLOPs/token = 2·n·d + 6d·(C + m) + (C + m): n·d sum of E rows, 2d·(C + m) logits, (C + m) exps, 4d·(C + m) W gradient and dh, n·d E update
    static double flopsPerToken(int order, int dimension, int outputClasses, double meanClassSize) {
        double logits = outputClasses + meanClassSize;
        return 2.0 * order * dimension + 6.0 * dimension * logits + logits;
    }

    // exps/token = C + m (one per logit, the minimum a softmax needs)
    static double expsPerToken(int outputClasses, double meanClassSize) {
        return outputClasses + meanClassSize;
    }

    // floor s/token = FLOPs/token / (rate · cores)
    static double floorSecondsPerToken(double flopsPerToken, double flopsPerSecond, int cores) {
        return flopsPerToken / (flopsPerSecond * cores);
    }

    /** The scored positions of {@code blocks} (x ++ y ++ END; from the first response token unless joint) and their targets' class sizes. */
    static Targets targets(Iterator<SequenceBlock> blocks, Vocabulary vocabulary, boolean joint) {
        int[] positions = vocabulary.positions();
        int[] classOfKept = vocabulary.classOfKept();
        int[] classStart = vocabulary.classStart();
        long scored = 0;
        long members = 0;
        long rare = 0;
        while (blocks.hasNext()) {
            SequenceBlock block = blocks.next();
            for (int r = 0; r < block.size(); r++) {
                int[] sequence = block.sequence(r);
                for (int t = joint ? 0 : block.promptLength(r); t < sequence.length; t++) {
                    int k = positions[sequence[t]];
                    scored++;
                    if (k < 0) {
                        rare++;
                    }
                    else {
                        members += classStart[classOfKept[k] + 1] - classStart[classOfKept[k]];
                    }
                }
            }
        }
        return new Targets(scored, members, rare);
    }

    static Targets targets(JavaRDD<SequenceBlock> blocks, Vocabulary vocabulary, boolean joint) {
        return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> List.of(targets(partition, vocabulary, joint)).iterator())
                .reduce(Targets::plus);
    }

    /**
     * The calibration kernel, the model's own inner loops on {@link #KERNEL_ROWS} rows of a flat array: per row
     * z = W_r·h (2d FLOPs), then g_r += δ·h and dh += δ·W_r (4d FLOPs); returns Σ z so that nothing is dead code.
     */
    static double kernel(double[] w, double[] g, double[] h, double[] dh, double scale) {
        int d = h.length;
        int rows = w.length / d;
        double checksum = 0;
        for (int r = 0; r < rows; r++) {
            int row = r * d;
            double z = 0;
            for (int j = 0; j < d; j++) {
                z += w[row + j] * h[j];
            }
            double delta = scale * z;
            for (int j = 0; j < d; j++) {
                g[row + j] += delta * h[j];
                dh[j] += delta * w[row + j];
            }
            checksum += z;
        }
        return checksum;
    }

    // rate = calls · rows · 6d / seconds (wall and this thread's CPU), one thread, after a JIT warm-up of a fifth of the time
    static Rate rate(int dimension, double seconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[KERNEL_ROWS * dimension];
        double[] g = new double[w.length];
        double[] h = new double[dimension];
        double[] dh = new double[dimension];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01 * (random.nextDouble() - 0.5);
        }
        for (int j = 0; j < dimension; j++) {
            h[j] = 0.1 * (random.nextDouble() - 0.5);
        }
        runKernel(w, g, h, dh, seconds / 5);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        double flops = runKernel(w, g, h, dh, seconds) * (double) KERNEL_ROWS * 6 * dimension;
        double wall = BenchSupport.seconds(start);
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
        return new Rate(flops / wall, flops / cpuSeconds, secondsPerExp(seconds / 4, h));
    }

    private static long runKernel(double[] w, double[] g, double[] h, double[] dh, double seconds) {
        long calls = 0;
        double checksum = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (int i = 0; i < 256; i++) {
                checksum += kernel(w, g, h, dh, 1e-3);
            }
            calls += 256;
        } while (System.nanoTime() < end);
        sink = checksum + g[0] + dh[0];
        return calls;
    }

    // seconds per Math.exp, as the softmax calls it (exp(v_i − max) over a vector of logits)
    private static double secondsPerExp(double seconds, double[] values) {
        long calls = 0;
        double sum = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        do {
            for (int i = 0; i < 4096; i++) {
                double shift = i * 1e-6;
                for (double value : values) {
                    sum += Math.exp(value - shift);
                }
            }
            calls += 4096L * values.length;
        } while (System.nanoTime() < end);
        sink = sum;
        return BenchSupport.seconds(start) / calls;
    }

    /** The rows: id, prompt, response, weight. */
    static Dataset<Row> rows(SparkSession spark, Settings settings) throws IOException {
        if (settings.data().isEmpty()) {
            int count = (int) (settings.rows() == 0 ? SYNTHETIC_ROWS : settings.rows());
            return spark.createDataFrame(SampleData.sequences(count, settings.seed()), SampleData.SEQUENCE_SCHEMA)
                    .select(col("id"), col("prompt"), col("response"), col("weight"));
        }
        List<String[]> examples = alpaca(settings.data().get());
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("weight", DataTypes.DoubleType);
        long count = settings.rows() == 0 ? examples.size() : settings.rows();
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            String[] example = examples.get((int) (i % examples.size()));
            rows.add(RowFactory.create("a" + i, example[0], example[1], 1.0));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** Alpaca examples with an output: prompt = instruction (+ "\n\n" + input when there is one), response = output. */
    static List<String[]> alpaca(Path file) throws IOException {
        JsonNode rows = SummaryJson.mapper().readTree(Files.readString(file));
        List<String[]> examples = new ArrayList<>();
        for (JsonNode row : rows) {
            String input = row.path("input").asText("");
            String output = row.path("output").asText("");
            if (!output.isEmpty()) {
                examples.add(new String[] {row.path("instruction").asText("") + (input.isEmpty() ? "" : "\n\n" + input), output});
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(format("Cannot run bench lm: %s has no example with an output", file));
        }
        return examples;
    }

    /** A pass that costs what Spark adds to one: broadcast θ, one task per partition over the cached blocks, treeReduce, destroy. */
    static long trivialPass(JavaRDD<SequenceBlock> blocks, LanguageModel structure, double[] x) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<LanguageModel> model = context.broadcast(structure.withWeights(x));
        try {
            return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> {
                long rows = model.value().weights().length > 0 ? 0 : -1;
                while (partition.hasNext()) {
                    rows += partition.next().size();
                }
                return List.of(rows).iterator();
            }).treeReduce(Long::sum, TREE_DEPTH);
        }
        finally {
            model.destroy();
        }
    }

    // the fixed cost of a task's gradient: allocate the dense |θ| array and scan it into a sparse one (here all zero: a lower bound)
    static double gradientSetupSeconds(LanguageModel model) {
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 3; r++) {
            long start = System.nanoTime();
            LmLoss.add(model, Collections.emptyIterator(), false, true, null);
            best = Math.min(best, BenchSupport.seconds(start));
        }
        return best;
    }

    // one conditional loss-and-gradient pass over every block on this thread, no Spark: {wall, CPU} seconds
    static double[] localPass(List<SequenceBlock> blocks, LanguageModel model) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        LmLoss.add(model, blocks.iterator(), false, true, null);
        return new double[] {BenchSupport.seconds(start), (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9};
    }

    // round r of a kind: wall seconds per pass = wall time of `passes` passes / passes, and likewise the tasks' CPU and run times
    private static void time(Timings timings, int round, int passes, Runnable pass, SparkContext context, TaskTime tasks) {
        drain(context);
        long cpu = tasks.cpuNanos.get();
        long run = tasks.runMillis.get();
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            pass.run();
        }
        timings.wall()[round] = BenchSupport.seconds(start) / passes;
        drain(context);
        timings.cpu()[round] = (tasks.cpuNanos.get() - cpu) / 1e9 / passes;
        timings.run()[round] = (tasks.runMillis.get() - run) / 1e3 / passes;
    }

    private static void drain(SparkContext context) {
        try {
            context.listenerBus().waitUntilEmpty();
        }
        catch (TimeoutException e) {
            throw new IllegalStateException("Cannot time bench lm: Spark's listener bus did not drain", e);
        }
    }

    /** The cached blocks, the initial model and the two losses over them. */
    private record Prepared(JavaRDD<SequenceBlock> blocks, LanguageModel structure, LmLoss conditional, LmLoss joint, Targets conditionalTargets,
            Targets jointTargets, long rows, long cachedBytes) {
    }

    /** What the rounds measured: the kernel's rate, each kind of pass, one thread without Spark, and the last evaluation of each mode. */
    private record Rounds(Rate[] rates, Map<String, Timings> timings, Timings single, Evaluation conditional, Evaluation joint) {
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
            double gradientSetup = gradientSetupSeconds(prepared.structure().withWeights(x));
            Rounds rounds = rounds(spark.sparkContext(), prepared, x, settings);
            Map<String, Object> adam = adam(prepared.blocks(), prepared.structure(), x, settings);

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
            report.put("flops_formula", FLOPS_FORMULA);
            report.put("arithmetic", arithmetic(rounds.rates(), prepared.structure().shape(), cores));
            report.put("conditional", conditionalFigures(prepared, rounds, cores));
            report.put("joint", mode(prepared.jointTargets(), prepared.joint(), rounds.joint(), rounds.timings().get("joint"), rounds, prepared.structure(), cores));
            Map<String, Object> overhead = new LinkedHashMap<>();
            overhead.put("trivial_pass_seconds", rounds.timings().get("trivial").best());
            overhead.put("trivial_pass_seconds_median", rounds.timings().get("trivial").median());
            overhead.put("trivial_pass", "broadcast theta, one task per partition over the cached blocks, treeReduce, destroy");
            overhead.put("gradient_setup_seconds_per_task", gradientSetup);
            overhead.put("gradient_setup", "allocate the dense |theta| gradient and scan it into sparse form (all zero: a lower bound), per task");
            report.put("overhead", overhead);
            report.put("adam", adam);
            Map<String, Object> runs = new LinkedHashMap<>();
            rounds.timings().forEach((name, timing) -> runs.put(name, rounded(timing.wall())));
            runs.put("one_thread_without_spark", rounded(rounds.single().wall()));
            report.put("all_rounds_seconds_per_pass", runs);
            print(report, out);
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
        JavaRDD<SequenceBlock> blocks = LmData.blocks(rows(spark, settings).repartition(partitions), xxhash64(lit(settings.seed()), col("id")))
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
                    new LmLoss(blocks, structure, false, TrainConfig.DEFAULT_L2, TREE_DEPTH, 1, settings.seed()),
                    new LmLoss(blocks, structure, true, TrainConfig.DEFAULT_L2, TREE_DEPTH, 1, settings.seed()),
                    targets(blocks, structure.vocabulary(), false), targets(blocks, structure.vocabulary(), true), rows, cachedBytes);
        }
        catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    /**
     * One warm-up pass of each kind, then {@code repeat} rounds, each measuring the kernel's rate, {@code passes} passes of each
     * kind (conditional and joint loss and gradient, conditional forward only, trivial) and one conditional pass on this thread.
     */
    private static Rounds rounds(SparkContext context, Prepared prepared, double[] x, Settings settings) {
        // the blocks are the benchmark's own rows (a few MB): the one-thread pass reads them on the driver
        List<SequenceBlock> local = prepared.blocks().collect();
        LanguageModel model = prepared.structure().withWeights(x);
        Evaluation[] last = new Evaluation[2];
        Map<String, Runnable> kinds = new LinkedHashMap<>();
        kinds.put("conditional", () -> last[0] = prepared.conditional().evaluate(x));
        kinds.put("joint", () -> last[1] = prepared.joint().evaluate(x));
        kinds.put("forward_only", () -> prepared.conditional().measure(x));
        kinds.put("trivial", () -> trivialPass(prepared.blocks(), prepared.structure(), x));
        Map<String, Timings> timings = new LinkedHashMap<>();
        for (Map.Entry<String, Runnable> kind : kinds.entrySet()) {
            timings.put(kind.getKey(), new Timings(settings.repeat()));
            kind.getValue().run(); // warm-up (JIT, first broadcast); in local mode the tasks warm up LmLoss.add for the one-thread pass too
        }
        Rate[] rates = new Rate[settings.repeat()];
        Timings single = new Timings(settings.repeat());
        TaskTime tasks = new TaskTime();
        context.addSparkListener(tasks);
        try {
            for (int r = 0; r < settings.repeat(); r++) {
                rates[r] = rate(model.shape().dimension(), settings.calibrationSeconds(), settings.seed());
                for (Map.Entry<String, Runnable> kind : kinds.entrySet()) {
                    time(timings.get(kind.getKey()), r, settings.passes(), kind.getValue(), context, tasks);
                }
                double[] one = localPass(local, model);
                single.wall()[r] = one[0];
                single.cpu()[r] = one[1];
                LOG.info("bench lm: round {} of {}: kernel {} GFLOP/s; per pass: conditional {} s, joint {} s, forward only {} s, trivial {} s, "
                        + "one thread without Spark {} s", r + 1, settings.repeat(), rates[r].flopsPerSecond() / 1e9,
                        timings.get("conditional").wall()[r], timings.get("joint").wall()[r], timings.get("forward_only").wall()[r],
                        timings.get("trivial").wall()[r], one[0]);
            }
        }
        finally {
            context.removeSparkListener(tasks);
        }
        return new Rounds(rates, timings, single, last[0], last[1]);
    }

    /** The conditional mode's figures, with the forward-only pass and the one-thread pass without Spark. */
    private static Map<String, Object> conditionalFigures(Prepared prepared, Rounds rounds, int cores) {
        Map<String, Object> figures = mode(prepared.conditionalTargets(), prepared.conditional(), rounds.conditional(),
                rounds.timings().get("conditional"), rounds, prepared.structure(), cores);
        double flops = (Double) figures.get("flops_per_token");
        long positions = prepared.conditionalTargets().positions();
        Rate best = best(rounds.rates());
        figures.put("forward_only_seconds_per_pass", rounds.timings().get("forward_only").best());
        figures.put("single_thread_seconds_per_pass", rounds.single().best());
        // the model's own code on one thread without Spark: measured s/token / (FLOPs/token / rate), in wall and in CPU seconds
        figures.put("single_thread_ratio", rounds.single().best() / positions / (flops / best.flopsPerSecond()));
        figures.put("single_thread_cpu_ratio", rounds.single().bestCpu() / positions / (flops / best.flopsPerCpuSecond()));
        return figures;
    }

    // best rate: the highest kernel rate per wall second and per CPU second, the cheapest exp, over the rounds
    private static Rate best(Rate[] rates) {
        return new Rate(Arrays.stream(rates).mapToDouble(Rate::flopsPerSecond).max().orElseThrow(),
                Arrays.stream(rates).mapToDouble(Rate::flopsPerCpuSecond).max().orElseThrow(),
                Arrays.stream(rates).mapToDouble(Rate::secondsPerExp).min().orElseThrow());
    }

    private static Map<String, Object> arithmetic(Rate[] rates, LmShape shape, int cores) {
        Rate best = best(rates);
        Map<String, Object> arithmetic = new LinkedHashMap<>();
        arithmetic.put("kernel", format("z = W_r.h, g_r += delta*h, dh += delta*W_r over %d rows of d = %d doubles, one thread", KERNEL_ROWS,
                shape.dimension()));
        arithmetic.put("flops_per_second_per_core", best.flopsPerSecond());
        arithmetic.put("flops_per_second_per_core_median", median(Arrays.stream(rates).mapToDouble(Rate::flopsPerSecond).toArray()));
        arithmetic.put("flops_per_cpu_second", best.flopsPerCpuSecond());
        arithmetic.put("seconds_per_exp", best.secondsPerExp());
        arithmetic.put("cores", cores);
        arithmetic.put("all_rounds_flops_per_second", Arrays.stream(rates).mapToDouble(rate -> Math.round(rate.flopsPerSecond() / 1e6) * 1e6).toArray());
        return arithmetic;
    }

    /** The figures of one mode: tokens per pass, FLOPs per token, measured and floor seconds per token, their ratio. */
    private static Map<String, Object> mode(Targets targets, LmLoss loss, Evaluation last, Timings timings, Rounds rounds, LanguageModel structure,
            int cores) {
        LmShape shape = structure.shape();
        Vocabulary vocabulary = structure.vocabulary();
        Timings trivial = rounds.timings().get("trivial");
        Rate best = best(rounds.rates());
        double medianRate = median(Arrays.stream(rounds.rates()).mapToDouble(Rate::flopsPerSecond).toArray());
        long tokens = last.figures().get("tokens").longValue();
        double flops = flopsPerToken(shape.features(), shape.dimension(), vocabulary.outputClasses(), targets.meanClassSize());
        double exps = expsPerToken(vocabulary.outputClasses(), targets.meanClassSize());
        double measured = timings.best() / tokens;
        double floor = floorSecondsPerToken(flops, best.flopsPerSecond(), cores);
        // the same floor with each exp at its measured cost instead of 1 FLOP
        double floorWithExps = ((flops - exps) / best.flopsPerSecond() + exps * best.secondsPerExp()) / cores;
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("tokens_per_pass", tokens);
        mode.put("scored_positions", loss.totalTokens());
        mode.put("counted_positions", targets.positions());
        mode.put("rare_targets", targets.rare());
        mode.put("mean_class_size", targets.meanClassSize());
        mode.put("flops_per_token", flops);
        mode.put("exps_per_token", exps);
        mode.put("gradient_entries", last.figures().get("gradient_entries").longValue());
        mode.put("seconds_per_pass", timings.best());
        mode.put("seconds_per_pass_median", timings.median());
        mode.put("tokens_per_second", tokens / timings.best());
        mode.put("tokens_per_second_median", tokens / timings.median());
        mode.put("seconds_per_token", measured);
        mode.put("floor_seconds_per_token", floor);
        mode.put("floor_tokens_per_second", 1 / floor);
        mode.put("ratio", measured / floor);
        mode.put("ratio_median", timings.median() / tokens / floorSecondsPerToken(flops, medianRate, cores));
        // the tasks' CPU seconds per token against FLOPs/token / (FLOPs per CPU second)
        mode.put("task_cpu_seconds_per_pass", timings.bestCpu());
        // run time above CPU time: the tasks waited (for a core taken by other work, for GC)
        mode.put("task_run_seconds_per_pass", timings.bestRun());
        // share of the cores the tasks had = task CPU seconds / (wall seconds · cores)
        mode.put("task_core_share", timings.cpu()[fastest(timings.wall())] / (timings.best() * cores));
        mode.put("cpu_ratio", timings.bestCpu() / tokens / (flops / best.flopsPerCpuSecond()));
        mode.put("floor_seconds_per_token_with_exp_cost", floorWithExps);
        mode.put("ratio_with_exp_cost", measured / floorWithExps);
        // the part of a pass that is not Spark's fixed cost, against the same floor
        mode.put("ratio_without_trivial_pass", Math.max(0, timings.best() - trivial.best()) / tokens / floor);
        return mode;
    }

    /** {@code repeat × passes} Adam iterations at the train job's defaults (lr, mini-batch fraction), after one warm-up iteration. */
    private static Map<String, Object> adam(JavaRDD<SequenceBlock> blocks, LanguageModel structure, double[] x, Settings settings) {
        LmLoss batches = new LmLoss(blocks, structure, false, TrainConfig.DEFAULT_L2, TREE_DEPTH, ADAM_BATCH_FRACTION, settings.seed());
        int iterations = settings.repeat() * settings.passes();
        Adam optimizer = new Adam(ADAM_LR, iterations + 1L);
        OptimizerState state = optimizer.step(optimizer.start(x, batches), batches).state();
        double tokens = 0;
        long start = System.nanoTime();
        while (!state.stopped()) {
            state = optimizer.step(state, batches).state();
            tokens += state.scalars().getOrDefault(Lbfgs.FIGURE + "tokens", 0.0);
        }
        double elapsed = BenchSupport.seconds(start);
        LOG.info("bench lm: {} Adam iterations in {} s", iterations, elapsed);
        Map<String, Object> adam = new LinkedHashMap<>();
        adam.put("iterations", iterations);
        adam.put("lr", ADAM_LR);
        adam.put("batch_fraction", ADAM_BATCH_FRACTION);
        adam.put("seconds_per_iteration", elapsed / iterations);
        adam.put("tokens_per_iteration", tokens / iterations);
        adam.put("tokens_per_second", tokens / elapsed);
        return adam;
    }

    static int fastest(double[] seconds) {
        int fastest = 0;
        for (int r = 1; r < seconds.length; r++) {
            fastest = seconds[r] < seconds[fastest] ? r : fastest;
        }
        return fastest;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double[] rounded(double[] seconds) {
        return Arrays.stream(seconds).map(s -> Math.round(s * 10000) / 10000.0).toArray();
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> report, PrintWriter out) {
        Map<String, Object> arithmetic = (Map<String, Object>) report.get("arithmetic");
        Map<String, Object> overhead = (Map<String, Object>) report.get("overhead");
        Map<String, Object> adam = (Map<String, Object>) report.get("adam");
        Map<String, Object> conditional = (Map<String, Object>) report.get("conditional");
        out.printf("%,d rows, %,d parameters, %,d kept tokens, %d output classes%n", (Long) report.get("rows"), (Integer) report.get("parameters"),
                (Integer) report.get("kept_tokens"), (Integer) report.get("output_classes"));
        out.printf("arithmetic rate (calibration kernel, one thread): %.2f GFLOP/s per core (median round %.2f) x %d cores; Math.exp %.1f ns%n",
                (Double) arithmetic.get("flops_per_second_per_core") / 1e9, (Double) arithmetic.get("flops_per_second_per_core_median") / 1e9,
                (Integer) arithmetic.get("cores"), (Double) arithmetic.get("seconds_per_exp") * 1e9);
        out.printf("%-12s %10s %9s %10s %12s %12s %7s %8s %7s%n", "mode", "tokens", "s/pass", "tokens/s", "FLOPs/token", "floor tok/s",
                "ratio", "(median)", "CPU");
        for (String name : List.of("conditional", "joint")) {
            Map<String, Object> mode = (Map<String, Object>) report.get(name);
            out.printf("%-12s %,10d %9.3f %,10.0f %,12.0f %,12.0f %7.2f %8.2f %7.2f%n", name, (Long) mode.get("tokens_per_pass"),
                    (Double) mode.get("seconds_per_pass"), (Double) mode.get("tokens_per_second"), (Double) mode.get("flops_per_token"),
                    (Double) mode.get("floor_tokens_per_second"), (Double) mode.get("ratio"), (Double) mode.get("ratio_median"),
                    (Double) mode.get("cpu_ratio"));
        }
        out.printf("forward only (conditional, no gradient): %.3f s per pass; trivial pass (Spark overhead): %.3f s; "
                + "dense gradient setup %.3f s per task%n", (Double) conditional.get("forward_only_seconds_per_pass"),
                (Double) overhead.get("trivial_pass_seconds"), (Double) overhead.get("gradient_setup_seconds_per_task"));
        out.printf("conditional tasks per pass (fastest round): %.3f CPU s, %.3f run s, on %d cores in %.3f wall s: the tasks had %.0f%% "
                + "of the cores (system load average %s)%n", (Double) conditional.get("task_cpu_seconds_per_pass"),
                (Double) conditional.get("task_run_seconds_per_pass"), (Integer) report.get("cores"), (Double) conditional.get("seconds_per_pass"),
                100 * (Double) conditional.get("task_core_share"), report.get("system_load_average"));
        out.printf("one thread without Spark (LmLoss.add over the collected blocks): %.3f s per conditional pass, %.2f x its one-thread floor%n",
                (Double) conditional.get("single_thread_seconds_per_pass"), (Double) conditional.get("single_thread_ratio"));
        out.printf("Adam (lr %s, batch fraction %s): %.3f s per iteration, %,.0f tokens/s%n", adam.get("lr"), adam.get("batch_fraction"),
                (Double) adam.get("seconds_per_iteration"), (Double) adam.get("tokens_per_second"));
        out.println("ratio = measured s/token / floor s/token (best round); floor s/token = FLOPs/token / (rate x cores); " + FLOPS_FORMULA);
        out.print(SummaryJson.render(report));
        out.flush();
    }
}
