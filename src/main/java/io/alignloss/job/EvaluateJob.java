package io.alignloss.job;

import io.alignloss.config.ConfigLoader;
import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.config.JobConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.InputContract;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Clustering;
import io.alignloss.diagnostics.CovariateShift;
import io.alignloss.diagnostics.PreferenceBiases;
import io.alignloss.data.RowRule;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelFolder;
import io.alignloss.model.PolicyData;
import io.alignloss.objective.expectedutility.PolicyEvaluation;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.objective.sequence.SelfTargetObjective;
import io.alignloss.objective.sequence.SequenceLikelihoodObjective;
import io.alignloss.objective.Objective;
import io.alignloss.objective.Objectives;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import io.alignloss.report.HtmlReport;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

/**
 * The {@code evaluate} and {@code validate} jobs: read and check every input, quarantine bad rows, compute
 * each objective's loss with its standard error overall and per group in one scan per input, write
 * per-example figures and summary.json, and publish the output folder atomically.
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

    private final Settings settings;
    private final StageListener listener;
    private final UnaryOperator<PreparedInput> checked;
    private final List<Objective> objectives;
    private Extras extras = Extras.none();
    private TaskFailures failures;
    private String masterUrl = "";
    /** Target shares used for reweighting: the config's, or the reference's group mix. */
    private Map<String, Map<String, Double>> target = Map.of();
    private String targetSource = "config";
    /** Covariate-shift figures per objective, when a reference is configured. */
    private Map<String, Map<String, Object>> shift = Map.of();
    /** A trained policy's figures on its objective's candidate sets, per objective with {@code model = …}. */
    private Map<String, Map<String, Object>> policies = Map.of();
    /** The clusters each input's bootstrap resamples; absent for {@code cluster = none}. */
    private Map<String, Clustering> clustering = Map.of();
    /** Preference-data bias figures per input. */
    private Map<String, Map<String, Object>> biases = Map.of();
    private org.apache.hadoop.conf.Configuration hadoopConf;
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
        this.listener = listener;
        this.checked = requireNonNull(checked, "checked is null");
        this.objectives = new ArrayList<>(settings.config().objectives().stream().map(Objectives::create).toList());
    }

    public EvaluateJob(Settings settings) {
        this(settings, stage -> { });
    }

    /** Builds the objectives (validating their options) without Spark, so config errors surface first. */
    public static void checkObjectives(JobConfig config) {
        config.objectives().forEach(Objectives::create);
    }

    public Result run(SparkSession spark) {
        return run(spark, Extras.none());
    }

    public Result run(SparkSession spark, Extras extras) {
        try (TaskFailures failures = TaskFailures.watch(spark)) {
            this.failures = failures;
            return runWatched(spark, extras);
        }
    }

    private Result runWatched(SparkSession spark, Extras extras) {
        this.extras = extras;
        this.masterUrl = spark.sparkContext().master();
        this.hadoopConf = spark.sparkContext().hadoopConfiguration();
        Instant started = Instant.now();
        JobConfig config = settings.config();
        List<String> warnings = new ArrayList<>(extras.warnings());
        for (int i = 0; i < objectives.size(); i++) {
            if (objectives.get(i) instanceof BradleyTerryObjective bradleyTerry) {
                RewardModel model = extras.models().get(bradleyTerry.name());
                if (model == null && bradleyTerry.modelPath().isPresent()) {
                    String path = bradleyTerry.modelPath().get();
                    model = timed("load reward model " + path, () -> RewardModel.load(path, spark.sparkContext().hadoopConfiguration()));
                }
                if (model != null) {
                    objectives.set(i, bradleyTerry.withModel(model));
                }
            }
            else if (objectives.get(i) instanceof SelfTargetObjective selfTarget) {
                LanguageModel model = languageModel(spark, selfTarget.name(), selfTarget.modelPath());
                if (model == null) {
                    throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: objective '%s' (self-target) needs a language model to "
                            + "pick its targets: set %s = \"<train output>/model\"", config.source(), selfTarget.name(),
                            selfTarget.config().key(SelfTargetObjective.MODEL)));
                }
                objectives.set(i, selfTarget.withModel(model));
            }
            else if (objectives.get(i) instanceof SequenceLikelihoodObjective sequence) {
                LanguageModel model = languageModel(spark, sequence.name(), sequence.modelPath());
                if (model != null) {
                    objectives.set(i, sequence.withModel(model));
                }
            }
            else if (objectives.get(i) instanceof ExpectedUtilityObjective expectedUtility && extras.models().containsKey(expectedUtility.name())) {
                objectives.set(i, expectedUtility.withPolicy(extras.models().get(expectedUtility.name())));
            }
            else if (objectives.get(i) instanceof ExpectedUtilityObjective expectedUtility && expectedUtility.modelPath().isPresent()) {
                String path = expectedUtility.modelPath().get();
                InputConfig on = config.inputs().get(expectedUtility.config().input());
                if (on.kind() != InputKind.SEQUENCE) {
                    throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: objective '%s' has model = \"%s\" (a policy), which "
                            + "needs a sequence input of candidate sets (rows = candidate responses sharing %s), but '%s' is a %s input",
                            config.source(), expectedUtility.name(), path, io.alignloss.model.PolicyData.PROMPT_ID, on.name(),
                            on.kind().configName()));
                }
                RewardModel policy = timed("load policy " + path, () -> PolicyEvaluation.requirePolicy(
                        RewardModel.load(path, spark.sparkContext().hadoopConfiguration()), path, "objective " + expectedUtility.name()));
                objectives.set(i, expectedUtility.withPolicy(policy));
            }
        }
        LOG.info("alignloss {} {}: {} input(s), {} objective(s), output {}", Version.alignloss(),
                settings.mode().name().toLowerCase(), config.inputs().size(), objectives.size(), settings.out());
        for (Objective objective : objectives) {
            LOG.info("objective {}: {} on input {}", objective.name(), objective.describe(), objective.config().input());
        }

        OutputCommitter committer = extras.committer().orElseGet(() -> OutputCommitter.begin(settings.out(), settings.overwrite(),
                settings.mode().name().toLowerCase(), spark.sparkContext().hadoopConfiguration()));
        try {
            Map<String, PreparedInput> inputs = new LinkedHashMap<>();
            for (InputConfig input : config.inputs().values()) {
                inputs.put(input.name(), timed("check schema of input " + input.name(),
                        () -> prepare(spark, input, warnings)));
            }

            Map<String, InputStats> stats = new LinkedHashMap<>();
            for (PreparedInput input : inputs.values()) {
                List<Objective> on = objectivesOn(input.name());
                // clusters need their buckets for the cluster-robust stderr even without bootstrap replicates; the scan
                // counts them for the summary
                boolean countClusters = settings.mode() == Mode.EVALUATE && input.clusterColumn().isPresent() && !on.isEmpty();
                InputStats inputStats = timed("scan input " + input.name(), () -> InputAggregation.run(input, on, input.originalColumns().contains(InputContract.WEIGHT), settings.seed(),
                        input.clusterColumn().isPresent() || on.stream().anyMatch(objective -> resampling(objective).bootstrap() > 0),
                        countClusters));
                LOG.info("input {}: {} rows read, {} rejected ({})", input.name(), inputStats.rows(), inputStats.rejected(),
                        format("%.4f%%", 100 * inputStats.rejectFraction()));
                stats.put(input.name(), inputStats);
                if (inputStats.rows() == 0) {
                    warnings.add(format("input '%s' has no rows", input.name()));
                }
            }

            Map<String, Clustering> clustering = new LinkedHashMap<>();
            if (settings.mode() == Mode.EVALUATE) {
                for (PreparedInput input : inputs.values()) {
                    if (input.clusterColumn().isPresent() && !objectivesOn(input.name()).isEmpty()) {
                        String column = input.clusterColumn().get();
                        Clustering clusters = new Clustering(column, stats.get(input.name()).clusters().orElseThrow());
                        clustering.put(input.name(), clusters);
                        if (!clusters.reliable()) {
                            warnings.add(format("input '%s' has %d clusters of '%s' (< %d): the bootstrap intervals and stderr, which "
                                    + "resample clusters, are unreliable", input.name(), clusters.clusters(), column, Clustering.MIN_RELIABLE));
                        }
                    }
                }
            }
            this.clustering = clustering;

            Map<String, Map<String, Long>> reasons = new LinkedHashMap<>();

            for (PreparedInput input : inputs.values()) {
                if (stats.get(input.name()).rejected() > 0) {
                    String path = committer.stagingPath("rejects/" + input.name());
                    reasons.put(input.name(), timed("write rejects of input " + input.name(), () -> writeRejects(spark, input, path)));
                }
            }

            List<String> exceeded = new ArrayList<>();
            stats.forEach((name, inputStats) -> {
                if (inputStats.rejectFraction() > settings.maxRejectFraction()) {
                    exceeded.add(format("input '%s': %d of %d rows rejected (%.4f > %s)", name, inputStats.rejected(),
                            inputStats.rows(), inputStats.rejectFraction(), settings.maxRejectFraction()));
                }
            });
            if (!exceeded.isEmpty()) {
                RunSummary summary = summaries().summary(started, inputs, stats, reasons, warnings, false);
                committer.writeText("summary.json", SummaryJson.render(summary));
                Path kept = committer.keepFailed(config.keepFailed());
                throw new AlignLossException(ErrorCode.REJECT_FRACTION_EXCEEDED, format(
                        "Reject fraction exceeded (--max-reject-fraction %s): %s. Nothing was published at %s; "
                                + "the rejects and summary are kept for inspection in %s",
                        settings.maxRejectFraction(), String.join("; ", exceeded), committer.target(), kept));
            }

            List<String> empty = new ArrayList<>();
            List<String> hints = new ArrayList<>();
            nothingToEvaluate(stats).forEach((name, why) -> {
                if (config.inputs().get(name).allowEmpty()) {
                    warnings.add(format("input '%s' has no rows to evaluate (%s); inputs.%s.allow-empty = true: its objectives' "
                            + "losses are null", name, why, name));
                }
                else {
                    empty.add(format("input '%s' has no rows to evaluate (%s)", name, why));
                    hints.add(format("inputs.%s.allow-empty = true", name));
                }
            });
            if (!empty.isEmpty()) {
                RunSummary summary = summaries().summary(started, inputs, stats, reasons, warnings, settings.mode() == Mode.EVALUATE);
                committer.writeText("summary.json", SummaryJson.render(summary));
                Path kept = committer.keepFailed(config.keepFailed());
                throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format(
                        "Cannot %s: %s. Nothing was published at %s; the summary is kept for inspection in %s "
                                + "(set %s to publish null losses instead)", settings.mode().name().toLowerCase(),
                        String.join("; ", empty), committer.target(), kept, String.join(", ", hints)));
            }

            Map<String, Map<String, Object>> policies = new LinkedHashMap<>();
            for (Objective objective : objectives) {
                if (settings.mode() == Mode.EVALUATE && objective instanceof ExpectedUtilityObjective expectedUtility
                        && expectedUtility.policy().isPresent() && !expectedUtility.policyTarget()) {
                    PreparedInput input = inputs.get(objective.config().input());
                    DiagnosticsConfig diagnostics = resampling(objective);
                    policies.put(objective.name(), timed("evaluate policy of objective " + objective.name(), () -> PolicyEvaluation.evaluate(
                            input.rows().filter(input.accepted()), expectedUtility.policy().get(), expectedUtility.utilityOf(), settings.seed(),
                            diagnostics.bootstrap(), diagnostics.confidence(), input.clusterColumn().orElse(PolicyData.PROMPT_ID))));
                    LOG.info("objective {}: policy mean utility {} (uniform {}) over {} prompts", objective.name(),
                            policies.get(objective.name()).get("mean_utility"), policies.get(objective.name()).get("uniform_mean_utility"),
                            policies.get(objective.name()).get("prompts"));
                }
            }
            this.policies = policies;

            Map<String, Map<String, Object>> shift = new LinkedHashMap<>();
            Map<String, Map<String, Double>> target = config.diagnostics().target();
            if (settings.mode() == Mode.EVALUATE && config.diagnostics().reference().isPresent()) {
                String path = config.diagnostics().reference().get();
                Dataset<Row> reference = readReference(spark, path);
                if (target.isEmpty()) {
                    target = CovariateShift.referenceShares(reference, config.groups());
                    targetSource = "reference " + path;
                }
                for (PreparedInput input : inputs.values()) {
                    List<Objective> on = objectivesOn(input.name());
                    if (on.isEmpty() || stats.get(input.name()).rows() == stats.get(input.name()).rejected()) {
                        continue;
                    }
                    DiagnosticsConfig diagnostics = config.diagnostics();
                    CovariateShift.Fit fit = timed("fit covariate-shift classifier for input " + input.name(),
                            () -> CovariateShift.fit(input, reference, settings.seed()));
                    shift.putAll(timed("importance-weighted losses of input " + input.name(), () -> CovariateShift.weigh(input, on,
                            fit, diagnostics.shiftClip(), settings.seed(), diagnostics.bootstrap(), diagnostics.confidence())));
                }
            }
            this.target = target;
            this.shift = shift;

            Map<String, Map<String, Object>> biases = new LinkedHashMap<>();
            if (settings.mode() == Mode.EVALUATE && config.diagnostics().biases()) {
                for (PreparedInput input : inputs.values()) {
                    if (input.config().kind() == InputKind.PREFERENCE && !objectivesOn(input.name()).isEmpty()) {
                        biases.put(input.name(), timed("preference-data biases of input " + input.name(),
                                () -> PreferenceBiases.compute(input.rows().filter(input.accepted()), input.config().position())));
                    }
                }
            }
            this.biases = biases;

            if (settings.mode() == Mode.EVALUATE && config.perExample()) {
                for (Objective objective : objectives) {
                    PreparedInput input = inputs.get(objective.config().input());
                    timed("write per-example figures of objective " + objective.name(), () -> {
                        writePerExample(input, objective, committer.stagingPath("per_example/" + objective.name()));
                        return null;
                    });
                }
            }

            RunSummary summary = summaries().summary(started, inputs, stats, reasons, warnings, settings.mode() == Mode.EVALUATE);
            timed("publish " + committer.target(), () -> {
                committer.writeText("summary.json", SummaryJson.render(summary));
                committer.writeText("report.html", HtmlReport.render(summary));
                committer.commit();
                return null;
            });
            for (String warning : warnings) {
                LOG.warn(warning);
            }
            LOG.info("summary: {}", new Path(committer.target(), "summary.json"));
            return new Result(committer.target(), summary, List.copyOf(exceededThresholds));
        }
        finally {
            committer.abort();
        }
    }

    /** Builds summary.json from what this run has computed so far. */
    private EvaluateSummaries summaries() {
        return new EvaluateSummaries(settings, extras, masterUrl, failures, objectives, this::resampling, target, targetSource,
                shift, policies, clustering, biases, hadoopConf, exceededThresholds);
    }

    /**
     * The inputs with nothing to evaluate, each with why: no accepted rows (rows read − rejects = 0; on an input
     * with an off-policy objective whose target is a policy, only the logged rows are read), or an objective on it
     * whose accepted rows weigh nothing ({@code Σ w·x = 0}).
     */
    private Map<String, String> nothingToEvaluate(Map<String, InputStats> stats) {
        Map<String, String> empty = new LinkedHashMap<>();
        stats.forEach((name, inputStats) -> {
            boolean loggedOnly = objectivesOn(name).stream().anyMatch(objective ->
                    objective instanceof ExpectedUtilityObjective expectedUtility && expectedUtility.policyTarget());
            if (inputStats.rows() == 0) {
                empty.put(name, loggedOnly ? format("no logged rows: no row has %s = true", ExpectedUtilityObjective.LOGGED)
                        : "0 rows read");
                return;
            }
            if (inputStats.rows() == inputStats.rejected()) {
                empty.put(name, format("%d %srows read, all rejected", inputStats.rows(), loggedOnly ? "logged " : ""));
                return;
            }
            for (Objective objective : objectivesOn(name)) {
                LossStats total = inputStats.total(objective.name());
                if (total.loss().isEmpty()) {
                    empty.put(name, format("objective '%s': its %d rows weigh 0 in total", objective.name(), total.count()));
                    return;
                }
            }
        });
        return empty;
    }

    /** An objective's language model: the one a train run just fitted, else the configured folder's; null without either. */
    private LanguageModel languageModel(SparkSession spark, String objective, Optional<String> path) {
        LanguageModel trained = extras.languageModels().get(objective);
        if (trained != null || path.isEmpty()) {
            return trained;
        }
        return timed("load language model " + path.get(), () -> LanguageModelFolder.load(path.get(), spark.sparkContext().hadoopConfiguration()));
    }

    /** The diagnostics settings with the objective's own bootstrap and confidence. */
    private DiagnosticsConfig resampling(Objective objective) {
        return ConfigLoader.resampling(objective.config().options(), objective.config().key(""), settings.config().diagnostics(),
                settings.config().source());
    }

    private static Dataset<Row> readReference(SparkSession spark, String path) {
        Dataset<Row> reference;
        try {
            reference = spark.read().parquet(path);
        }
        catch (Exception e) { // AnalysisException is a checked exception that Scala throws undeclared
            throw Failures.reading("reference", path, e);
        }
        if (!CovariateShift.hasPrompt(reference)) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                    "Cannot read reference at %s: it needs a 'prompt' column (string); columns present: %s", path,
                    String.join(", ", reference.columns())));
        }
        return reference;
    }

    private List<Objective> objectivesOn(String input) {
        return objectives.stream().filter(objective -> objective.config().input().equals(input)).toList();
    }

    private PreparedInput prepare(SparkSession spark, InputConfig input, List<String> warnings) {
        List<String> present = InputReader.columnNames(spark, input);
        for (int i = 0; i < objectives.size(); i++) {
            if (objectives.get(i).config().input().equals(input.name())) {
                objectives.set(i, objectives.get(i).forInput(present));
            }
        }
        List<ColumnSpec> columns = new ArrayList<>();
        List<RowRule> rules = new ArrayList<>();
        for (Objective objective : objectivesOn(input.name())) {
            columns.addAll(objective.columns());
            rules.addAll(objective.rules());
        }
        PreparedInput prepared = InputReader.prepare(spark, input, columns, rules, settings.config().groups(), warnings);
        Dataset<Row> rows = prepared.rows();
        for (Objective objective : objectivesOn(input.name())) {
            if (objective instanceof BradleyTerryObjective bradleyTerry) {
                rows = bradleyTerry.withScores(rows);
            }
            if (objective instanceof SequenceLikelihoodObjective sequence) {
                rows = sequence.withLogprobs(rows);
            }
            if (objective instanceof SelfTargetObjective selfTarget) {
                rows = selfTarget.withTargets(rows);
            }
            if (objective instanceof ExpectedUtilityObjective expectedUtility && expectedUtility.policyTarget()) {
                // the candidates normalise π_θ; the logged rows are the data (for every objective on this input)
                rows = expectedUtility.withPolicyTarget(rows);
            }
        }
        return checked.apply(new PreparedInput(prepared.config(), rows, prepared.originalColumns(), prepared.groupColumns(),
                prepared.rules()));
    }

    /** Writes the rejected rows and returns, read back from them, how many rows fail each rule. */
    static Map<String, Long> writeRejects(SparkSession spark, PreparedInput input, String path) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(InputContract.ID));
        columns.add(get(input.reasons(), lit(0)).as("reason"));
        columns.add(input.reasons().as("reasons"));
        for (String original : input.originalColumns()) {
            if (original.equals(InputContract.ID)) {
                continue;
            }
            String name = original.equals("reason") || original.equals("reasons") ? "input_" + original : original;
            columns.add(PreparedInput.column(original).as(name));
        }
        input.rows().filter(not(input.accepted())).select(columns.toArray(Column[]::new)).write().parquet(path);
        Map<String, Long> byReason = new TreeMap<>();
        for (Row row : spark.read().parquet(path).select(explode(col("reasons")).as("code")).groupBy("code").count().collectAsList()) {
            byReason.put(row.getString(0), row.getLong(1));
        }
        return byReason;
    }

    private static void writePerExample(PreparedInput input, Objective objective, String path) {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        columns.add(col(InputContract.ID));
        names.add(InputContract.ID);
        for (Map.Entry<String, Column> figure : objective.perExample().entrySet()) {
            columns.add(figure.getValue().as(figure.getKey()));
            names.add(figure.getKey());
        }
        for (String group : input.groupColumns()) {
            if (names.add(group)) {
                columns.add(PreparedInput.column(group));
            }
        }
        input.rows().filter(input.accepted()).select(columns.toArray(Column[]::new)).write().parquet(path);
    }

    private <T> T timed(String stage, Supplier<T> work) {
        listener.started(stage);
        long start = System.nanoTime();
        LOG.info("stage {} ...", stage);
        T result = work.get();
        LOG.info("stage {} done in {} s", stage, format("%.2f", (System.nanoTime() - start) / 1e9));
        return result;
    }
}
