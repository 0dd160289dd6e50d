package io.alignloss.bench;

import com.typesafe.config.ConfigFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.job.EvaluateJob;
import io.alignloss.summary.RunSummary;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;

/**
 * {@code bench evaluate}: times the evaluate job (summary only) against a hand-written Spark SQL aggregate of
 * the same stable Bradley-Terry loss that also counts null or empty text columns, over the same generated
 * Parquet, in one Spark session, and against DuckDB computing the evaluate job's figures over the same files
 * ({@link DuckDbRow}, when its driver is on the classpath; checked to agree before timing). Reports the times, rows/s
 * and the ratios (goals ≤ 1.0 against the hand SQL aggregate, ≤ 2.0 against DuckDB: issue 16).
 */
public final class EvaluateBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateBenchmark.class);

    /**
     * The baseline: one global aggregate of the stable loss plus counts of null or empty texts. Written out in SQL
     * on purpose, not through {@code BradleyTerryColumns}: it is the hand-written reference the job is timed against.
     */
    static final String BASELINE_SQL = """
            SELECT count(*) AS rows,
                   sum(greatest(-(chosen_score - rejected_score), 0)
                       + log1p(exp(-abs(chosen_score - rejected_score)))) AS loss_sum,
                   sum(CASE WHEN prompt IS NULL OR prompt = '' OR chosen IS NULL OR chosen = ''
                            OR rejected IS NULL OR rejected = '' THEN 1 ELSE 0 END) AS empty_texts
            FROM bench_preferences""";

    /** The same aggregate per group value: the floor for producing per-group figures, shown for context. */
    static final String GROUPED_BASELINE_SQL = BASELINE_SQL + "\nGROUP BY language";

    /** Issue 16's goal for evaluate with the preference-bias scans (the defaults) over the same pass without them. */
    static final double BIAS_SCANS_GOAL = 1.5;

    public record Timing(String name, double[] seconds) {
        public double median() {
            return EvaluateBenchmark.median(seconds);
        }
    }

    /**
     * The bootstrap's cost from paired runs of the evaluation pass with and without it, run back to back in
     * alternating order: per pair the ratio of wall-clock times and of task CPU times (executor CPU summed over
     * the run's tasks, which the other tenants of a shared machine disturb less).
     */
    public record BootstrapCost(double[] wallRatios, double[] cpuRatios) {
        public double wall() {
            return median(wallRatios) - 1;
        }

        public double cpu() {
            return median(cpuRatios) - 1;
        }
    }

    /**
     * @param timings   the baselines and evaluations, in {@link #timeRepetitions} order
     * @param bootstrap the bootstrap's cost
     * @param duckDb    the DuckDB anchor's times, empty when its driver is not on the classpath
     */
    public record Results(List<Timing> timings, BootstrapCost bootstrap, Optional<Timing> duckDb) {
    }

    /** Sums the executor CPU time (and, for the log, run and GC time) of the tasks that end while it listens. */
    private static final class TaskCpu extends SparkListener {
        private final AtomicLong nanos = new AtomicLong();
        private final AtomicLong runMillis = new AtomicLong();
        private final AtomicLong gcMillis = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null) {
                nanos.addAndGet(end.taskMetrics().executorCpuTime());
                runMillis.addAndGet(end.taskMetrics().executorRunTime());
                gcMillis.addAndGet(end.taskMetrics().jvmGCTime());
            }
        }

        @Override
        public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted completed) {
            org.apache.spark.scheduler.StageInfo stage = completed.stageInfo();
            if (stage.submissionTime().isDefined() && stage.completionTime().isDefined()) {
                LOG.debug("stage {} ({} tasks): {} ms", stage.name(), stage.numTasks(),
                        (long) stage.completionTime().get() - (long) stage.submissionTime().get());
            }
        }

        /** CPU seconds since the last reset; logs run and GC time too. */
        double reset() {
            double cpu = nanos.getAndSet(0) / 1e9;
            LOG.debug("tasks: {} s CPU, {} s run, {} s GC", cpu, runMillis.getAndSet(0) / 1e3, gcMillis.getAndSet(0) / 1e3);
            return cpu;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private EvaluateBenchmark() {
    }

    /** Generates {@code rows} preference rows with logged scores and a group column into {@code folder}. */
    public static void generate(SparkSession spark, long rows, int partitions, long seed, String folder) {
        generate(spark, rows, partitions, seed, folder, false);
    }

    /** As {@link #generate(SparkSession, long, int, long, String)}, with an {@code id} column ("r" + row number) when asked. */
    public static void generate(SparkSession spark, long rows, int partitions, long seed, String folder, boolean withId) {
        String[] languages = {"en", "en", "en", "de", "fr", "es", "ja"};
        org.apache.spark.sql.Column language = element_at(
                org.apache.spark.sql.functions.array(Arrays.stream(languages).map(org.apache.spark.sql.functions::lit)
                        .toArray(org.apache.spark.sql.Column[]::new)),
                col("id").mod(languages.length).plus(1).cast("int"));
        org.apache.spark.sql.Dataset<Row> generated = spark.range(0, rows, 1, partitions)
                .select(
                        concat(lit("Question number "), col("id").cast("string"), lit(": please explain the result of step "),
                                col("id").mod(97).cast("string")).as("prompt"),
                        concat(lit("A careful answer that walks through the reasoning for case "), col("id").cast("string"),
                                lit(" and checks it.")).as("chosen"),
                        concat(lit("A short answer for case "), col("id").cast("string")).as("rejected"),
                        randn(seed).plus(0.8).as("chosen_score"),
                        randn(seed + 1).as("rejected_score"),
                        when(rand(seed + 2).lt(0.05), 0.5).otherwise(1.0).as("label"),
                        language.as("language"),
                        concat(lit("r"), col("id").cast("string")).as("row_id"));
        generated = withId ? generated.withColumnRenamed("row_id", "id") : generated.drop("row_id");
        generated.write().mode(SaveMode.Overwrite).parquet(folder);
    }

    public static Results run(SparkSession spark, long rows, int partitions, int repeat, long seed, Path work,
            PrintWriter out) throws Exception {
        return run(spark, rows, partitions, repeat, seed, work, out, false);
    }

    public static Results run(SparkSession spark, long rows, int partitions, int repeat, long seed, Path work,
            PrintWriter out, boolean withId) throws Exception {
        String data = work.resolve("preferences").toUri().toString();
        long start = System.nanoTime();
        generate(spark, rows, partitions, seed, data, withId);
        out.printf("generated %,d rows%s in %.1f s at %s%n", rows, withId ? " with an id column" : " without an id column",
                (System.nanoTime() - start) / 1e9, data);
        out.flush();
        spark.read().parquet(data).createOrReplaceTempView("bench_preferences");
        Evaluations evaluations = Evaluations.on(data);
        Optional<DuckDbRow> duckDb = DuckDbRow.open(spark, work.resolve("preferences"), out);
        try {
            // two warm-ups of each (JIT), then alternate so that drift in the machine's speed hits both alike
            RunSummary clustered = null;
            RunSummary rowLevel = null;
            for (int warmup = 0; warmup < 2; warmup++) {
                runSql(spark, BASELINE_SQL);
                runSql(spark, GROUPED_BASELINE_SQL);
                clustered = evaluate(spark, evaluations.bootstrap(), work.resolve("out-warmup-" + warmup).toUri().toString(), seed);
                rowLevel = evaluate(spark, evaluations.noBootstrap(), work.resolve("out-warmup-nb-" + warmup).toUri().toString(), seed);
                runEvaluate(spark, evaluations.defaults(), work.resolve("out-warmup-d-" + warmup).toUri().toString(), seed);
                if (duckDb.isPresent()) {
                    duckDb.get().time();
                }
            }
            if (duckDb.isPresent()) {
                duckDb.get().check(clustered, rowLevel, out);
            }
            TaskCpu cpu = new TaskCpu();
            spark.sparkContext().addSparkListener(cpu);
            try {
                // DuckDB's row comes last when it ran
                List<Timing> timed = timeRepetitions(spark, evaluations, repeat, seed, work, duckDb);
                List<Timing> timings = duckDb.isPresent() ? timed.subList(0, timed.size() - 1) : timed;
                Optional<Timing> duckDbTiming = duckDb.map(row -> timed.get(timed.size() - 1));
                return new Results(timings, bootstrapCost(spark, evaluations, Math.max(10, 4 * repeat), seed, work, cpu), duckDbTiming);
            }
            finally {
                spark.sparkContext().removeSparkListener(cpu);
            }
        }
        finally {
            if (duckDb.isPresent()) {
                duckDb.get().close();
            }
        }
    }

    /**
     * The evaluations timed: the evaluation pass with its bootstrap (the comparison), the same without bootstrap
     * and with rows as clusters (no bucket key, no cluster count: the bootstrap's cost), and the defaults (adding the
     * preference-bias scans).
     */
    record Evaluations(JobConfig bootstrap, JobConfig noBootstrap, JobConfig defaults) {
        static Evaluations on(String data) {
            String config = format("""
                    inputs.prefs { path = "%s", kind = preference }
                    objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                    groups = [ language ]
                    output.per-example = false
                    """, data);
            return new Evaluations(
                    ConfigLoader.fromConfig(ConfigFactory.parseString(config), "bench", List.of("preference-biases=false"),
                            Optional.empty()),
                    ConfigLoader.fromConfig(ConfigFactory.parseString(config), "bench",
                            List.of("preference-biases=false", "bootstrap=0", "inputs.prefs.cluster=none"), Optional.empty()),
                    ConfigLoader.fromConfig(ConfigFactory.parseString(config), "bench", List.of(), Optional.empty()));
        }
    }

    /**
     * {@code repeat} rounds of the two baselines, DuckDB (when present) and the three evaluations, in that order each
     * round.
     */
    private static List<Timing> timeRepetitions(SparkSession spark, Evaluations evaluations, int repeat, long seed, Path work,
            Optional<DuckDbRow> duckDb) throws SQLException {
        double[] duckDbSeconds = new double[repeat];
        double[] baseline = new double[repeat];
        double[] grouped = new double[repeat];
        double[] evaluate = new double[repeat];
        double[] evaluateNoBootstrap = new double[repeat];
        double[] evaluateDefaults = new double[repeat];
        for (int r = 0; r < repeat; r++) {
            baseline[r] = runSql(spark, BASELINE_SQL);
            grouped[r] = runSql(spark, GROUPED_BASELINE_SQL);
            if (duckDb.isPresent()) {
                duckDbSeconds[r] = duckDb.get().time();
            }
            evaluate[r] = runEvaluate(spark, evaluations.bootstrap(), work.resolve("out-" + r).toUri().toString(), seed);
            evaluateNoBootstrap[r] = runEvaluate(spark, evaluations.noBootstrap(), work.resolve("out-nb-" + r).toUri().toString(), seed);
            evaluateDefaults[r] = runEvaluate(spark, evaluations.defaults(), work.resolve("out-d-" + r).toUri().toString(), seed);
            LOG.info("repetition {}: baseline {} s, evaluate {} s", r + 1, baseline[r], evaluate[r]);
        }
        List<Timing> timings = new ArrayList<>();
        timings.add(new Timing("baseline SQL aggregate", baseline));
        timings.add(new Timing("evaluate (summary only)", evaluate));
        timings.add(new Timing("baseline grouped (context)", grouped));
        timings.add(new Timing("evaluate, bootstrap 0", evaluateNoBootstrap));
        timings.add(new Timing("evaluate + bias scans", evaluateDefaults));
        if (duckDb.isPresent()) {
            timings.add(new Timing(duckDb.get().name(), duckDbSeconds));
        }
        return timings;
    }

    // the bootstrap's cost is a difference of ~0.1 s between two ~1 s passes on a noisy machine: pairs
    // of runs back to back, the order alternating, and the median of their ratios
    private static BootstrapCost bootstrapCost(SparkSession spark, Evaluations evaluations, int pairs, long seed, Path work, TaskCpu cpu) {
        double[] wallRatios = new double[pairs];
        double[] cpuRatios = new double[pairs];
        for (int pair = 0; pair < pairs; pair++) {
            String withOut = work.resolve("out-pair-" + pair).toUri().toString();
            String withoutOut = work.resolve("out-pair-nb-" + pair).toUri().toString();
            double[] with;
            double[] without;
            if (pair % 2 == 0) {
                with = runMeasured(spark, evaluations.bootstrap(), withOut, seed, cpu);
                without = runMeasured(spark, evaluations.noBootstrap(), withoutOut, seed, cpu);
            }
            else {
                without = runMeasured(spark, evaluations.noBootstrap(), withoutOut, seed, cpu);
                with = runMeasured(spark, evaluations.bootstrap(), withOut, seed, cpu);
            }
            wallRatios[pair] = with[0] / without[0];
            cpuRatios[pair] = with[1] / without[1];
            LOG.info("bootstrap pair {}: with {} s ({} s task CPU), without {} s ({} s task CPU)", pair + 1,
                    with[0], with[1], without[0], without[1]);
        }
        return new BootstrapCost(wallRatios, cpuRatios);
    }

    private static double runSql(SparkSession spark, String sql) {
        long start = System.nanoTime();
        List<Row> rows = spark.sql(sql).collectAsList();
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug("baseline: {}", rows);
        return seconds;
    }

    /** One evaluate run: {wall-clock seconds, task CPU seconds}. */
    private static double[] runMeasured(SparkSession spark, JobConfig config, String out, long seed, TaskCpu cpu) {
        cpu.reset();
        double wall = runEvaluate(spark, config, out, seed);
        return new double[]{wall, cpu.reset()};
    }

    private static double runEvaluate(SparkSession spark, JobConfig config, String out, long seed) {
        if (config == null) {
            return 0;
        }
        long start = System.nanoTime();
        evaluate(spark, config, out, seed);
        return (System.nanoTime() - start) / 1e9;
    }

    static RunSummary evaluate(SparkSession spark, JobConfig config, String out, long seed) {
        return new EvaluateJob(new EvaluateJob.Settings(config, out, true, 1.0, seed, EvaluateJob.Mode.EVALUATE)).run(spark).summary();
    }

    /** Prints the timings, rows/s, the ratio of evaluate to the baseline and the bootstrap's cost. */
    public static void report(Results results, long rows, PrintWriter out) {
        List<Timing> timings = results.timings();
        out.printf("%-28s %12s %14s   %s%n", "", "median s", "rows/s", "all runs (s)");
        List<Timing> rowsShown = new ArrayList<>(timings);
        results.duckDb().ifPresent(rowsShown::add);
        for (Timing timing : rowsShown) {
            out.printf("%-28s %12.3f %14.0f   %s%n", timing.name(), timing.median(), rows / timing.median(),
                    Arrays.toString(Arrays.stream(timing.seconds()).map(s -> Math.round(s * 1000) / 1000.0).toArray()));
        }
        double ratio = timings.get(1).median() / timings.get(0).median();
        out.printf("ratio evaluate / baseline: %.2f (goal <= 1.00); evaluate / DuckDB: %s; grouped baseline / baseline: %.2f%n",
                ratio, results.duckDb().map(duckDb -> format("%.2f (goal <= 2.00)", timings.get(1).median() / duckDb.median()))
                        .orElse("skipped (no DuckDB driver)"),
                timings.get(2).median() / timings.get(0).median());
        BootstrapCost bootstrap = results.bootstrap();
        double[] sorted = bootstrap.wallRatios().clone();
        Arrays.sort(sorted);
        out.printf("bootstrap cost: %.1f%% of the evaluation pass without it (goal < 10%%), median of %d paired runs "
                        + "(quartiles %.1f%%, %.1f%%); %.1f%% in task CPU time%n",
                100 * bootstrap.wall(), sorted.length, 100 * (sorted[sorted.length / 4] - 1),
                100 * (sorted[(3 * sorted.length) / 4] - 1), 100 * bootstrap.cpu());
        out.printf("bootstrap goal (< 10%% in wall-clock and in CPU time, median of >= 12 pairs): %s%n",
                bootstrap.wall() < 0.10 && bootstrap.cpu() < 0.10 && sorted.length >= 12 ? "met" : "not met");
        double biases = timings.get(4).median() / timings.get(1).median();
        out.printf("ratio evaluate with the preference-bias scans / without: %.2f (goal <= %.2f); the scans add %.0f%%%n",
                biases, BIAS_SCANS_GOAL, 100 * (biases - 1));
        out.flush();
    }

    public static Path workFolder() throws java.io.IOException {
        return Files.createTempDirectory("alignloss-bench-");
    }
}
