package io.alignloss.objective.sequence;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveOptions;
import io.alignloss.config.SelfTargetOptions;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.Objective;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.SelfTargetScoring;
import io.alignloss.lm.SelfTargets;
import io.alignloss.lm.SequenceNll;
import io.alignloss.output.PerExampleColumns;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.config.JobConfig;
import io.alignloss.objective.ModelBoundObjective;
import io.alignloss.objective.ModelSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

/**
 * Loss on a model-generated target (context distillation, self-training): the language model first picks its
 * own best output {@code ŷ = argmax_y log Pr(y | c, z)} (over the row's candidates, else by greedy decoding up to
 * {@code max-target-tokens}), then the loss is {@code −log Pr(ŷ | c′, z)} on the modified context, with ŷ held
 * fixed, token-weighted over ŷ's tokens and END: the conditional sequence NLL of {@link SequenceNll} with prompt (c′, z)
 * and response ŷ, which the self-target trainer minimises through the language model's {@code LmLoss}. The per-example output has both {@code log Pr(ŷ|c′,z)} and
 * {@code log Pr(ŷ|c,z)}; a {@code reference} column, when present, is scored under c′ as a check against ground
 * truth that self-training never sees.
 */
public final class SelfTargetObjective extends ModelBoundObjective<LanguageModel> {
    public static final String MODEL = ObjectiveOptions.MODEL;
    public static final String MAX_TARGET_TOKENS = SelfTargetOptions.MAX_TARGET_TOKENS;

    private final String scored;

    public SelfTargetObjective(ObjectiveConfig config) {
        this(config, Optional.empty());
    }

    private SelfTargetObjective(ObjectiveConfig config, Optional<LanguageModel> model) {
        super(config, model);
        this.scored = "_st_" + config.name();
    }

    public SelfTargetObjective withModel(LanguageModel languageModel) {
        return new SelfTargetObjective(config(), Optional.of(languageModel));
    }

    /** The longest greedy target (option {@code max-target-tokens}, else {@link SelfTargets#DEFAULT_MAX_TARGET_TOKENS}). */
    public int maxTargetTokens() {
        return config().optionsAs(SelfTargetOptions.class).maxTargetTokens().orElse(SelfTargets.DEFAULT_MAX_TARGET_TOKENS);
    }

    /** {@code z}, or a null string when the rows have no such column. */
    public static Column conditioning(Dataset<Row> rows) {
        return Arrays.asList(rows.columns()).contains(InputContract.Z) ? col(InputContract.Z) : lit(null).cast("string");
    }

    /** A field of the struct {@link #withTargets} adds (see {@link SelfTargetScoring#TYPE}). */
    public Column target(String field) {
        return field(field);
    }

