package io.alignloss.objective.bradleyterry;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveOptions;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.model.RewardModel;
import io.alignloss.model.RewardScoring;
import io.alignloss.output.PerExampleColumns;
import io.alignloss.summary.Json;
import io.alignloss.stats.LossStats;
import io.alignloss.objective.Objective;
import io.alignloss.config.JobConfig;
import io.alignloss.objective.ModelBoundObjective;
import io.alignloss.objective.ModelSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

/**
 * Reward-model Bradley-Terry loss from logged rewards, with soft labels:
 * {@code ℓ = −(label·log σ(m) + (1 − label)·log σ(−m))}, {@code m = r(x, y_chosen) − r(x, y_rejected)}
 * (Bradley and Terry 1952; Ouyang et al. 2022, eq. 1), as {@link BradleyTerryColumns} writes {@link BradleyTerry}'s
 * formula. {@code label} is the probability that {@code chosen} is preferred (1 when absent, 0.5 a tie).
 *
 * <p>The rewards are the logged {@code chosen_score}/{@code rejected_score}, or, with {@code model =
 * "<path>"} (or a model just trained), computed by a linear reward model from its features.
 */
public final class BradleyTerryObjective extends ModelBoundObjective<RewardModel> {
    public static final String CHOSEN_SCORE = "chosen_score";
    public static final String REJECTED_SCORE = "rejected_score";

    /** The objective option naming a reward model folder that computes the scores. */
    public static final String MODEL = ObjectiveOptions.MODEL;

    private final String chosenScore;
    private final String rejectedScore;

    public BradleyTerryObjective(ObjectiveConfig config) {
        this(config, Optional.empty());
    }

    private BradleyTerryObjective(ObjectiveConfig config, Optional<RewardModel> model) {
        super(config, model);
        this.chosenScore = model.isPresent() ? "_" + CHOSEN_SCORE + "_" + config.name() : CHOSEN_SCORE;
        this.rejectedScore = model.isPresent() ? "_" + REJECTED_SCORE + "_" + config.name() : REJECTED_SCORE;
    }

    /** The same objective with rewards computed by {@code model}. */
    public BradleyTerryObjective withModel(RewardModel model) {
        return new BradleyTerryObjective(config(), Optional.of(model));
    }

    /** The rows with this objective's model scores added (unchanged when the scores are logged). */
    public Dataset<Row> withScores(Dataset<Row> rows) {
        if (model().isEmpty()) {
            return rows;
        }
        return rows.withColumn(chosenScore, RewardScoring.score(model().get(), InputContract.CHOSEN))
                .withColumn(rejectedScore, RewardScoring.score(model().get(), InputContract.REJECTED));
    }

    /** Scores from the reward model a train run has just fitted for it, else from its {@code model} folder's; logged scores without either. */
    @Override
    public Objective withModels(ModelSource models, JobConfig job) {
        Optional<RewardModel> trained = models.trainedRewardModel(name());
        if (trained.isPresent()) {
            return withModel(trained.get());
        }
        return modelPath().map(path -> (Objective) withModel(models.loadRewardModel(path))).orElse(this);
    }

    /** {@link #withScores}. */
    @Override
    public Dataset<Row> prepare(Dataset<Row> rows) {
        return withScores(rows);
    }

    @Override
    public List<ColumnSpec> columns() {
        String who = "objective " + name();
        if (model().isPresent()) {
            return RewardScoring.columns(model().get().features(), who);
        }
        return List.of(ColumnSpec.required(CHOSEN_SCORE, ColumnType.DOUBLE, who),
                ColumnSpec.required(REJECTED_SCORE, ColumnType.DOUBLE, who));
    }

    @Override
    public List<RowRule> rules() {
        if (model().isPresent()) {
            return RewardScoring.rules(model().get().features(), model().get().dimension());
        }
        return List.of(Rules.badScore(CHOSEN_SCORE), Rules.badScore(REJECTED_SCORE));
    }

    // m = r(x, y_chosen) − r(x, y_rejected)
    Column margin() {
        return BradleyTerryColumns.margin(col(chosenScore), col(rejectedScore));
    }

    // ℓ = label·softplus(−m) + (1 − label)·softplus(m), see BradleyTerry#loss
    Column loss() {
        return BradleyTerryColumns.loss(margin(), col(InputContract.LABEL));
    }

    // correct: m > 0 when label > 0.5, m < 0 when label < 0.5; null for ties
    Column correct() {
        return BradleyTerryColumns.correct(margin(), col(InputContract.LABEL));
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        if (model().isPresent()) {
            figures.put(CHOSEN_SCORE, col(chosenScore));
            figures.put(REJECTED_SCORE, col(rejectedScore));
        }
        figures.put("margin", margin());
        figures.put("label", col(InputContract.LABEL));
        figures.put(PerExampleColumns.WEIGHT, col(InputContract.WEIGHT));
        figures.put(PerExampleColumns.LOSS, loss());
        figures.put(PerExampleColumns.CORRECT, correct());
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
        sums.put("w_decided", when(BradleyTerryColumns.decided(col(InputContract.LABEL)), weight).otherwise(0.0));
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
        return "Bradley-Terry loss -log sigmoid(chosen_score - rejected_score), soft labels, weighted mean over pairs"
                + model().map(m -> ", scores from a linear reward model on " + m.features().type().configName() + " features").orElse("");
    }
}
