package io.alignloss.diagnostics;

import io.alignloss.data.InputContract;
import io.alignloss.objective.bradleyterry.BradleyTerryColumns;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.text.Tokens;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The length-confound baseline of preference data: how often "the longer response wins" picks the preferred
 * response, in characters (Unicode code points) and in cl100k tokens ({@link Tokens}), and how much a reward model's
 * accuracy exceeds it. For a unit u, {@code d_u = |chosen|_u − |rejected|_u}; over the <em>decided</em> rows
 * (label ≠ ½), rows of equal length ({@code d_u = 0}) excluded:
 * <pre>
 *   longer_wins_accuracy    = Σ w·[longer preferred] / Σ w,   longer preferred = d_u &gt; 0 ∧ label &gt; ½  or  d_u &lt; 0 ∧ label &lt; ½
 *   chosen_longer_share     = Σ w·[d_u &gt; 0] / Σ w
 *   reward_model_accuracy   = Σ w·[correct] / Σ w               (rows with a finite margin m; correct as the Bradley-Terry accuracy)
 *   accuracy_minus_baseline = D = Σ w·δ / Σ w,  δ = [correct] − [longer preferred]   (the same rows, paired)
 *   its interval              D ± z·se,  se = sqrt(Σ w²(δ − D)²) / Σ w   (rows independent: {@link LossStats#stderr} with x = 1)
 * </pre>
 * A unit's baseline is flagged when {@code longer_wins_accuracy > }{@link #FLAG_ABOVE}: a reward model could then
 * reach that accuracy by counting. The sums are aggregate {@code Column}s, so they ride along in the bias scan's
 * existing {@code groupBy}; the arrays of sums add up across its cells.
 */
final class LengthBaseline {
    /** The baseline accuracy above which the report flags a unit (RewardBench found subsets where it is 1). */
    static final double FLAG_ABOVE = 0.7;
    /** The units, in output order. */
    static final List<String> UNITS = List.of("characters", "tokens");

    // the sums of one unit, in the order of aggregates(): counts, then weighted sums
    private static final int PAIRS = 0;
    private static final int EQUAL = 1;
    private static final int W = 2;
    private static final int W_LONGER = 3;
    private static final int W_CHOSEN_LONGER = 4;
    private static final int SCORED = 5;
    private static final int W_SCORED = 6;
    private static final int W_CORRECT = 7;
    private static final int W_DELTA = 8;
    private static final int W2 = 9;
    private static final int W2_DELTA = 10;
    private static final int W2_DELTA2 = 11;
    /** Sums per unit. */
    static final int SIZE = 12;

    private LengthBaseline() {
    }

    /** {@code |chosen| − |rejected|} in cl100k tokens (ordinary tokens, as {@link Tokens#count}). */
    static final class TokenLengthDifference implements UDF2<String, String, Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call(String chosen, String rejected) {
            return Tokens.count(chosen) - Tokens.count(rejected);
        }
    }

    /**
     * The {@link #SIZE} aggregates of one unit, over projected rows with the unit's length difference {@code d}, the
     * label, the weight and the margin {@code m} (null when absent or not finite).
     */
    static List<Column> aggregates(Column d, Column m) {
        Column w = col(InputContract.WEIGHT);
        Column label = col(InputContract.LABEL);
        Column decided = BradleyTerryColumns.decided(label);
        Column pairs = decided.and(d.notEqual(0));
        Column longer = when(d.gt(0).and(label.gt(0.5)).or(d.lt(0).and(label.lt(0.5))), 1.0).otherwise(0.0);
        Column scored = pairs.and(m.isNotNull());
        Column correct = when(BradleyTerryColumns.correct(m, label), 1.0).otherwise(0.0);
        Column delta = correct.minus(longer);
        Column w2 = w.multiply(w);
        List<Column> sums = new ArrayList<>(List.of(
                count(when(pairs, 1)),
                count(when(decided.and(d.equalTo(0)), 1)),
                sum(when(pairs, w)),
                sum(when(pairs, w.multiply(longer))),
                sum(when(pairs.and(d.gt(0)), w)),
                count(when(scored, 1)),
                sum(when(scored, w)),
                sum(when(scored, w.multiply(correct))),
                sum(when(scored, w.multiply(delta))),
                sum(when(scored, w2)),
                sum(when(scored, w2.multiply(delta))),
                sum(when(scored, w2.multiply(delta).multiply(delta)))));
        return sums;
    }

    /** A unit's figures from its {@link #SIZE} sums starting at {@code offset}. */
    static Map<String, Object> figures(double[] sums, int offset, boolean scored, double confidence) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pairs", (long) sums[offset + PAIRS]);
        figures.put("equal_length_pairs", (long) sums[offset + EQUAL]);
        Double baseline = ratio(sums[offset + W_LONGER], sums[offset + W]);
        figures.put("longer_wins_accuracy", baseline);
        figures.put("chosen_longer_share", ratio(sums[offset + W_CHOSEN_LONGER], sums[offset + W]));
        figures.put("flagged", baseline != null && baseline > FLAG_ABOVE);
        if (scored) {
            figures.put("scored_pairs", (long) sums[offset + SCORED]);
            figures.put("reward_model_accuracy", ratio(sums[offset + W_CORRECT], sums[offset + W_SCORED]));
            figures.put("accuracy_minus_baseline", difference(sums, offset, confidence));
        }
        return figures;
    }

    // { value, stderr, ci }: D = Σwδ / Σw with its linearised standard error and normal interval
    private static Map<String, Object> difference(double[] sums, int offset, double confidence) {
        LossStats stats = LossStats.empty().addSums((long) sums[offset + SCORED], sums[offset + W_SCORED], sums[offset + W_SCORED],
                sums[offset + W_DELTA], sums[offset + W2], sums[offset + W2_DELTA], sums[offset + W2_DELTA2]);
        OptionalDouble value = stats.loss();
        OptionalDouble stderr = stats.stderr();
        Map<String, Object> difference = new LinkedHashMap<>();
        difference.put("value", Json.number(value));
        difference.put("stderr", Json.number(stderr));
        if (value.isPresent() && stderr.isPresent()) {
            double halfWidth = new NormalDistribution().inverseCumulativeProbability((1 + confidence) / 2) * stderr.getAsDouble();
            difference.put("ci", List.of(value.getAsDouble() - halfWidth, value.getAsDouble() + halfWidth));
        }
        else {
            difference.put("ci", null);
        }
        return difference;
    }

    private static Double ratio(double numerator, double denominator) {
        return denominator > 0 ? Json.number(numerator / denominator) : null;
    }

    /** The unit figures of both units from the {@code SIZE × UNITS} sums of a set of rows. */
    static Map<String, Object> byUnit(double[] sums, boolean scored, double confidence) {
        Map<String, Object> units = new LinkedHashMap<>();
        for (int u = 0; u < UNITS.size(); u++) {
            units.put(UNITS.get(u), figures(sums, u * SIZE, scored, confidence));
        }
        return units;
    }
}
