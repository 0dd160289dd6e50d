package io.alignloss.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveType;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Drift;
import io.alignloss.diagnostics.DriftThresholds;
import io.alignloss.diagnostics.LossEstimates;
import io.alignloss.objective.Objective;
import io.alignloss.output.Version;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.summary.DriftSummary;
import io.alignloss.summary.InputSummary;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RejectsSummary;
import io.alignloss.summary.RunInfo;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import io.alignloss.summary.TableSummary;
import io.alignloss.summary.TrainSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static java.lang.String.format;

/**
 * summary.json of an evaluate (or validate, or train's closing evaluation) run: the run's settings, each input's
 * rows and rejects, each objective's figures with its diagnostics, drift against the previous run, and the blocks
 * a train run adds.
 */
final class EvaluateSummaries {
    /** The block a train run adds ({@link EvaluateJob.Extras#summaryBlocks}), typed as {@link TrainSummary}. */
    private static final String TRAIN = "train";
    private static final TypeReference<Map<String, JsonNode>> BLOCKS = new TypeReference<>() { };

    private final EvaluateJob.Settings settings;
    private final RunContext run;
    private final List<Objective> objectives;
    private final Function<Objective, DiagnosticsConfig> resampling;
    private final RunDiagnostics diagnostics;
    private final List<String> exceededThresholds;

    /**
     * @param run                the run's context: its start, extras, task failures, master, Hadoop configuration, warnings
     * @param objectives         the objectives as they read their inputs (models bound), which the summary describes
     * @param resampling         the diagnostics settings with an objective's own bootstrap and confidence
     * @param diagnostics        the run's diagnostics (target, shift, policies, clustering, biases)
     * @param exceededThresholds receives the drift thresholds the run exceeded
     */
    EvaluateSummaries(EvaluateJob.Settings settings, RunContext run, List<Objective> objectives,
            Function<Objective, DiagnosticsConfig> resampling, RunDiagnostics diagnostics, List<String> exceededThresholds) {
        this.settings = settings;
        this.run = run;
        this.objectives = objectives;
        this.resampling = resampling;
        this.diagnostics = diagnostics;
        this.exceededThresholds = exceededThresholds;
    }

    /** A comparison with the table versions of the run's Delta and Iceberg inputs, the previous run's beside them. */
    private static DriftSummary withTables(DriftSummary drift, Map<String, InputSummary> inputs, Optional<RunSummary> previous) {
        if (!(drift instanceof DriftSummary.Compared compared) || previous.isEmpty()) {
            return drift;
        }
        Map<String, DriftSummary.TableDrift> tables = new LinkedHashMap<>();
        inputs.forEach((name, input) -> {
            if (input.table() != null) {
                InputSummary before = previous.get().inputsOrEmpty().get(name);
                tables.put(name, new DriftSummary.TableDrift(before == null ? null : before.table(), input.table()));
            }
        });
        return tables.isEmpty() ? drift : compared.withTables(tables);
    }

