package io.alignloss.objective.sequence;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveOptions;
import io.alignloss.config.SequenceLikelihoodOptions;
import io.alignloss.config.SequenceMode;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.objective.Objective;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelScoring;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/**
 * Sequence log-likelihood from logged token log-probabilities, joint and conditional side by side:
 * {@code joint_nll = −(Σ log Pr(x_t) + Σ log Pr(y_t | x))}, i.e. {@code −log Pr(x ++ y)}, and
 * {@code conditional_nll = −Σ log Pr(y_t | x)} (prompt masked). Token-weighted means divide the total NLL by
 * the total token count of the whole input, never a mean of means. The formulas are {@link SequenceNll}'s, as
 * Columns in {@link SequenceNllColumns}. The loss is the token-weighted
 * conditional NLL ({@code mode = conditional}, the default) or joint NLL ({@code mode = joint}).
 *
 * <p>Beside the token figures, each mode has the tokenizer-independent ratio estimators of {@link SequenceNll}:
 * {@code bits_per_byte = Σ w·NLL / (Σ w·bytes · ln 2)}, {@code byte_perplexity = exp(Σ w·NLL / Σ w·bytes)} and
 * {@code word_perplexity = exp(Σ w·NLL / Σ w·words)}, bytes and words of the scored text (the {@code response}
 * column for conditional; {@code prompt} and {@code response} for joint, the prompt counted whole even when its
 * first token is unscored, no separator). They are {@link #resampledFigures}, so each gets the bucket-bootstrap
 * interval of the loss's replicates. The text columns are there on both paths (logged log-probabilities, or a
 * language model scoring the same text).
 */
public final class SequenceLikelihoodObjective extends ModelBoundObjective<LanguageModel> {
    public static final String PROMPT_LOGPROBS = "prompt_logprobs";
    public static final String RESPONSE_LOGPROBS = "response_logprobs";

    /** The objective option naming a language model folder that computes the log-probabilities. */
    public static final String MODEL = ObjectiveOptions.MODEL;

    // sums of the bytes and words of the scored text: weighted (for the ratios) and plain (the counts shown)
    static final String W_PROMPT_BYTES = "w_prompt_bytes";
    static final String W_RESPONSE_BYTES = "w_response_bytes";
    static final String W_PROMPT_WORDS = "w_prompt_words";
    static final String W_RESPONSE_WORDS = "w_response_words";
    static final String PROMPT_BYTES = "prompt_bytes";
    static final String RESPONSE_BYTES = "response_bytes";
    static final String PROMPT_WORDS = "prompt_words";
    static final String RESPONSE_WORDS = "response_words";

    private final SequenceNllColumns nll;

    public SequenceLikelihoodObjective(ObjectiveConfig config) {
        this(config, Optional.empty());
    }

    private SequenceLikelihoodObjective(ObjectiveConfig config, Optional<LanguageModel> model) {
        super(config, model);
        String scored = "_lm_" + config.name();
        this.nll = model.isPresent() ? new SequenceNllColumns(scored + "." + PROMPT_LOGPROBS, scored + "." + RESPONSE_LOGPROBS)
                : new SequenceNllColumns(PROMPT_LOGPROBS, RESPONSE_LOGPROBS);
    }

    /** The same objective with log-probabilities computed by {@code model} from the prompt and response text. */
    public SequenceLikelihoodObjective withModel(LanguageModel languageModel) {
        return new SequenceLikelihoodObjective(config(), Optional.of(languageModel));
    }

    /** The rows with this objective's model log-probabilities added (unchanged when they are logged). */
    public Dataset<Row> withLogprobs(Dataset<Row> rows) {
        if (model().isEmpty()) {
            return rows;
        }
        return rows.withColumn("_lm_" + config().name(), LanguageModelScoring.logprobs(rows.sparkSession(), model().get(),
                col(InputContract.PROMPT), col(InputContract.RESPONSE)));
    }

    /** Log-probabilities from the language model a train run has just fitted for it, else its {@code model} folder's; logged ones without either. */
    @Override
    public Objective withModels(ModelSource models, JobConfig job) {
        return models.languageModel(name(), modelPath()).map(model -> (Objective) withModel(model)).orElse(this);
    }

