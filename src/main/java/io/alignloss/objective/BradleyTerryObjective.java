package io.alignloss.objective;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import org.apache.spark.sql.Column;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

/**
 * Reward-model Bradley-Terry loss from logged rewards, with soft labels:
 * {@code ℓ = −(label·log σ(m) + (1 − label)·log σ(−m))}, {@code m = r(x, y_chosen) − r(x, y_rejected)}
 * (Bradley and Terry 1952; Ouyang et al. 2022, eq. 1). {@code label} is the probability that
 * {@code chosen} is preferred (1 when absent, 0.5 a tie).
 */
public final class BradleyTerryObjective implements Objective {
    public static final String CHOSEN_SCORE = "chosen_score";
    public static final String REJECTED_SCORE = "rejected_score";

    private final ObjectiveConfig config;

    public BradleyTerryObjective(ObjectiveConfig config) {
        this.config = config;
    }

    @Override
    public ObjectiveConfig config() {
        return config;
    }

    @Override
    public List<ColumnSpec> columns() {
        String who = "objective " + name();
        return List.of(ColumnSpec.required(CHOSEN_SCORE, ColumnType.DOUBLE, who),
                ColumnSpec.required(REJECTED_SCORE, ColumnType.DOUBLE, who));
    }

    @Override
    public List<RowRule> rules() {
        return List.of(Rules.badScore(CHOSEN_SCORE), Rules.badScore(REJECTED_SCORE));
    }

    // m = r(x, y_chosen) − r(x, y_rejected)
    static Column margin() {
        return col(CHOSEN_SCORE).minus(col(REJECTED_SCORE));
    }

    // ℓ = label·softplus(−m) + (1 − label)·softplus(m)  =  −(label·log σ(m) + (1 − label)·log σ(−m)),
    // evaluated with one softplus via softplus(m) = softplus(−m) + m:
    //   label ≥ ½: ℓ = softplus(−m) + (1 − label)·m      label < ½: ℓ = softplus(m) − label·m
    // (exact for hard labels 0 and 1, no cancellation for the others)
    static Column loss() {
        Column label = col(InputContract.LABEL);
        Column m = margin();
        return when(label.geq(0.5), Expressions.softplus(negate(m)).plus(lit(1.0).minus(label).multiply(m)))
                .otherwise(Expressions.softplus(m).minus(label.multiply(m)));
    }

    // correct: m > 0 when label > 0.5, m < 0 when label < 0.5; null for ties
    static Column correct() {
        Column label = col(InputContract.LABEL);
        return when(label.gt(0.5), margin().gt(0)).when(label.lt(0.5), margin().lt(0));
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("margin", margin());
        figures.put("label", col(InputContract.LABEL));
        figures.put("weight", col(InputContract.WEIGHT));
        figures.put("loss", loss());
        figures.put("correct", correct());
        return figures;
    }

    @Override
    public Column lossNumerator() {
        return loss();
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.empty();
    }

    @Override
    public Map<String, Column> sums() {
        Column weight = col(InputContract.WEIGHT);
        Map<String, Column> sums = new LinkedHashMap<>();
        sums.put("w_margin", weight.multiply(margin()));
        sums.put("w_decided", when(col(InputContract.LABEL).notEqual(0.5), weight).otherwise(0.0));
        sums.put("w_correct", when(correct(), weight).otherwise(0.0));
        return sums;
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        // accuracy = Σ w·[correct] / Σ w·[not a tie]
        figures.put("accuracy", Json.number(stats.ratio("w_correct", "w_decided")));
        // mean_margin = Σ w·m / Σ w
        figures.put("mean_margin", Json.number(stats.weightedMean("w_margin")));
        return figures;
    }

    @Override
    public String describe() {
        return "Bradley-Terry loss -log sigmoid(chosen_score - rejected_score), soft labels, weighted mean over pairs";
    }
}
