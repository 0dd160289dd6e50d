package io.alignloss.ml;

import io.alignloss.config.FeatureSpec;
import io.alignloss.data.InputContract;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

import java.io.Serializable;
import java.util.Map;

/**
 * The column Params the reward-model Estimator and its fitted model share (the Estimator copies them to the model),
 * defaulting to the column names of the CLI's input contract and of {@code alignloss score}: pair rows
 * ({@code prompt}, {@code chosen}, {@code rejected}, optional {@code label}, {@code weight}, {@code id}, the
 * {@code chosen_embedding}/{@code rejected_embedding} arrays) get {@code chosen_score} and {@code rejected_score};
 * response rows ({@code prompt}, {@code response}, an {@code embedding} array) get {@code score}.
 */
final class RewardColumns implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The score column added to response rows, as {@code alignloss score} names it. */
    static final String SCORE = "score";
    /** The array column of a response's embedding in response rows, as {@code alignloss score} reads it. */
    static final String EMBEDDING = "embedding";

    private final Params parent;
    final Param<String> prompt;
    final Param<String> chosen;
    final Param<String> rejected;
    final Param<String> label;
    final Param<String> weight;
    final Param<String> id;
    final Param<String> chosenEmbedding;
    final Param<String> rejectedEmbedding;
    final Param<String> features;
    final Param<String> response;
    final Param<String> chosenScore;
    final Param<String> rejectedScore;
    final Param<String> score;

    RewardColumns(Params parent) {
        this.parent = parent;
        prompt = column("promptCol", "prompt text", InputContract.PROMPT);
        chosen = column("chosenCol", "chosen response text of pair rows", InputContract.CHOSEN);
        rejected = column("rejectedCol", "rejected response text of pair rows", InputContract.REJECTED);
        label = column("labelCol", "probability that chosen is preferred (1 when the column is absent)", InputContract.LABEL);
        weight = column("weightCol", "row weight (1 when the column is absent)", InputContract.WEIGHT);
        id = column("idCol", "row id the validation split hashes (derived from the texts when absent)", InputContract.ID);
        chosenEmbedding = column("chosenEmbeddingCol", "embedding of the chosen response (embedding features)",
                FeatureSpec.CHOSEN_EMBEDDING);
        rejectedEmbedding = column("rejectedEmbeddingCol", "embedding of the rejected response (embedding features)",
                FeatureSpec.REJECTED_EMBEDDING);
        features = column("featuresCol", "embedding of the response in response rows (embedding features)", EMBEDDING);
        response = column("responseCol", "response text of response rows", InputContract.RESPONSE);
        chosenScore = column("chosenScoreCol", "output: r(x, chosen) on pair rows", BradleyTerryObjective.CHOSEN_SCORE);
        rejectedScore = column("rejectedScoreCol", "output: r(x, rejected) on pair rows", BradleyTerryObjective.REJECTED_SCORE);
        score = column("scoreCol", "output: r(x, response) on response rows", SCORE);
    }

    private Param<String> column(String name, String doc, String defaultName) {
        Param<String> param = new Param<>(parent, name, doc + " (default " + defaultName + ")");
        parent.setDefault(param, defaultName);
        return param;
    }

    /** The column name a Param holds (set or default). */
    String get(Param<String> param) {
        return parent.getOrDefault(param);
    }

    /** The contract's name of an optional pair column Param ({@code label}, {@code weight}, {@code id}). */
    static String contractName(Param<String> param) {
        return Map.of("labelCol", InputContract.LABEL, "weightCol", InputContract.WEIGHT, "idCol", InputContract.ID).get(param.name());
    }
}
