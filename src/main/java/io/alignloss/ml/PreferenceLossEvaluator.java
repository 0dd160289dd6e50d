package io.alignloss.ml;

import io.alignloss.config.BradleyTerryOptions;
import io.alignloss.config.InputKind;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveType;
import io.alignloss.data.InputContract;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.stats.LossStats;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/**
 * The Bradley-Terry figures of {@code evaluate} as a Spark ML {@link Evaluator}, over rows with a chosen and a rejected
 * score (optional label, default 1, and weight, default 1): {@code loss = Σ w·ℓ(m, label) / Σ w} with
 * {@code ℓ = label·softplus(−m) + (1 − label)·softplus(m)}, {@code m = chosen_score − rejected_score} (smaller is
 * better), or {@code accuracy = Σ w·[m agrees with the label] / Σ w·[label ≠ ½]} (larger is better). Both come from
 * {@link BradleyTerryObjective}'s Columns through evaluate's aggregation ({@link EvaluatorScan}); an empty result is NaN.
 */
public final class PreferenceLossEvaluator extends Evaluator {
    private static final long serialVersionUID = 1L;
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";

    private final String uid;
    private final Param<String> metricName;
    private final Param<String> chosenScoreCol;
    private final Param<String> rejectedScoreCol;
    private final Param<String> labelCol;
    private final Param<String> weightCol;

    public PreferenceLossEvaluator() {
        this(Identifiable.randomUID("preferenceLossEval"));
    }

    public PreferenceLossEvaluator(String uid) {
        this.uid = uid;
        metricName = new Param<>(this, "metricName", "loss (Bradley-Terry loss, smaller is better) or accuracy (larger is better)",
                ParamValidators.inArray(new String[] {LOSS, ACCURACY}));
        chosenScoreCol = new Param<>(this, "chosenScoreCol", "r(x, chosen)");
        rejectedScoreCol = new Param<>(this, "rejectedScoreCol", "r(x, rejected)");
        labelCol = new Param<>(this, "labelCol", "probability that chosen is preferred (1 when the column is absent)");
        weightCol = new Param<>(this, "weightCol", "row weight (1 when the column is absent)");
        setDefault(metricName, LOSS);
        setDefault(chosenScoreCol, BradleyTerryObjective.CHOSEN_SCORE);
        setDefault(rejectedScoreCol, BradleyTerryObjective.REJECTED_SCORE);
        setDefault(labelCol, InputContract.LABEL);
        setDefault(weightCol, InputContract.WEIGHT);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> metricName() {
        return metricName;
    }

    public Param<String> chosenScoreCol() {
        return chosenScoreCol;
    }

    public Param<String> rejectedScoreCol() {
        return rejectedScoreCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public String getMetricName() {
        return getOrDefault(metricName);
    }

    public PreferenceLossEvaluator setMetricName(String value) {
        set(metricName, value);
        return this;
    }

    public PreferenceLossEvaluator setChosenScoreCol(String value) {
        set(chosenScoreCol, value);
        return this;
    }

    public PreferenceLossEvaluator setRejectedScoreCol(String value) {
        set(rejectedScoreCol, value);
        return this;
    }

    public PreferenceLossEvaluator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public PreferenceLossEvaluator setWeightCol(String value) {
        set(weightCol, value);
        return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        List<String> present = List.of(dataset.columns());
        List<Column> selected = new ArrayList<>();
        for (Param<String> required : List.of(chosenScoreCol, rejectedScoreCol)) {
            if (!present.contains(getOrDefault(required))) {
                throw new IllegalArgumentException(format("Cannot evaluate %s: column '%s' (%s) is missing; columns present: %s", uid,
                        getOrDefault(required), required.name(), String.join(", ", present)));
            }
        }
        selected.add(col(getOrDefault(chosenScoreCol)).cast("double").as(BradleyTerryObjective.CHOSEN_SCORE));
        selected.add(col(getOrDefault(rejectedScoreCol)).cast("double").as(BradleyTerryObjective.REJECTED_SCORE));
        if (present.contains(getOrDefault(labelCol))) {
            selected.add(col(getOrDefault(labelCol)).cast("double").as(InputContract.LABEL));
        }
        if (present.contains(getOrDefault(weightCol))) {
            selected.add(col(getOrDefault(weightCol)).cast("double").as(InputContract.WEIGHT));
        }
        BradleyTerryObjective objective = new BradleyTerryObjective(new ObjectiveConfig(LOSS, ObjectiveType.BRADLEY_TERRY, "evaluated",
                BradleyTerryOptions.defaults()));
        LossStats total = EvaluatorScan.total(dataset.select(selected.toArray(Column[]::new)), InputKind.PREFERENCE, objective);
        if (getMetricName().equals(ACCURACY)) {
            Object accuracy = objective.figures(total).get(ACCURACY);
            return accuracy == null ? Double.NaN : (Double) accuracy;
        }
        return total.loss().orElse(Double.NaN);
    }

    /** The loss is smaller-is-better, the accuracy larger-is-better. */
    @Override
    public boolean isLargerBetter() {
        return getMetricName().equals(ACCURACY);
    }

    @Override
    public PreferenceLossEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
