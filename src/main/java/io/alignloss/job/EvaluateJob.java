package io.alignloss.job;

import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.config.InputKind;
import io.alignloss.config.JobConfig;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Drift;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.lm.LanguageModel;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.Objective;
import io.alignloss.objective.Objectives;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import io.alignloss.report.HtmlReport;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import io.alignloss.text.Tokens;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The {@code evaluate} and {@code validate} jobs: read and check every input, quarantine bad rows, compute
 * each objective's loss with its standard error overall and per group in one scan per input, write
 * per-example figures and summary.json, and publish the output folder atomically.
 *
 * <p>A run: bind each objective's model ({@link Objective#withModels}) → read and check the inputs
 * ({@link EvaluateInputs}) → one scan per input ({@link InputScans}) → write rejects → stop on too many rejects or
 * nothing to evaluate ({@link InputChecks}) → diagnostics ({@link EvaluateDiagnostics}) → per-example figures
 * ({@link RunOutputs}) → summary → publish → per-example tables ({@link PerExampleTables}).
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    /** What the run does after checking the inputs. */
    public enum Mode { EVALUATE, VALIDATE }

    /** Settings from the command line on top of the config. */
    public record Settings(JobConfig config, String out, Overwrite overwrite, double maxRejectFraction, long seed, Mode mode) {
        public Settings {
            requireNonNull(config, "config is null");
            requireNonNull(out, "out is null");
            requireNonNull(overwrite, "overwrite is null");
            requireNonNull(mode, "mode is null");
            if (!(maxRejectFraction >= 0 && maxRejectFraction <= 1)) {
                throw new AlignLossException(ErrorCode.USAGE,
                        format("Invalid --max-reject-fraction: %s (must be in [0, 1])", maxRejectFraction));
            }
        }

        /** With {@code --overwrite} as a flag: an existing alignloss output is replaced, anything else refused. */
        public Settings(JobConfig config, String out, boolean overwrite, double maxRejectFraction, long seed, Mode mode) {
            this(config, out, Overwrite.fromFlag(overwrite), maxRejectFraction, seed, mode);
        }
    }

    /** Observes stage starts; the default logs. Tests use it to fail a run mid-way. */
    public interface StageListener {
        void started(String stage);
    }

    /**
     * A finished run: where it published, what it wrote to summary.json, and the configured thresholds it
     * exceeded (the output is published; the command exits 4).
     */
    public record Result(Path output, RunSummary summary, List<String> exceededThresholds) {
    }

    /**
     * What a {@code train} run adds to the evaluation that ends it: its command name, the output committer
     * it already wrote the model into, the trained models by objective, and its {@code train} summary block.
     */
    public record Extras(String command, Optional<OutputCommitter> committer, Map<String, RewardModel> models,
            Map<String, Object> summaryBlocks, List<String> warnings, Map<String, LanguageModel> languageModels) {
        public Extras(String command, Optional<OutputCommitter> committer, Map<String, RewardModel> models,
                Map<String, Object> summaryBlocks, List<String> warnings) {
            this(command, committer, models, summaryBlocks, warnings, Map.of());
        }

        public static Extras none() {
            return new Extras("", Optional.empty(), Map.of(), Map.of(), List.of());
        }
    }

    /** An input scan's results: the inputs read, their statistics, and per input the rows failing each rule. */
    private record Scan(EvaluateInputs inputs, Map<String, InputStats> stats, Map<String, Map<String, Long>> reasons) {
    }

    private final Settings settings;
    private final Stages stages;
    private final UnaryOperator<PreparedInput> checked;
    /** The objectives as configured; each run binds their models and inputs. */
    private final List<Objective> configured;

    /** Drift thresholds the run exceeded (exit 4 after publishing). */
    private final List<String> exceededThresholds = new ArrayList<>();

    public EvaluateJob(Settings settings, StageListener listener) {
        this(settings, listener, UnaryOperator.identity());
    }

    /**
     * @param checked applied to each input once its schema is checked and its rules are set (tests add a rule
     *                with {@link PreparedInput#withRule})
     */
    EvaluateJob(Settings settings, StageListener listener, UnaryOperator<PreparedInput> checked) {
        this.settings = settings;
        this.stages = new Stages(listener);
        this.checked = requireNonNull(checked, "checked is null");
        this.configured = settings.config().objectives().stream().map(Objectives::create).toList();
    }

    public EvaluateJob(Settings settings) {
        this(settings, stage -> { });
    }

    public Result run(SparkSession spark) {
        return run(spark, Extras.none());
    }

    public Result run(SparkSession spark, Extras extras) {
        try (TaskFailures failures = TaskFailures.watch(spark)) {
            return runWatched(spark, new RunContext(Instant.now(), extras, failures, spark.sparkContext().master(),
                    spark.sparkContext().hadoopConfiguration(), new ArrayList<>(extras.warnings())));
        }
    }

    private Result runWatched(SparkSession spark, RunContext run) {
        JobConfig config = settings.config();
        ModelLoader models = new ModelLoader(run.extras(), run.hadoop(), stages);
        List<Objective> bound = configured.stream().map(objective -> objective.withModels(models, config)).toList();
        logPlan(bound);
        loadTokenizerEarly(run);
        OutputCommitter committer = run.extras().committer().orElseGet(() -> OutputCommitter.begin(settings.out(), settings.overwrite(),
                modeName(), run.hadoop()));
        try {
            Scan scan = scan(spark, run, bound, committer);
            RunDiagnostics scanned = RunDiagnostics.scanned(evaluating() ? InputScans.clustering(scan.inputs(), scan.stats(),
                    run.warnings()) : Map.of());
            checkRejectFractions(run, committer, scan, scanned);
            checkNotEmpty(run, committer, scan, scanned);
            Supplier<RunDiagnostics> diagnose = () -> evaluating()
                    ? new EvaluateDiagnostics(config, settings.seed(), this::resampling, stages).run(spark, scan.inputs(), scan.stats(),
                            scanned.clustering())
                    : EvaluateDiagnostics.none(config, scanned.clustering());
            // the per-example writes need nothing from the diagnostics: they run alongside (each side's driver work overlaps the
            // other's tasks)
            RunDiagnostics diagnostics = evaluating() && config.perExample()
                    ? stages.alongside(() -> RunOutputs.writePerExample(scan.inputs(), committer, stages), diagnose)
                    : diagnose.get();
            RunSummary summary = summarise(run, scan, diagnostics, evaluating());
            publish(committer, summary);
            if (evaluating() && config.perExampleTable().isPresent()) {
                commitTables(spark, run, scan.inputs(), committer);
            }
            run.warnings().forEach(LOG::warn);
            LOG.info("summary: {}", new Path(committer.target(), "summary.json"));
            return new Result(committer.target(), summary, List.copyOf(exceededThresholds));
        }
        finally {
            committer.abort();
        }
    }

    /**
     * In local mode, when the preference-bias scans will count cl100k tokens (the length baseline), the encoder is loaded
     * on a background thread now (about a second), while the inputs are read and scanned, rather than in the first task
     * of those scans. The driver is the executor here; on a cluster each executor loads its own.
     */
    private void loadTokenizerEarly(RunContext run) {
        JobConfig config = settings.config();
        if (evaluating() && config.diagnostics().biases() && run.masterUrl().startsWith("local")
                && config.inputs().values().stream().anyMatch(input -> input.kind() == InputKind.PREFERENCE)) {
            Thread loading = new Thread(Tokens::load, "alignloss-load-tokenizer");
            loading.setDaemon(true);
            loading.start();
        }
    }

    private boolean evaluating() {
        return settings.mode() == Mode.EVALUATE;
    }

    private String modeName() {
        return settings.mode().name().toLowerCase();
    }

    private void logPlan(List<Objective> objectives) {
        LOG.info("alignloss {} {}: {} input(s), {} objective(s), output {}", Version.alignloss(), modeName(),
                settings.config().inputs().size(), objectives.size(), settings.out());
        for (Objective objective : objectives) {
            LOG.info("objective {}: {} on input {}", objective.name(), objective.describe(), objective.config().input());
        }
    }

    /** Reads and checks the inputs, scans each once and stages the rejected rows. */
    private Scan scan(SparkSession spark, RunContext run, List<Objective> bound, OutputCommitter committer) {
        EvaluateInputs inputs = EvaluateInputs.read(spark, settings.config(), bound, checked, run.warnings(), stages);
        Map<String, InputStats> stats = InputScans.scan(inputs, evaluating(), settings.seed(), this::resampling, run.warnings(), stages);
        return new Scan(inputs, stats, RunOutputs.writeRejects(spark, inputs, stats, committer, stages));
    }

    /** Exit 3, with the summary and rejects kept for inspection, when an input rejects more than --max-reject-fraction. */
    private void checkRejectFractions(RunContext run, OutputCommitter committer, Scan scan, RunDiagnostics scanned) {
        List<String> exceeded = InputChecks.rejectFractionExceeded(scan.stats(), settings.maxRejectFraction());
        if (!exceeded.isEmpty()) {
            Path kept = keepFailed(committer, summarise(run, scan, scanned, false));
            throw new AlignLossException(ErrorCode.REJECT_FRACTION_EXCEEDED, format(
                    "Reject fraction exceeded (--max-reject-fraction %s): %s. Nothing was published at %s; "
                            + "the rejects and summary are kept for inspection in %s",
                    settings.maxRejectFraction(), String.join("; ", exceeded), committer.target(), kept));
        }
    }

    /** A failure, with the summary kept, when an input has nothing to evaluate, unless the input allows it empty (a warning). */
    private void checkNotEmpty(RunContext run, OutputCommitter committer, Scan scan, RunDiagnostics scanned) {
        List<String> empty = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        InputChecks.nothingToEvaluate(scan.inputs(), scan.stats()).forEach((name, why) -> {
            if (settings.config().inputs().get(name).allowEmpty()) {
                run.warnings().add(format("input '%s' has no rows to evaluate (%s); inputs.%s.allow-empty = true: its objectives' "
                        + "losses are null", name, why, name));
            }
            else {
                empty.add(format("input '%s' has no rows to evaluate (%s)", name, why));
                hints.add(format("inputs.%s.allow-empty = true", name));
            }
        });
        if (!empty.isEmpty()) {
            Path kept = keepFailed(committer, summarise(run, scan, scanned, evaluating()));
            throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format(
                    "Cannot %s: %s. Nothing was published at %s; the summary is kept for inspection in %s "
                            + "(set %s to publish null losses instead)", modeName(),
                    String.join("; ", empty), committer.target(), kept, String.join(", ", hints)));
        }
    }

    private Path keepFailed(OutputCommitter committer, RunSummary summary) {
        committer.writeText("summary.json", SummaryJson.render(summary));
        return committer.keepFailed(settings.config().keepFailed());
    }

    private void publish(OutputCommitter committer, RunSummary summary) {
        stages.timed("publish " + committer.target(), () -> {
            committer.writeText("summary.json", SummaryJson.render(summary));
            committer.writeText("report.html", HtmlReport.render(summary));
            committer.commit();
        });
    }

    /**
     * {@code output.per-example-table}, last, once the folder is published: each objective's per-example figures (read
     * back from the published folder when it has them) committed to its table ({@link PerExampleTables}).
     */
    private void commitTables(SparkSession spark, RunContext run, EvaluateInputs inputs, OutputCommitter committer) {
        JobConfig config = settings.config();
        boolean nightly = config.resolved().hasPath("run_date");
        LocalDate runDate = nightly ? LocalDate.parse(config.resolved().getString("run_date")) : LocalDate.ofInstant(run.started(), ZoneOffset.UTC);
        for (Objective objective : inputs.objectives()) {
            stages.timed("commit per-example table of objective " + objective.name(), () -> {
                Dataset<Row> rows = config.perExample()
                        ? spark.read().parquet(new Path(committer.target(), "per_example/" + objective.name()).toString())
                        : RunOutputs.perExample(inputs.inputs().get(objective.config().input()), objective);
                PerExampleTables.commit(spark, config.perExampleTable().get(), objective.name(), rows, committer.runId(), runDate, nightly);
            });
        }
    }

    /** The summary step: the run's figures as summary.json's records ({@link EvaluateSummaries}). */
    private RunSummary summarise(RunContext run, Scan scan, RunDiagnostics diagnostics, boolean withObjectives) {
        return new EvaluateSummaries(settings, run, scan.inputs().objectives(), this::resampling, diagnostics, exceededThresholds)
                .summary(scan.inputs().inputs(), scan.stats(), scan.reasons(), withObjectives);
    }

    /** The diagnostics settings with the objective's own bootstrap and confidence. */
    private DiagnosticsConfig resampling(Objective objective) {
        return objective.config().diagnostics(settings.config().diagnostics());
    }
}
