package io.alignloss.objective.sequence;

import io.alignloss.lm.SequenceNll;
import io.alignloss.text.TextUnits;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.regexp_count;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * The sequence NLL of {@link SequenceNll} as Spark {@code Column}s over a row's token log-probability arrays
 * (logged, or computed by a language model): {@code a} = prompt log-probabilities (the first may be null, unscored),
 * {@code b} = response log-probabilities.
 * <pre>
 *   conditional NLL = −Σ_t b_t,   joint NLL = −(Σ_t a_t + Σ_t b_t),   a null a_t counting 0
 *   prompt tokens   = |a| − (1 if a_0 is null),   response tokens = |b|
 *   bytes(text)     = UTF-8 bytes,   words(text) = runs of non-white-space characters   ({@link TextUnits})
 * </pre>
 *
 * @param promptLogprobs   the name of the array column a (prompt log-probabilities) the formulas read
 * @param responseLogprobs the name of the array column b (response log-probabilities) the formulas read
 */
public record SequenceNllColumns(String promptLogprobs, String responseLogprobs) {

    /** {@code Σ_t v_t} of an array column, left to right, a null (unscored first prompt token) counting as 0. */
    public static Column sum(Column logprobs) {
        return aggregate(logprobs, lit(0.0), (total, x) -> total.plus(coalesce(x, lit(0.0))));
    }

    /** Scored positions of a response of {@code responseTokens} tokens: {@link SequenceNll#responsePositions}, END included. */
    public static Column responsePositions(Column responseTokens) {
        return responseTokens.plus(SequenceNll.END_POSITIONS);
    }

    /** {@link TextUnits#utf8Bytes}: the UTF-8 bytes of a string column, as a long. */
    public static Column bytes(Column text) {
        return octet_length(text).cast("long");
    }

    /** {@link TextUnits#words}: the whitespace-separated words of a string column, as a long. */
    public static Column words(Column text) {
        return regexp_count(text, lit(TextUnits.WORD)).cast("long");
    }

    /** 1 when the first prompt token is unscored (null), else 0. */
    public Column unscoredPromptTokens() {
        Column prompt = col(promptLogprobs);
        return when(size(prompt).gt(0).and(get(prompt, lit(0)).isNull()), 1L).otherwise(0L);
    }

    /** Scored prompt tokens {@code |a| − unscored}. */
    public Column promptTokens() {
        return size(col(promptLogprobs)).cast("long").minus(unscoredPromptTokens());
    }

    /** Response tokens {@code |b|} (END's included when a language model computed them). */
    public Column responseTokens() {
        return size(col(responseLogprobs)).cast("long");
    }

    /** {@code conditional NLL = −Σ_t b_t = −log Pr(y | x)}. */
    public Column conditional() {
        return negate(sum(col(responseLogprobs)));
    }

    /** {@code joint NLL = −(Σ_t a_t + Σ_t b_t) = −log Pr(x ++ y)}. */
    public Column joint() {
        return negate(sum(col(promptLogprobs)).plus(sum(col(responseLogprobs))));
    }

    /** The NLL of the {@code joint} or conditional mode. */
    public Column nll(boolean joint) {
        return joint ? joint() : conditional();
    }

    /** Scored positions of the {@code joint} (prompt + response tokens) or conditional (response tokens) mode, as a double. */
    public Column positions(boolean joint) {
        return (joint ? promptTokens().plus(responseTokens()) : responseTokens()).cast("double");
    }
}
