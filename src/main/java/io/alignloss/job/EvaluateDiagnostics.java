package io.alignloss.job;

import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.config.InputKind;
import io.alignloss.config.JobConfig;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Clustering;
import io.alignloss.diagnostics.CovariateShift;
import io.alignloss.diagnostics.PreferenceBiases;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.objective.Objective;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The diagnostics an evaluation runs after its checks pass: each trained policy on its candidate sets, covariate
 * shift against the configured reference (whose group mix is then the reweighting target unless the config gives
 * one), and preference-data biases.
 */
final class EvaluateDiagnostics {
    /** The job's log: its stages and figures read as they did when EvaluateJob wrote them. */
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    private final JobConfig config;
    private final long seed;
    private final Function<Objective, DiagnosticsConfig> resampling;
    private final Stages stages;

    /** @param resampling an objective's bootstrap and confidence settings */
    EvaluateDiagnostics(JobConfig config, long seed, Function<Objective, DiagnosticsConfig> resampling, Stages stages) {
        this.config = requireNonNull(config, "config is null");
        this.seed = seed;
        this.resampling = requireNonNull(resampling, "resampling is null");
        this.stages = requireNonNull(stages, "stages is null");
    }

    /** Without running any diagnostic (validate): the configured target and the clusters. */
    static RunDiagnostics none(JobConfig config, Map<String, Clustering> clustering) {
        return new RunDiagnostics(config.diagnostics().target(), "config", Map.of(), Map.of(), clustering, Map.of());
    }

    RunDiagnostics run(SparkSession spark, EvaluateInputs inputs, Map<String, InputStats> stats, Map<String, Clustering> clustering) {
        Map<String, Map<String, Object>> policies = policies(inputs);
        Map<String, Map<String, Double>> target = config.diagnostics().target();
        String targetSource = "config";
        Map<String, Map<String, Object>> shift = new LinkedHashMap<>();
        if (config.diagnostics().reference().isPresent()) {
            String path = config.diagnostics().reference().get();
            Dataset<Row> reference = readReference(spark, path);
            if (target.isEmpty()) {
                target = CovariateShift.referenceShares(reference, config.groups());
                targetSource = "reference " + path;
            }
            shift = shift(inputs, stats, reference);
        }
        return new RunDiagnostics(target, targetSource, shift, policies, clustering, biases(inputs));
    }

    // objective → E_x E_π[U] of its trained policy, the uniform policy's and their gain
    private Map<String, Map<String, Object>> policies(EvaluateInputs inputs) {
        Map<String, Map<String, Object>> policies = new LinkedHashMap<>();
        for (Objective objective : inputs.objectives()) {
            if (objective.evaluatesPolicy()) {
                PreparedInput input = inputs.inputs().get(objective.config().input());
                DiagnosticsConfig diagnostics = resampling.apply(objective);
                Map<String, Object> figures = stages.timed("evaluate policy of objective " + objective.name(), () -> objective.evaluatePolicy(
                        input.rows().filter(input.accepted()), input.clusterColumn(), seed, diagnostics.bootstrap(), diagnostics.confidence()));
                policies.put(objective.name(), figures);
                LOG.info("objective {}: policy mean utility {} (uniform {}) over {} prompts", objective.name(),
                        figures.get("mean_utility"), figures.get("uniform_mean_utility"), figures.get("prompts"));
            }
        }
        return policies;
    }

    // objective → importance-weighted figures, on each input with objectives and accepted rows
    private Map<String, Map<String, Object>> shift(EvaluateInputs inputs, Map<String, InputStats> stats, Dataset<Row> reference) {
        Map<String, Map<String, Object>> shift = new LinkedHashMap<>();
        DiagnosticsConfig diagnostics = config.diagnostics();
        for (PreparedInput input : inputs.inputs().values()) {
            List<Objective> on = inputs.on(input.name());
            if (on.isEmpty() || stats.get(input.name()).rows() == stats.get(input.name()).rejected()) {
                continue;
            }
            CovariateShift.Fit fit = stages.timed("fit covariate-shift classifier for input " + input.name(),
                    () -> CovariateShift.fit(input, reference, seed));
            shift.putAll(stages.timed("importance-weighted losses of input " + input.name(), () -> CovariateShift.weigh(input, on,
                    fit, diagnostics.shiftClip(), seed, diagnostics.bootstrap(), diagnostics.confidence())));
        }
        return shift;
    }

    // input → bias figures, on each preference input with objectives, when configured
    private Map<String, Map<String, Object>> biases(EvaluateInputs inputs) {
        Map<String, Map<String, Object>> biases = new LinkedHashMap<>();
        if (!config.diagnostics().biases()) {
            return biases;
        }
        for (PreparedInput input : inputs.inputs().values()) {
            if (input.config().kind() == InputKind.PREFERENCE && !inputs.on(input.name()).isEmpty()) {
                biases.put(input.name(), stages.timed("preference-data biases of input " + input.name(),
                        () -> PreferenceBiases.compute(input.rows().filter(input.accepted()), input.config().position(),
                                new PreferenceBiases.Grouping(input.groupColumns(), InputAggregation.NULL_GROUP,
                                        config.diagnostics().confidence()))));
            }
        }
        return biases;
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
}