    /** {@link #withLogprobs}. */
    @Override
    public Dataset<Row> prepare(Dataset<Row> rows) {
        return withLogprobs(rows);
    }

    /** Which NLL is the objective's loss (option {@code mode}). */
    public SequenceMode mode() {
        return config().optionsAs(SequenceLikelihoodOptions.class).mode();
    }

    @Override
    public List<ColumnSpec> columns() {
        if (model().isPresent()) {
            return List.of();
        }
        String who = "objective " + name();
        return List.of(ColumnSpec.required(PROMPT_LOGPROBS, ColumnType.DOUBLE_ARRAY, who),
                ColumnSpec.required(RESPONSE_LOGPROBS, ColumnType.DOUBLE_ARRAY, who));
    }

    @Override
    public List<RowRule> rules() {
        if (model().isPresent()) {
            return List.of();
        }
        return List.of(
                Rules.missingLogprobs(PROMPT_LOGPROBS),
                Rules.missingLogprobs(RESPONSE_LOGPROBS),
                Rules.emptyArray(RESPONSE_LOGPROBS, RowRule.EMPTY_RESPONSE_LOGPROBS),
                Rules.nullLogprob(PROMPT_LOGPROBS, true),
                Rules.nullLogprob(RESPONSE_LOGPROBS, false),
                Rules.badLogprob(PROMPT_LOGPROBS),
                Rules.badLogprob(RESPONSE_LOGPROBS));
    }

    private boolean joint() {
        return mode() == SequenceMode.JOINT;
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("joint_nll", nll.joint());
        figures.put("conditional_nll", nll.conditional());
        figures.put("prompt_tokens", nll.promptTokens());
        figures.put("response_tokens", nll.responseTokens());
        figures.put(PerExampleColumns.WEIGHT, col(InputContract.WEIGHT));
        figures.put(PerExampleColumns.LOSS, lossNumerator());
        return figures;
    }

    @Override
    public Column lossNumerator() {
        return nll.nll(joint());
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.of(nll.positions(joint()));
    }

    @Override
    public Map<String, Column> sums() {
        Column weight = col(InputContract.WEIGHT);
        Map<String, Column> sums = new LinkedHashMap<>();
        sums.put("w_joint_nll", weight.multiply(nll.joint()));
        sums.put("w_conditional_nll", weight.multiply(nll.conditional()));
        sums.put("w_prompt_tokens", weight.multiply(nll.promptTokens()));
        sums.put("w_response_tokens", weight.multiply(nll.responseTokens()));
        sums.put("prompt_tokens", nll.promptTokens().cast("double"));
        sums.put("response_tokens", nll.responseTokens().cast("double"));
        sums.put("unscored_prompt_tokens", nll.unscoredPromptTokens().cast("double"));
        Column promptBytes = SequenceNllColumns.bytes(col(InputContract.PROMPT));
        Column responseBytes = SequenceNllColumns.bytes(col(InputContract.RESPONSE));
        Column promptWords = SequenceNllColumns.words(col(InputContract.PROMPT));
        Column responseWords = SequenceNllColumns.words(col(InputContract.RESPONSE));
        sums.put(W_PROMPT_BYTES, weight.multiply(promptBytes));
        sums.put(W_RESPONSE_BYTES, weight.multiply(responseBytes));
        sums.put(W_PROMPT_WORDS, weight.multiply(promptWords));
        sums.put(W_RESPONSE_WORDS, weight.multiply(responseWords));
        sums.put(PROMPT_BYTES, promptBytes.cast("double"));
        sums.put(RESPONSE_BYTES, responseBytes.cast("double"));
        sums.put(PROMPT_WORDS, promptWords.cast("double"));
        sums.put(RESPONSE_WORDS, responseWords.cast("double"));
        return sums;
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        double jointTokens = stats.sum("w_prompt_tokens") + stats.sum("w_response_tokens");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mode", mode().configName());
        Map<String, Object> joint = block(stats.sum("w_joint_nll"), jointTokens, stats.weightSum(),
                stats.sum("prompt_tokens") + stats.sum("response_tokens"));
        joint.put("bytes", (long) (stats.sum(PROMPT_BYTES) + stats.sum(RESPONSE_BYTES)));
        joint.put("words", (long) (stats.sum(PROMPT_WORDS) + stats.sum(RESPONSE_WORDS)));
        figures.put("joint", joint);
        Map<String, Object> conditional = block(stats.sum("w_conditional_nll"), stats.sum("w_response_tokens"), stats.weightSum(),
                stats.sum("response_tokens"));
        conditional.put("bytes", (long) stats.sum(RESPONSE_BYTES));
        conditional.put("words", (long) stats.sum(RESPONSE_WORDS));
        figures.put("conditional", conditional);
        // prompt term = joint − conditional = −Σ log Pr(x_t): per sequence, and per scored prompt token
        double promptNll = stats.sum("w_joint_nll") - stats.sum("w_conditional_nll");
        Map<String, Object> prompt = new LinkedHashMap<>();
        prompt.put("sequence_nll", Json.number(SequenceNll.sequenceNll(promptNll, stats.weightSum())));
        prompt.put("token_nll", Json.number(SequenceNll.tokenNll(promptNll, stats.sum("w_prompt_tokens"))));
        prompt.put("tokens", (long) stats.sum("prompt_tokens"));
        figures.put("prompt_term", prompt);
        figures.put("unscored_prompt_tokens", (long) stats.sum("unscored_prompt_tokens"));
        if (model().isPresent()) {
            Map<String, Object> language = new LinkedHashMap<>();
            language.put("path", modelPath().orElse("(trained in this run)"));
            language.put("shape", model().get().shape().describe());
            language.put("kept_tokens", model().get().vocabulary().keptCount());
            language.put("classes", model().get().vocabulary().classes());
            language.put("response_tokens_include_end", true);
            figures.put("language_model", language);
        }
        return figures;
    }