    /** The rows with this objective's targets and their scores added (a struct column). */
    public Dataset<Row> withTargets(Dataset<Row> rows) {
        LanguageModel languageModel = model().orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG, format(
                "Objective '%s' (self-target) needs a language model to pick its targets: set %s = \"<train output>/model\"",
                name(), config().key(MODEL))));
        List<String> present = Arrays.asList(rows.columns());
        Column z = conditioning(rows);
        Column candidates = present.contains(InputContract.CANDIDATES) ? col(InputContract.CANDIDATES) : lit(null).cast("array<string>");
        Column reference = present.contains(InputContract.REFERENCE) ? col(InputContract.REFERENCE) : lit(null).cast("string");
        return rows.withColumn(scored, SelfTargetScoring.targets(rows.sparkSession(), languageModel, maxTargetTokens(),
                col(InputContract.CONTEXT), col(InputContract.MODIFIED_CONTEXT), z, candidates, reference));
    }

    /**
     * Targets picked by the language model a train run has just fitted for it, else by its {@code model} folder's;
     * a config error without either.
     */
    @Override
    public Objective withModels(ModelSource models, JobConfig job) {
        LanguageModel languageModel = models.languageModel(name(), modelPath()).orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG,
                format("Config %s: objective '%s' (self-target) needs a language model to pick its targets: set %s = \"<train output>/model\"",
                        job.source(), name(), config().key(MODEL))));
        return withModel(languageModel);
    }

    /** {@link #withTargets}. */
    @Override
    public Dataset<Row> prepare(Dataset<Row> rows) {
        return withTargets(rows);
    }

    private Column field(String name) {
        return col(scored + "." + name);
    }

    @Override
    public List<ColumnSpec> columns() {
        return List.of();
    }

    @Override
    public List<RowRule> rules() {
        return List.of();
    }

    // scored positions of ŷ: its tokens and END
    private Column positions() {
        return SequenceNllColumns.responsePositions(field("target_tokens")).cast("double");
    }

    /** {@code ℓ = −log Pr(ŷ ++ END | c′, z)}: the conditional NLL of ŷ given its summed log-probability under (c′, z). */
    public static Column loss(Column modifiedLogprob) {
        return negate(modifiedLogprob);
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("target", field("target"));
        figures.put("target_tokens", field("target_tokens"));
        figures.put("modified_context_logprob", field("modified_logprob"));
        figures.put("context_logprob", field("context_logprob"));
        // gap = log Pr(ŷ|c,z) − log Pr(ŷ|c′,z): what the modified context still lacks
        figures.put("distillation_gap", field("context_logprob").minus(field("modified_logprob")));
        figures.put("target_entropy", field("entropy"));
        figures.put("candidates", field("candidates"));
        figures.put("reference_logprob", field("reference_logprob"));
        figures.put(PerExampleColumns.WEIGHT, col(InputContract.WEIGHT));
        figures.put(PerExampleColumns.LOSS, lossNumerator());
        return figures;
    }

    // ℓ = −log Pr(ŷ | c′, z)
    @Override
    public Column lossNumerator() {
        return loss(field("modified_logprob"));
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.of(positions());
    }

    @Override
    public Map<String, Column> sums() {
        Column weight = col(InputContract.WEIGHT);
        Column hasReference = field("reference_logprob").isNotNull();
        Map<String, Column> sums = new LinkedHashMap<>();
        sums.put("w_modified_nll", weight.multiply(loss(field("modified_logprob"))));
        sums.put("w_context_nll", weight.multiply(negate(field("context_logprob"))));
        sums.put("w_positions", weight.multiply(positions()));
        sums.put("w_entropy", weight.multiply(field("entropy")));
        sums.put("w_reference_nll", when(hasReference, weight.multiply(negate(field("reference_logprob")))).otherwise(0.0));
        sums.put("w_reference_positions", when(hasReference, weight.multiply(SequenceNllColumns.responsePositions(field("reference_tokens"))))
                .otherwise(0.0));
        sums.put("w_reference_rows", when(hasReference, weight).otherwise(0.0));
        sums.put("w_matches_reference", when(coalesce(field("matches_reference"), lit(false)), weight).otherwise(0.0));
        sums.put("greedy_rows", when(field("candidates").equalTo(0), 1.0).otherwise(0.0));
        return sums;
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        double positions = stats.sum("w_positions");
        figures.put("modified_context", Map.of("token_nll", Json.number(SequenceNll.tokenNll(stats.sum("w_modified_nll"), positions)),
                "sequence_nll", Json.number(SequenceNll.sequenceNll(stats.sum("w_modified_nll"), stats.weightSum()))));
        figures.put("context", Map.of("token_nll", Json.number(SequenceNll.tokenNll(stats.sum("w_context_nll"), positions)),
                "sequence_nll", Json.number(SequenceNll.sequenceNll(stats.sum("w_context_nll"), stats.weightSum()))));
        // per-token gap = (Σ w·(−log Pr(ŷ|c′,z)) − Σ w·(−log Pr(ŷ|c,z))) / Σ w·|ŷ ++ END|
        figures.put("distillation_gap_per_token", Json.number(SequenceNll.tokenNll(stats.sum("w_modified_nll") - stats.sum("w_context_nll"), positions)));
        figures.put("mean_target_entropy", Json.number(divide(stats.sum("w_entropy"), stats.weightSum())));
        figures.put("greedy_targets", (long) stats.sum("greedy_rows"));
        figures.put("max_target_tokens", maxTargetTokens());
        if (stats.sum("w_reference_rows") > 0) {
            Map<String, Object> reference = new LinkedHashMap<>();
            reference.put("token_nll", Json.number(SequenceNll.tokenNll(stats.sum("w_reference_nll"), stats.sum("w_reference_positions"))));
            reference.put("target_matches_reference", Json.number(divide(stats.sum("w_matches_reference"), stats.sum("w_reference_rows"))));
            figures.put("reference", reference);
        }
        model().ifPresent(m -> figures.put("language_model", Map.of("path", modelPath().orElse("(trained in this run)"),
                "shape", m.shape().describe(), "kept_tokens", m.vocabulary().keptCount())));
        return figures;
    }

    // a weighted mean Σ w·v / Σ w (entropy, matches), empty when the weights sum to 0
    private static OptionalDouble divide(double numerator, double denominator) {
        return denominator > 0 ? OptionalDouble.of(numerator / denominator) : OptionalDouble.empty();
    }

    @Override
    public String describe() {
        return format("self-target: ŷ = argmax_y log Pr(y|c,z) (%s), loss = −log Pr(ŷ|c′,z), token-weighted%s",
                "candidates, else greedy up to " + maxTargetTokens() + " tokens",
                model().isPresent() ? ", language model " + modelPath().orElse("trained in this run") : "");
    }
}
