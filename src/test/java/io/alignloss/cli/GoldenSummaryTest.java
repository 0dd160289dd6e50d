package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alignloss.testing.GoldenFiles;
import io.alignloss.testing.JsonNumbers;
import io.alignloss.testing.JsonNumbers.Tolerance;
import io.alignloss.testing.JsonNumbers.Tolerances;
import io.alignloss.testing.WeightsDigest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The golden test: every {@code conf/*.conf} (and a leaderboard) run on the committed samples through
 * {@link Main#execute}, in the order the configs need (models trained before the configs that use them), each
 * output compared number by number with {@code src/test/resources/golden/<run>.summary.json} (and
 * {@code <run>.model.json} for the trained models, {@code <run>.json} for the leaderboards: {@code leaderboard.json}, {@code leaderboard-style.json}). It proves that a
 * refactoring changed no reported number, key or null.
 *
 * <p>Tolerances: evaluate figures 1e-12 relative with a 1e-15 floor; runs that train, or evaluate a trained model,
 * 1e-6 relative (the optimiser's sums are merged by tree aggregation in task completion order); model weights 1e-4
 * relative. Timings, dates, versions and the {@code run} block (its id) are not compared; paths are, with the machine's
 * folders written as {@code {runs}} and {@code {project}}.
 *
 * <p>{@code -Dalignloss.golden.update=true} rewrites the golden files from this run instead of comparing;
 * {@code -Dalignloss.golden.master=local[N]} runs on another local master (default {@code local[2]});
 * {@code -Dalignloss.golden.only=a,b} runs only the named runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenSummaryTest {
    static final String MASTER = "alignloss.golden.master";
    /** Comma-separated run names: run only these (for regenerating one file; a run's dependencies must be listed too). */
    static final String ONLY = "alignloss.golden.only";

    static final Tolerances EVALUATED = Tolerances.everywhere(new Tolerance(1e-12, 1e-15));
    static final Tolerances TRAINED = Tolerances.everywhere(new Tolerance(1e-6, 1e-12));
    static final Tolerances WEIGHTS = Tolerances.everywhere(new Tolerance(1e-4, 1e-10));

    /**
     * Timings, dates, versions and the run block (its id): what differs between two runs of the same commit. Paths are
     * compared with the machine's folders replaced by placeholders ({@link #placeholders}).
     */
    static final Set<String> VOLATILE = Set.of("/run", "/started", "/seconds", "/alignloss_version", "/spark_version",
            "/train/tokens_per_second", "/train/history/*/seconds", "/train/history/*/tokens_per_second",
            "/drift/previous_started", "/model.json/alignloss_version");

    /** Where a run leaves the document the golden file holds. */
    enum Published {
        /** {@code <out>/summary.json}. */
        SUMMARY,
        /** {@code <out>.failed-<id>/summary.json}: a run that failed (exit 3) keeps its summary there. */
        FAILED_SUMMARY,
        /** {@code <out>/leaderboard.json}. */
        LEADERBOARD
    }

    /**
     * One command line of the golden set.
     *
     * @param name      the run's name: its golden file's stem, and its output folder under the folder of all runs
     * @param folder    where it publishes, relative to the folder of all runs (its name, but for nightly runs)
     * @param status    the exit status it must end with
     * @param published which document is compared
     * @param trained   whether it writes a model to {@code <out>/model} (compared as {@code <name>.model.json})
     * @param tolerances the tolerance of its numbers
     * @param args      the command line; {@code {out}} is the run's output folder, {@code {runs}} the folder of all runs
     */
    record Run(String name, String folder, int status, Published published, boolean trained, Tolerances tolerances, List<String> args) {
        static Run evaluate(String conf, String... extra) {
            return new Run(conf, conf, 0, Published.SUMMARY, false, EVALUATED, command("evaluate", conf, extra));
        }

        static Run evaluateTrained(String conf, String... extra) {
            return new Run(conf, conf, 0, Published.SUMMARY, false, TRAINED, command("evaluate", conf, extra));
        }

        static Run train(String conf, String... extra) {
            return new Run(conf, conf, 0, Published.SUMMARY, true, TRAINED, command("train", conf, extra));
        }

        /** A nightly run of conf/nightly-samples.conf for a date, all dates under {@code {runs}/nightly}. */
        static Run nightly(String date) {
            return new Run("nightly-samples-" + date, "nightly/run_date=" + date, 0, Published.SUMMARY, false, EVALUATED,
                    List.of("nightly", "--config", "conf/nightly-samples.conf", "--date", date, "--set", "output.path={runs}/nightly"));
        }

        private static List<String> command(String command, String conf, String... extra) {
            List<String> args = new ArrayList<>(List.of(command, "--config", "conf/" + conf + ".conf", "--out", "{out}"));
            args.addAll(List.of(extra));
            return args;
        }

        String[] commandLine(Path runs) {
            return args.stream().map(arg -> arg.replace("{out}", runs.resolve(name).toString()).replace("{runs}", runs.toString()))
                    .toArray(String[]::new);
        }
    }

    /** Every conf/*.conf but log4j2.properties, in the order their models need, plus the leaderboard. */
    static final List<Run> RUNS = List.of(
            Run.evaluate("samples"),
            Run.evaluate("samples-diagnostics"),
            // more than --max-reject-fraction (0.01) of the rows are bad: exit 3, the summary kept in <out>.failed-<id>
            new Run("samples-bad", "samples-bad", 3, Published.FAILED_SUMMARY, false, EVALUATED,
                    List.of("evaluate", "--config", "conf/samples-bad.conf", "--out", "{out}")),
            // the same rows published anyway, as its config's comment suggests: the objectives' figures over the good rows
            new Run("samples-bad-published", "samples-bad-published", 0, Published.SUMMARY, false, EVALUATED,
                    List.of("evaluate", "--config", "conf/samples-bad.conf", "--out", "{out}", "--max-reject-fraction", "0.1")),
            Run.nightly("2026-11-24"),
            Run.nightly("2026-11-25"), // compares with 2026-11-24: the drift block is filled
            Run.evaluate("evaluate-logged"),
            Run.evaluate("samples-dpo"),
            Run.train("train-reward"),
            Run.train("train-policy"),
            Run.evaluateTrained("evaluate-policy",
                    "--set", "objectives.exact.model={runs}/train-policy/model",
                    "--set", "objectives.offpolicy.model={runs}/train-policy/model"),
            Run.evaluateTrained("evaluate-dr", "--set", "objectives.offpolicy.model={runs}/train-policy/model"),
            Run.train("train-offpolicy"),
            Run.train("train-lm"),
            Run.train("train-lm-joint"),
            Run.evaluateTrained("evaluate-lm",
                    "--set", "objectives.conditional-trained.model={runs}/train-lm/model",
                    "--set", "objectives.joint-trained.model={runs}/train-lm-joint/model"),
            Run.train("train-self-target", "--set", "train.init-model={runs}/train-lm/model"),
            new Run("leaderboard", "leaderboard", 0, Published.LEADERBOARD, false, EVALUATED,
                    List.of("leaderboard", "--battles", "data-samples/battles.parquet", "--out", "{out}")),
            // style control and Rao-Kupper ties on the battles with response texts (issue 18, part 3)
            new Run("leaderboard-style", "leaderboard-style", 0, Published.LEADERBOARD, false, EVALUATED,
                    List.of("leaderboard", "--battles", "data-samples/battles-style.parquet", "--out", "{out}", "--style",
                            "length,markdown", "--ties", "rao-kupper", "--bootstrap", "20")));

    @TempDir
    Path runs;

    private SparkSession spark;

    @BeforeAll
    void startSpark() {
        spark = SparkSession.builder()
                .master(System.getProperty(MASTER, "local[2]"))
                .appName(getClass().getSimpleName())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        System.out.println("golden: Spark master " + spark.sparkContext().master());
    }

    @AfterAll
    void stopSpark() {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @TestFactory
    Stream<DynamicTest> everyConfigMatchesItsGoldenFiles() {
        return RUNS.stream().map(run -> DynamicTest.dynamicTest(run.name(), () -> check(run)));
    }

    private void check(Run run) throws IOException {
        String only = System.getProperty(ONLY, "");
        assumeTrue(only.isEmpty() || List.of(only.split(",")).contains(run.name()), () -> run.name() + " is not in -D" + ONLY);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), run.commandLine(runs));
        // the CPU time of the whole JVM says what the run costs on a machine shared with other work
        System.out.printf("golden %s: exit %d in %.1f s (%.1f s CPU)%n", run.name(), status, (System.nanoTime() - start) / 1e9,
                (processCpuNanos() - cpu) / 1e9);
        assertThat(status).as("exit status of %s; stderr:%n%s", run.name(), err).isEqualTo(run.status());
        Path folder = runs.resolve(run.folder());
        List<String> failures = new ArrayList<>();
        switch (run.published()) {
            case SUMMARY -> failures.addAll(check(run.name() + ".summary.json", folder.resolve("summary.json"), run.tolerances()));
            case FAILED_SUMMARY -> failures.addAll(check(run.name() + ".summary.json", failedSummary(folder), run.tolerances()));
            case LEADERBOARD -> failures.addAll(check(run.name() + ".json", folder.resolve("leaderboard.json"), run.tolerances()));
        }
        if (run.trained()) {
            JsonNode model = model(folder.resolve("model"));
            reportDigits(run.name() + ".model.json", model);
            failures.addAll(GoldenFiles.check(run.name() + ".model.json", model, WEIGHTS, VOLATILE));
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " difference(s) from the golden files of " + run.name() + " (JSON path: expected golden, actual this run):\n"
                    + String.join("\n", failures));
        }
    }

    private List<String> check(String goldenName, Path document, Tolerances tolerances) throws IOException {
        JsonNode actual = placeholders(GoldenFiles.read(document));
        reportDigits(goldenName, actual);
        return GoldenFiles.check(goldenName, actual, tolerances, VOLATILE);
    }

    /** Prints how many numbers differ from the golden file at all, and the largest relative difference: the tolerances' headroom. */
    private static void reportDigits(String goldenName, JsonNode actual) throws IOException {
        Path golden = GoldenFiles.FOLDER.resolve(goldenName);
        if (GoldenFiles.updating() || !Files.exists(golden)) {
            return;
        }
        JsonNode expected = GoldenFiles.read(golden);
        double largest = 0;
        int differing = 0;
        for (JsonNumbers.Difference difference : JsonNumbers.differences(expected, actual, new Tolerance(0, 0), VOLATILE)) {
            JsonNode a = expected.at(difference.path());
            JsonNode b = actual.at(difference.path());
            if (a.isNumber() && b.isNumber()) {
                differing++;
                largest = Math.max(largest, Math.abs(a.doubleValue() - b.doubleValue()) / Math.max(Math.abs(a.doubleValue()), Math.abs(b.doubleValue())));
            }
        }
        System.out.printf("golden %s: %d numbers not bit-identical, largest relative difference %.3g%n", goldenName, differing, largest);
    }

    /** The document with the machine's folders written as {@code {runs}} (the runs' temporary folder) and {@code {project}}. */
    private JsonNode placeholders(JsonNode document) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        placeholders.put(runs.toAbsolutePath().toString(), "{runs}");
        placeholders.put(Path.of("").toAbsolutePath().toString(), "{project}");
        return GoldenFiles.withPlaceholders(document, placeholders);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The summary a failed run left in its one {@code <out>.failed-<id>} sibling. */
    private static Path failedSummary(Path out) throws IOException {
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            List<Path> failed = siblings.filter(path -> path.getFileName().toString().startsWith(out.getFileName() + ".failed-")).toList();
            assertThat(failed).as("failed-run folders of %s", out).hasSize(1);
            assertThat(out).as("a failed run publishes nothing").doesNotExist();
            return failed.get(0).resolve("summary.json");
        }
    }

    /** model.json and a digest of each {@code *.f64} (weights) and {@code *.i32} (a language model's vocabulary) file of a model folder. */
    private JsonNode model(Path folder) throws IOException {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.set("model.json", placeholders(GoldenFiles.read(folder.resolve("model.json"))));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".f64")) {
                    model.set(name, WeightsDigest.of(WeightsDigest.read(file)));
                }
                else if (name.endsWith(".i32")) {
                    model.set(name, WeightsDigest.of(WeightsDigest.readInts(file)));
                }
            }
        }
        return model;
    }
}
