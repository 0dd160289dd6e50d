package io.alignloss.objective;

import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.RowRule;
import io.alignloss.stats.LossStats;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;

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
     * summary then shows each as {@code { value, ci }}; a name {@code block.figure} puts it inside the figure block
     * {@code block} of {@link #figures}. Empty by default.
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

    /**
     * This objective with the model it evaluates with: the one a train run has just fitted for it, else the folder
     * its {@code model} option names (a reward model scoring pairs, a language model scoring sequences, a policy);
     * this objective by default, and when it has neither (its figures then come from logged columns).
     *
     * @param job the run's configuration, for the checks and messages that involve the objective's input
     */
    default Objective withModels(ModelSource models, JobConfig job) {
        return this;
    }

    /** The model folder its {@code model} option names, if any. */
    default Optional<String> modelPath() {
        return config().options().model();
    }

    /**
     * The input's checked rows with the columns this objective computes before the scan (model scores,
     * log-probabilities, targets) or, for a policy as off-policy target, only the rows the scan reads; the rows
     * unchanged by default.
     */
    default Dataset<Row> prepare(Dataset<Row> rows) {
        return rows;
    }

    /**
     * Whether the off-policy target is a trained policy: {@link #prepare} then keeps only the logged rows of its
     * input, for every objective on it. False by default.
     */
    default boolean policyTarget() {
        return false;
    }

    /** Whether it evaluates a trained policy on its input's candidate sets ({@link #evaluatePolicy}); false by default. */
    default boolean evaluatesPolicy() {
        return false;
    }

    /**
     * The trained policy's figures on the accepted rows' candidate sets (E_x E_π[U], the uniform policy's, their
     * paired gain with a bootstrap interval), when {@link #evaluatesPolicy}.
     *
     * @param cluster the input's cluster column the bootstrap resamples, if any
     */
    default Map<String, Object> evaluatePolicy(Dataset<Row> accepted, Optional<String> cluster, long seed, int bootstrap,
            double confidence) {
        throw new UnsupportedOperationException(format("objective '%s' evaluates no policy", name()));
    }

    /** Text for the log and the summary saying what the loss is. */
    String describe();
}