    /**
     * The run's summary.
     *
     * @param withObjectives false when the run stops before computing the objectives (too many rejects) or only
     *                       validates: the summary then has no {@code objectives} and no {@code drift}
     */
    RunSummary summary(Map<String, PreparedInput> inputs, Map<String, InputStats> stats, Map<String, Map<String, Long>> reasons,
            boolean withObjectives) {
        JobConfig config = settings.config();
        TaskFailures failures = run.failures();
        RunInfo runInfo = new RunInfo(config.source(), config.redaction().text(settings.out()), settings.overwrite().allowed(),
                settings.maxRejectFraction(), settings.seed(), run.masterUrl(),
                // tasks Spark had to re-run (e.g. on a lost executor) and executors lost while this evaluation ran
                failures == null ? null : failures.failedTasks(), failures == null ? null : failures.lostExecutors());

        Map<String, InputSummary> inputFigures = new LinkedHashMap<>();
        Map<String, Long> byInput = new LinkedHashMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        long total = 0;
        for (PreparedInput input : inputs.values()) {
            InputStats inputStats = stats.get(input.name());
            inputFigures.put(input.name(), new InputSummary(config.redaction().text(input.config().path()),
                    input.config().kind().configName(), inputStats.rows(), inputStats.rejected(), inputStats.rejectFraction(),
                    List.copyOf(input.groupColumns()), input.config().source().resolved()
                    .map(version -> new TableSummary(version.format().configName(), config.redaction().text(version.location()),
                            version.name().orElse(null), version.version().orElse(null), version.snapshotId().orElse(null),
                            version.timestamp().toString())).orElse(null)));
            byInput.put(input.name(), inputStats.rejected());
            reasons.getOrDefault(input.name(), Map.of()).forEach((reason, count) -> byReason.merge(reason, count, Long::sum));
            total += inputStats.rejected();
        }
        RejectsSummary rejects = new RejectsSummary(total, byInput, byReason);

        Map<String, ObjectiveSummary> objectiveFigures = null;
        DriftSummary drift = null;
        if (withObjectives) {
            objectiveFigures = new LinkedHashMap<>();
            for (Objective objective : objectives) {
                InputStats inputStats = stats.get(objective.config().input());
                objectiveFigures.put(objective.name(), objectiveSummary(objective, inputStats, run.warnings()));
            }
            if (config.diagnostics().drift().isPresent()) {
                DiagnosticsConfig.Drift driftConfig = config.diagnostics().drift().get();
                Optional<RunSummary> previous = Drift.readPrevious(driftConfig.previous(), run.hadoop());
                drift = Drift.compare(objectiveFigures, previous,
                        new DriftThresholds(driftConfig.maxLossChange(), driftConfig.maxMixChange()))
                        .withPrevious(config.redaction().text(driftConfig.previous()));
                drift = withTables(drift, inputFigures, previous);
                exceededThresholds.addAll(drift.exceededOrEmpty());
            }
        }
        Map<String, Object> blocks = new LinkedHashMap<>(run.extras().summaryBlocks());
        TrainSummary train = blocks.containsKey(TRAIN) ? SummaryJson.convert(blocks.remove(TRAIN), TrainSummary.class) : null;
        return new RunSummary(SummaryJson.SCHEMA_VERSION, Version.alignloss(), org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                run.extras().command().isEmpty() ? settings.mode().name().toLowerCase() : run.extras().command(), run.started().toString(),
                Duration.between(run.started(), Instant.now()).toMillis() / 1000.0, SummaryJson.config(config.shownConfig()), runInfo,
                inputFigures, rejects, objectiveFigures, drift, train, List.copyOf(new LinkedHashSet<>(run.warnings())),
                SummaryJson.convert(blocks, BLOCKS));
    }

    /**
     * One objective's figures: the diagnostics' estimate (loss, stderr, interval, groups, curve, target) with the
     * objective's own figures, then the covariate shift, the trained policy's figures and the preference biases this
     * run computed for it.
     */
    private ObjectiveSummary objectiveSummary(Objective objective, InputStats stats, List<String> warnings) {
        ObjectiveConfig config = objective.config();
        LossStats total = stats.total(objective.name());
        if (total.loss().isEmpty()) {
            warnings.add(format("objective '%s' has no accepted rows with positive weight on input '%s': its loss is null",
                    objective.name(), config.input()));
        }
        DiagnosticsConfig resampled = resampling.apply(objective);
        LossEstimates.Settings estimateSettings = new LossEstimates.Settings(resampled.bootstrap(), resampled.confidence(),
                settings.seed(), resampled.minGroupCount(), diagnostics.target(), resampled.lossBound(),
                Optional.ofNullable(diagnostics.clustering().get(config.input())));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("type", config.type().configName());
        figures.put("input", config.input());
        figures.put("description", objective.describe());
        figures.putAll(LossEstimates.estimate(stats.groupColumns(), stats.cells().get(objective.name()), estimateSettings,
                slice -> figures(objective, slice), objective::resampledFigures, warnings));
        if (figures.get("target") instanceof Map<?, ?> targetFigures) {
            @SuppressWarnings("unchecked")
            Map<String, Object> block = (Map<String, Object>) targetFigures;
            block.put("source", diagnostics.targetSource());
        }
        if (diagnostics.shift().containsKey(objective.name())) {
            figures.put("shift", diagnostics.shift().get(objective.name()));
        }
        if (diagnostics.policies().containsKey(objective.name())) {
            // the trained policy on the input's candidate sets: E_x E_π[U], the uniform policy's, their paired gain
            Map<String, Object> policy = new LinkedHashMap<>();
            objective.modelPath().ifPresent(path -> policy.put("model", path));
            policy.putAll(diagnostics.policies().get(objective.name()));
            figures.put("policy_mean_utility", policy.get("mean_utility"));
            figures.put("policy", policy);
        }
        if (config.type() == ObjectiveType.BRADLEY_TERRY && diagnostics.biases().containsKey(config.input())) {
            figures.put("biases", diagnostics.biases().get(config.input()));
        }
        return SummaryJson.convert(figures, ObjectiveSummary.class);
    }

    private static Map<String, Object> figures(Objective objective, LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("loss", Json.number(stats.loss()));
        figures.put("count", stats.count());
        figures.put("weight_sum", stats.weightSum());
        figures.put("stderr", Json.number(stats.stderr()));
        figures.putAll(objective.figures(stats));
        return figures;
    }
}
