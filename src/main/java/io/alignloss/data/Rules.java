package io.alignloss.data;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/** The row rules of the data contracts, as null-safe Spark SQL predicates over the typed columns. */
public final class Rules {
    private Rules() {
    }

    /** Null or empty string (compared with '', which unlike length() needs no UTF-8 decoding). */
    public static RowRule missingText(String column) {
        return RowRule.of(RowRule.MISSING_TEXT, PreparedInput.column(column).isNull().or(PreparedInput.column(column).equalTo("")));
    }

    /** Null, NaN or ±Inf score. */
    public static RowRule badScore(String column) {
        return RowRule.of(RowRule.BAD_SCORE, notFinite(PreparedInput.column(column)));
    }

    /** Weight null, negative, NaN or infinite. */
    public static RowRule badWeight(String column) {
        return RowRule.of(RowRule.BAD_WEIGHT, notFinite(PreparedInput.column(column)).or(PreparedInput.column(column).lt(0)));
    }

    /** Label null, NaN or outside [0, 1]. */
    public static RowRule badLabel(String column) {
        return RowRule.of(RowRule.BAD_LABEL, PreparedInput.column(column).isNull().or(isnan(PreparedInput.column(column)))
                .or(PreparedInput.column(column).lt(0)).or(PreparedInput.column(column).gt(1)));
    }

    /** The log-probability array is null. */
    public static RowRule missingLogprobs(String column) {
        return RowRule.of(RowRule.MISSING_LOGPROBS, PreparedInput.column(column).isNull());
    }

    /** An element above 0, NaN or -Inf (a token of probability 0 makes the NLL infinite). */
    public static RowRule badLogprob(String column) {
        Column array = PreparedInput.column(column);
        return RowRule.of(RowRule.BAD_LOGPROB, array.isNotNull().and(exists(array, x ->
                x.isNotNull().and(x.gt(0).or(isnan(x)).or(x.equalTo(Double.NEGATIVE_INFINITY))))));
    }

    /**
     * A null element; with {@code firstMayBeNull} the first element may be null (inference servers leave
     * the first prompt token unscored).
     */
    public static RowRule nullLogprob(String column, boolean firstMayBeNull) {
        Column array = PreparedInput.column(column);
        Column nulls = size(array).minus(size(array_compact(array)));
        Column allowed = firstMayBeNull ? when(get(array, lit(0)).isNull().and(size(array).gt(0)), 1).otherwise(0) : lit(0);
        return RowRule.of(RowRule.NULL_LOGPROB, array.isNotNull().and(nulls.minus(allowed).gt(0)));
    }

    /** Null, of another length than {@code dimension}, or with a null, NaN or infinite element. */
    public static RowRule badEmbedding(String column, int dimension) {
        Column array = PreparedInput.column(column);
        return RowRule.of(RowRule.BAD_EMBEDDING, array.isNull().or(size(array).notEqual(dimension))
                .or(exists(array, x -> notFinite(x))));
    }

    /** Null, NaN or ±Inf margin. */
    public static RowRule badMargin(String column) {
        return RowRule.of(RowRule.BAD_MARGIN, notFinite(PreparedInput.column(column)));
    }

    /** Null, NaN, ≤ 0 or > 1: a logged response's behaviour-policy probability. */
    public static RowRule badBehaviorProb(String column) {
        Column value = PreparedInput.column(column);
        return RowRule.of(RowRule.BAD_BEHAVIOR_PROB, notFinite(value).or(value.leq(0)).or(value.gt(1)));
    }

    /** Null, NaN or outside [0, 1]: the target policy's probability of the logged response. */
    public static RowRule badTargetProb(String column) {
        Column value = PreparedInput.column(column);
        return RowRule.of(RowRule.BAD_TARGET_PROB, notFinite(value).or(value.lt(0)).or(value.gt(1)));
    }

    /** An empty array. */
    public static RowRule emptyArray(String column, String code) {
        return RowRule.of(code, PreparedInput.column(column).isNotNull().and(size(PreparedInput.column(column)).equalTo(0)));
    }

    /** Null, NaN or ±Inf. */
    public static Column notFinite(Column value) {
        return value.isNull().or(isnan(value)).or(value.equalTo(Double.POSITIVE_INFINITY))
                .or(value.equalTo(Double.NEGATIVE_INFINITY));
    }
}
