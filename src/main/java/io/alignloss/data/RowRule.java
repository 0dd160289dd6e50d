package io.alignloss.data;

import org.apache.spark.sql.Column;

import static java.util.Objects.requireNonNull;

/**
 * A row rule: rows for which {@code failsWhen} is true are rejected with reason {@code code}. The
 * predicate should be null-safe (never null), which {@link #of} guarantees by treating null as a failure of
 * {@code code}; a row where a predicate built otherwise is null is rejected as {@link #RULE_ERROR}.
 */
public record RowRule(String code, Column failsWhen) {
    /** Null or empty required string. */
    public static final String MISSING_TEXT = "missing_text";
    /** Null, NaN or infinite score. */
    public static final String BAD_SCORE = "bad_score";
    /** A log-probability above 0, NaN or -Infinity. */
    public static final String BAD_LOGPROB = "bad_logprob";
    /** A null log-probability other than the first prompt token's. */
    public static final String NULL_LOGPROB = "null_logprob";
    /** The log-probability array itself is null. */
    public static final String MISSING_LOGPROBS = "missing_logprobs";
    /** response_logprobs is empty. */
    public static final String EMPTY_RESPONSE_LOGPROBS = "empty_response_logprobs";
    /** Weight null, negative, NaN or infinite. */
    public static final String BAD_WEIGHT = "bad_weight";
    /** Label null, outside [0, 1] or NaN. */
    public static final String BAD_LABEL = "bad_label";
    /** An embedding that is null, of another length than the first row's, or has a NaN, infinite or null element. */
    public static final String BAD_EMBEDDING = "bad_embedding";
    /** A response token count that is null, NaN, infinite or ≤ 0 (a length-normalised loss divides by it). */
    public static final String BAD_TOKENS = "bad_tokens";
    /** A margin (TRL's margin column) that is null, NaN or infinite. */
    public static final String BAD_MARGIN = "bad_margin";

    /** A behaviour-policy probability that is null, NaN, ≤ 0 or > 1 (its importance weight would be undefined). */
    public static final String BAD_BEHAVIOR_PROB = "bad_behavior_prob";
    /** A target-policy probability that is null, NaN or outside [0, 1]. */
    public static final String BAD_TARGET_PROB = "bad_target_prob";
    /** A reward estimate q̂ (objective key q-hat) that is null, NaN or ±Inf on the logged row or another candidate of its set. */
    public static final String BAD_Q_HAT = "bad_q_hat";
    /**
     * A rule whose predicate evaluated to null for the row (neither pass nor fail): the row is rejected with this
     * code rather than dropped from both outputs (see {@link PreparedInput#accepted()}).
     */
    public static final String RULE_ERROR = "rule_error";

    public RowRule {
        requireNonNull(code, "code is null");
        requireNonNull(failsWhen, "failsWhen is null");
    }

    /** A rule whose predicate counts as failed where it evaluates to null. */
    public static RowRule of(String code, Column failsWhen) {
        return new RowRule(code, org.apache.spark.sql.functions.coalesce(failsWhen, org.apache.spark.sql.functions.lit(true)));
    }
}
