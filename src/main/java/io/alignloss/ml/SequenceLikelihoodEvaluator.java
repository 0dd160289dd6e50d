package io.alignloss.ml;

import io.alignloss.config.InputKind;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveType;
import io.alignloss.config.Resampling;
import io.alignloss.config.SequenceLikelihoodOptions;
import io.alignloss.config.SequenceMode;
import io.alignloss.data.InputContract;
import io.alignloss.objective.sequence.SequenceLikelihoodObjective;
import io.alignloss.stats.LossStats;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The sequence-likelihood figures of {@code evaluate} as a Spark ML {@link Evaluator}, over rows of logged token
 * log-probabilities ({@code prompt_logprobs}, {@code response_logprobs}, optional weight): token-weighted means over
 * the whole Dataset, never a mean of means ({@link io.alignloss.lm.SequenceNll}):
 * {@code conditional_token_nll = Σ w·(−Σ log Pr(y_t | x)) / Σ w·|y|}, {@code joint_token_nll = Σ w·(−log Pr(x ++ y)) /
 * Σ w·(scored prompt positions + |y|)}, {@code perplexity = exp(token NLL)} of the {@code mode} NLL (conditional by
 * default, as the objective's). All three are smaller-is-better. They are the {@code conditional}/{@code joint} blocks of
 * {@link SequenceLikelihoodObjective#figures}, through evaluate's aggregation ({@link EvaluatorScan}); empty is NaN.
 */
public final class SequenceLikelihoodEvaluator extends Evaluator {
    private static final long serialVersionUID = 1L;
    public static final String CONDITIONAL_TOKEN_NLL = "conditional_token_nll";
    public static final String JOINT_TOKEN_NLL = "joint_token_nll";
    public static final String PERPLEXITY = "perplexity";

    private final String uid;
    private final Param<String> metricName;
    private final Param<String> mode;
    private final Param<String> promptLogprobsCol;
    private final Param<String> responseLogprobsCol;
    private final Param<String> weightCol;

    public SequenceLikelihoodEvaluator() {
        this(Identifiable.randomUID("sequenceLikelihoodEval"));
    }

    public SequenceLikelihoodEvaluator(String uid) {
        this.uid = uid;
        metricName = new Param<>(this, "metricName", "conditional_token_nll, joint_token_nll or perplexity (all smaller-is-better)",
                ParamValidators.inArray(new String[] {CONDITIONAL_TOKEN_NLL, JOINT_TOKEN_NLL, PERPLEXITY}));
        mode = new Param<>(this, "mode", "whose perplexity: conditional or joint (the objective's mode)",
                ParamValidators.inArray(new String[] {SequenceMode.CONDITIONAL.configName(), SequenceMode.JOINT.configName()}));
        promptLogprobsCol = new Param<>(this, "promptLogprobsCol", "log Pr(x_t) per prompt token (the first may be null)");
        responseLogprobsCol = new Param<>(this, "responseLogprobsCol", "log Pr(y_t | x) per response token");
        weightCol = new Param<>(this, "weightCol", "row weight (1 when the column is absent)");
        setDefault(metricName, CONDITIONAL_TOKEN_NLL);
        setDefault(mode, SequenceMode.CONDITIONAL.configName());
        setDefault(promptLogprobsCol, SequenceLikelihoodObjective.PROMPT_LOGPROBS);
        setDefault(responseLogprobsCol, SequenceLikelihoodObjective.RESPONSE_LOGPROBS);
        setDefault(weightCol, InputContract.WEIGHT);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> metricName() {
        return metricName;
    }

    public Param<String> mode() {
        return mode;
    }

    public Param<String> promptLogprobsCol() {
        return promptLogprobsCol;
    }

    public Param<String> responseLogprobsCol() {
        return responseLogprobsCol;
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public String getMetricName() {
        return getOrDefault(metricName);
    }

    public SequenceLikelihoodEvaluator setMetricName(String value) {
        set(metricName, value);
        return this;
    }

    public SequenceLikelihoodEvaluator setMode(String value) {
        set(mode, value);
        return this;
    }

    public SequenceLikelihoodEvaluator setPromptLogprobsCol(String value) {
        set(promptLogprobsCol, value);
        return this;
    }

    public SequenceLikelihoodEvaluator setResponseLogprobsCol(String value) {
        set(responseLogprobsCol, value);
        return this;
    }

    public SequenceLikelihoodEvaluator setWeightCol(String value) {
        set(weightCol, value);
        return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        List<String> present = List.of(dataset.columns());
        for (Param<String> required : List.of(promptLogprobsCol, responseLogprobsCol)) {
            if (!present.contains(getOrDefault(required))) {
                throw new IllegalArgumentException(format("Cannot evaluate %s: column '%s' (%s) is missing; columns present: %s", uid,
                        getOrDefault(required), required.name(), String.join(", ", present)));
            }
        }
        List<Column> selected = new ArrayList<>();
        selected.add(col(getOrDefault(promptLogprobsCol)).cast("array<double>").as(SequenceLikelihoodObjective.PROMPT_LOGPROBS));
        selected.add(col(getOrDefault(responseLogprobsCol)).cast("array<double>").as(SequenceLikelihoodObjective.RESPONSE_LOGPROBS));
        if (present.contains(getOrDefault(weightCol))) {
            selected.add(col(getOrDefault(weightCol)).cast("double").as(InputContract.WEIGHT));
        }
        // The objective also sums the texts' bytes and words (bits per byte); none of this evaluator's metrics reads
        // them, so a Dataset of log-probabilities alone is evaluated with empty texts.
        for (String text : List.of(InputContract.PROMPT, InputContract.RESPONSE)) {
            selected.add((present.contains(text) ? col(text).cast("string") : lit("")).as(text));
        }
        SequenceMode sequenceMode = SequenceMode.fromConfig(getOrDefault(mode), "mode");
        SequenceLikelihoodObjective objective = new SequenceLikelihoodObjective(new ObjectiveConfig("sequence", ObjectiveType.SEQUENCE_LIKELIHOOD,
                "evaluated", new SequenceLikelihoodOptions(Resampling.NONE, Optional.empty(), sequenceMode, Optional.empty())));
        LossStats total = EvaluatorScan.total(dataset.select(selected.toArray(Column[]::new)), InputKind.SEQUENCE, objective);
        Map<String, Object> figures = objective.figures(total);
        String block = switch (getMetricName()) {
            case CONDITIONAL_TOKEN_NLL -> SequenceMode.CONDITIONAL.configName();
            case JOINT_TOKEN_NLL -> SequenceMode.JOINT.configName();
            default -> sequenceMode.configName();
        };
        Object value = ((Map<?, ?>) figures.get(block)).get(getMetricName().equals(PERPLEXITY) ? PERPLEXITY : "token_nll");
        return value == null ? Double.NaN : (Double) value;
    }

    /** Every metric is smaller-is-better. */
    @Override
    public boolean isLargerBetter() {
        return false;
    }

    @Override
    public SequenceLikelihoodEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
