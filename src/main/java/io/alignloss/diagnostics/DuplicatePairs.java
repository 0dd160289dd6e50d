package io.alignloss.diagnostics;

import io.alignloss.data.InputContract;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Exact counts of repeated preference pairs. A pair is the unordered (prompt, {first, second}), first = the lesser
 * of the two responses; its rows are one distinct ordered (prompt, chosen, rejected) per orientation present, and the
 * pair is contradictory when one of its rows prefers first and another prefers second:
 * <pre>
 *   distinct       = Σ over pairs of (1 + [both orientations present])
 *   contradictory  = #pairs with a row preferring first and a row preferring second
 * </pre>
 *
 * <p>Two phases, so that the shuffle over all rows carries an 8-byte key instead of the texts. Phase 1 counts rows
 * per 64-bit xxHash of (prompt, first, second) and keeps the keys held by more than one row: every repeated pair
 * is among them (its rows share a key), and a key held by one row is one distinct pair of one row, never
 * contradictory. Phase 2 reads the rows of those candidate keys only and groups them by the texts themselves, so a
 * hash collision (two pairs under one key, probability about n²/2⁶⁵ for n rows, below 10⁻⁶ for 5·10⁶) costs
 * phase 2 a few rows, never a wrong count. Without candidates (no repeats) phase 2 does not run.
 *
 * @param rows          rows counted
 * @param distinct      distinct ordered (prompt, chosen, rejected)
 * @param contradictory pairs preferred both ways
 */
record DuplicatePairs(long rows, long distinct, long contradictory) {
    /** Most candidate keys collected to the driver for a broadcast join in phase 2; beyond, phase 2 joins with the shuffled keys. */
    static final int MAX_COLLECTED_KEYS = 1 << 20;
    /** The phase-1 key's width: the whole xxHash. */
    static final int KEY_BITS = 64;

    private static final String KEY = "k";
    private static final String ROWS = "n";
    private static final String FIRST = "first";
    private static final String SECOND = "second";
    private static final String FORWARD = "forward";
    private static final String PREFERS_FIRST = "prefers_first";

    /**
     * @param rows  preference rows with {@code prompt}, {@code chosen}, {@code rejected} and {@code label}
     * @param total the number of {@code rows} (the caller's scan has counted them)
     */
    static DuplicatePairs of(Dataset<Row> rows, long total) {
        return of(rows, total, KEY_BITS, MAX_COLLECTED_KEYS);
    }

    /**
     * As {@link #of(Dataset, long)} with the phase-1 key cut to its low {@code keyBits} bits and at most
     * {@code maxCollectedKeys} candidates collected (tests force collisions and the shuffled join with few).
     */
    static DuplicatePairs of(Dataset<Row> rows, long total, int keyBits, int maxCollectedKeys) {
        Column chosen = col(InputContract.CHOSEN);
        Column rejected = col(InputContract.REJECTED);
        Column label = col(InputContract.LABEL);
        Column prompt = col(InputContract.PROMPT);
        Column first = least(chosen, rejected);
        Column second = greatest(chosen, rejected);
        Column hash = xxhash64(prompt, first, second);
        Column key = keyBits >= Long.SIZE ? hash : hash.bitwiseAND(lit((1L << keyBits) - 1));
        // which response of the pair is preferred: 1 = first, 0 = second, null = a tie (or two equal responses)
        Column prefersFirst = when(chosen.notEqual(rejected),
                when(label.gt(0.5), when(chosen.equalTo(first), 1).otherwise(0))
                        .when(label.lt(0.5), when(rejected.equalTo(first), 1).otherwise(0)));
        Dataset<Row> pairs = rows.select(key.as(KEY), prompt, first.as(FIRST), second.as(SECOND),
                when(chosen.leq(rejected), 1).otherwise(0).as(FORWARD), prefersFirst.as(PREFERS_FIRST));

        // phase 1: the keys held by more than one row
        Dataset<Row> candidates = pairs.groupBy(col(KEY)).agg(count(lit(1)).as(ROWS)).where(col(ROWS).gt(1)).select(col(KEY));
        List<Long> collected = candidates.limit(maxCollectedKeys + 1).as(Encoders.LONG()).collectAsList();
        if (collected.isEmpty()) {
            return new DuplicatePairs(total, total, 0);
        }
        Dataset<Row> keys = collected.size() <= maxCollectedKeys
                ? broadcast(rows.sparkSession().createDataset(collected, Encoders.LONG()).toDF(KEY))
                : candidates;

        // phase 2: the candidates' rows grouped by their texts
        Dataset<Row> perPair = pairs.join(keys, pairs.col(KEY).equalTo(keys.col(KEY)), "left_semi")
                .groupBy(col(InputContract.PROMPT), col(FIRST), col(SECOND)).agg(
                        count(lit(1)).as(ROWS),
                        // distinct ordered triples of the pair: one per orientation present
                        max(col(FORWARD)).minus(min(col(FORWARD))).plus(1).as("distinct"),
                        max(col(PREFERS_FIRST)).equalTo(1).and(min(col(PREFERS_FIRST)).equalTo(0)).as("contradictory"));
        Row row = perPair.agg(sum(col(ROWS)), sum(col("distinct")), count(when(col("contradictory"), 1))).collectAsList().get(0);
        long candidateRows = row.isNullAt(0) ? 0 : row.getLong(0);
        long candidateDistinct = row.isNullAt(1) ? 0 : row.getLong(1);
        // every row outside the candidates is a distinct pair of its own
        return new DuplicatePairs(total, total - candidateRows + candidateDistinct, row.getLong(2));
    }
}
