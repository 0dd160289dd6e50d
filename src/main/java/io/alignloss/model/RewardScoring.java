package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

/** The columns a reward model's features read, their row rules, and its scores as Spark columns. */
public final class RewardScoring {
    private RewardScoring() {
    }

    /** The input columns the features need beyond the preference contract. */
    public static List<ColumnSpec> columns(FeatureSpec spec, String who) {
        if (spec.type() == FeatureType.EMBEDDING) {
            return List.of(ColumnSpec.required(FeatureSpec.CHOSEN_EMBEDDING, ColumnType.DOUBLE_ARRAY, who),
                    ColumnSpec.required(FeatureSpec.REJECTED_EMBEDDING, ColumnType.DOUBLE_ARRAY, who));
        }
        return List.of(); // text features read prompt, chosen and rejected, which the contract checks
    }

    /** Rows whose features cannot be computed are rejects. */
    public static List<RowRule> rules(FeatureSpec spec, int dimension) {
        if (spec.type() == FeatureType.EMBEDDING) {
            return List.of(Rules.badEmbedding(FeatureSpec.CHOSEN_EMBEDDING, dimension),
                    Rules.badEmbedding(FeatureSpec.REJECTED_EMBEDDING, dimension));
        }
        return List.of();
    }

    /**
     * r_φ(x, y) for the response in {@code responseColumn} ({@code chosen}, {@code rejected} or
     * {@code response}); null where the features cannot be computed (the row rules reject those rows).
     */
    public static Column score(RewardModel model, String responseColumn) {
        String embedding = responseColumn.equals(InputContract.REJECTED) ? FeatureSpec.REJECTED_EMBEDDING : FeatureSpec.CHOSEN_EMBEDDING;
        return score(model, col(embedding), col(InputContract.PROMPT), col(responseColumn));
    }

    /**
     * w·f(x, y) of a linear model as a Spark column: the dot product with {@code embedding} for embedding features,
     * else with the features of the {@code prompt} and {@code response} texts; null where they cannot be computed.
     */
    public static Column score(RewardModel model, Column embedding, Column prompt, Column response) {
        double[] weights = model.weights();
        int dimension = model.dimension();
        if (model.features().type() == FeatureType.EMBEDDING) {
            UDF1<scala.collection.Seq<Object>, Double> dot = values -> {
                if (values == null || values.size() != dimension) {
                    return null;
                }
                double sum = 0;
                for (int i = 0; i < dimension; i++) {
                    Object value = values.apply(i);
                    if (value == null) {
                        return null;
                    }
                    sum += weights[i] * ((Number) value).doubleValue();
                }
                return Double.isFinite(sum) ? sum : null;
            };
            return udf(dot, DataTypes.DoubleType).apply(embedding);
        }
        Featurizer featurizer = model.featurizer();
        UDF2<String, String, Double> reward = (x, y) -> x == null || y == null ? null : featurizer.features(x, y, null).dot(weights);
        return udf(reward, DataTypes.DoubleType).apply(prompt, response);
    }
}
