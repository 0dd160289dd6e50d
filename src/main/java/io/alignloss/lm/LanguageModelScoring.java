package io.alignloss.lm;

import io.alignloss.text.Tokens;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.udf;

/**
 * Token log-probabilities computed by a language model inside a query: a struct of {@code prompt_logprobs}
 * (|x| values, the first conditioned on the start of the sequence) and {@code response_logprobs} (|y| + 1
 * values, the last one END's), null when the prompt or response is null. The model is broadcast once.
 */
public final class LanguageModelScoring {
    public static final StructType TYPE = new StructType()
            .add("prompt_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, false))
            .add("response_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, false));

    private LanguageModelScoring() {
    }

    public static Column logprobs(SparkSession spark, LanguageModel model, Column prompt, Column response) {
        Broadcast<LanguageModel> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        UDF2<String, String, Row> score = (x, y) -> {
            if (x == null || y == null) {
                return null;
            }
            LanguageModel lm = shared.value();
            LanguageModel.Scored scored = lm.score(Tokens.encode(x), Tokens.encode(y), lm.workspace());
            return RowFactory.create(boxed(scored.prompt()), boxed(scored.response()));
        };
        // non-deterministic only so that the optimiser never copies the call into each field reference
        UserDefinedFunction function = udf(score, TYPE).asNondeterministic();
        return function.apply(prompt, response);
    }

    private static scala.collection.immutable.Seq<Double> boxed(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(boxed)).toList();
    }
}
