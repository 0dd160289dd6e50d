package io.alignloss.objective;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.RowRule;
import io.alignloss.stats.LossStats;
import org.apache.spark.sql.Column;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One training objective, evaluated per example with Spark SQL expressions over an input's typed columns
 * ({@code weight}, {@code label} and {@code id} are always present there, defaulted when the input has
 * none) and summarised from additive {@link LossStats}. The objective's loss is the weighted ratio
 * {@code Σ w·y / Σ w·x} of its {@link #lossNumerator()} y and {@link #lossDenominator()} x (1 when empty).
 */
public interface Objective {
    ObjectiveConfig config();

    default String name() {
        return config().name();
    }

    /** Columns this objective reads beyond its input's contract. */
    List<ColumnSpec> columns();

    /** Row rules for those columns; a failing row is rejected for the whole input. */
    List<RowRule> rules();

    /** Per-example figures, name to expression over an accepted row, in output order. */
    Map<String, Column> perExample();

    /** The loss numerator y of one example. */
    Column lossNumerator();

    /**
     * The loss denominator x of one example, e.g. a token count for token-weighted means; empty when x = 1
     * (a mean over examples), which lets the aggregation skip sums it would otherwise compute.
     */
    Optional<Column> lossDenominator();

    /**
     * Per-example values whose plain sums over accepted rows the figures need, by name; an objective
     * multiplies by {@code col("weight")} itself where it wants a weighted sum.
     */
    Map<String, Column> sums();

    /** This objective's own figures for one set of examples (the whole input or a group). */
    Map<String, Object> figures(LossStats stats);

    /**
     * The figures among {@link #figures} that get a bootstrap interval, name to value, computed from the
     * statistics alone so that each replicate's reweighted statistics give that replicate's value; the
     * summary then shows each as {@code { value, ci }}. Empty by default.
     */
    default Map<String, Double> resampledFigures(LossStats stats) {
        return Map.of();
    }

    /**
     * This objective as it reads an input with the given columns (e.g. an expected-utility objective adds
     * its off-policy estimates when the input logs {@code behavior_prob}); this objective by default.
     */
    default Objective forInput(List<String> inputColumns) {
        return this;
    }

    /** Text for the log and the summary saying what the loss is. */
    String describe();
}