    /**
     * {@code joint.} and {@code conditional.} {@code bits_per_byte}, {@code byte_perplexity} and {@code word_perplexity}
     * ({@link SequenceNll}), each a ratio of weighted sums; NaN where no byte or word has weight.
     */
    @Override
    public Map<String, Double> resampledFigures(LossStats stats) {
        Map<String, Double> figures = new LinkedHashMap<>();
        putPerUnit(figures, "joint", stats.sum("w_joint_nll"), stats.sum(W_PROMPT_BYTES) + stats.sum(W_RESPONSE_BYTES),
                stats.sum(W_PROMPT_WORDS) + stats.sum(W_RESPONSE_WORDS));
        putPerUnit(figures, "conditional", stats.sum("w_conditional_nll"), stats.sum(W_RESPONSE_BYTES), stats.sum(W_RESPONSE_WORDS));
        return figures;
    }

    private static void putPerUnit(Map<String, Double> figures, String mode, double weightedNll, double weightedBytes,
            double weightedWords) {
        figures.put(mode + ".bits_per_byte", SequenceNll.bitsPerByte(weightedNll, weightedBytes).orElse(Double.NaN));
        figures.put(mode + ".byte_perplexity", SequenceNll.bytePerplexity(weightedNll, weightedBytes).orElse(Double.NaN));
        figures.put(mode + ".word_perplexity", SequenceNll.wordPerplexity(weightedNll, weightedWords).orElse(Double.NaN));
    }

    private static Map<String, Object> block(double weightedNll, double weightedTokens, double weightSum, double tokens) {
        OptionalDouble tokenNll = SequenceNll.tokenNll(weightedNll, weightedTokens);
        Map<String, Object> block = new LinkedHashMap<>();
        // token_nll = Σ w·nll / Σ w·tokens over the whole input
        block.put("token_nll", Json.number(tokenNll));
        // sequence_nll = Σ w·nll / Σ w
        block.put("sequence_nll", Json.number(SequenceNll.sequenceNll(weightedNll, weightSum)));
        // perplexity = exp(token_nll)
        block.put("perplexity", tokenNll.isPresent() ? Json.number(SequenceNll.perplexity(tokenNll.getAsDouble())) : null);
        block.put("tokens", (long) tokens);
        return block;
    }

    @Override
    public String describe() {
        return format("sequence NLL; loss = token-weighted %s NLL (total NLL / total tokens)%s", mode().configName(),
                model().isPresent() ? ", log-probabilities from the language model " + modelPath().orElse("trained in this run") : "");
    }
}
