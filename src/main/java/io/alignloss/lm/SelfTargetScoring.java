package io.alignloss.lm;

import io.alignloss.text.Tokens;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.udf;

/** The self-target of each row computed inside a query, as a struct; null when a context is null. */
public final class SelfTargetScoring {
    public static final StructType TYPE = new StructType()
            .add("target", DataTypes.StringType)
            .add("target_tokens", DataTypes.IntegerType)
            .add("target_token_ids", DataTypes.createArrayType(DataTypes.IntegerType, false))
            .add("modified_logprob", DataTypes.DoubleType)
            .add("context_logprob", DataTypes.DoubleType)
            .add("entropy", DataTypes.DoubleType)
            .add("candidates", DataTypes.IntegerType)
            .add("reference_logprob", DataTypes.DoubleType)
            .add("reference_tokens", DataTypes.IntegerType)
            .add("matches_reference", DataTypes.BooleanType);

    private SelfTargetScoring() {
    }

    public static Column targets(SparkSession spark, LanguageModel model, int maxTargetTokens, Column context, Column modified, Column z,
            Column candidates, Column reference) {
        Broadcast<LanguageModel> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        UDF5<String, String, String, scala.collection.Seq<String>, String, Row> score = (c, cPrime, conditioning, options, ref) -> {
            if (c == null || cPrime == null) {
                return null;
            }
            LanguageModel lm = shared.value();
            LanguageModel.Workspace work = lm.workspace();
            List<String> list = options == null ? null : scala.jdk.javaapi.CollectionConverters.asJava(options);
            SelfTargets.Target target = SelfTargets.target(lm, c, cPrime, conditioning, list, maxTargetTokens, work);
            double[] referenceScore = SelfTargets.reference(lm, cPrime, conditioning, ref, work);
            Integer[] ids = Arrays.stream(target.tokens()).boxed().toArray(Integer[]::new);
            return RowFactory.create(target.text(), target.tokens().length,
                    scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(ids)).toList(), target.modifiedLogProb(),
                    target.contextLogProb(), target.entropy(), target.candidates(),
                    referenceScore == null ? null : referenceScore[0], referenceScore == null ? null : (int) referenceScore[1],
                    ref == null ? null : Arrays.equals(Tokens.encode(ref), target.tokens()));
        };
        // non-deterministic only so that the optimiser never copies the call into each field reference
        UserDefinedFunction function = udf(score, TYPE).asNondeterministic();
        return function.apply(context, modified, z, candidates, reference);
    }
}
