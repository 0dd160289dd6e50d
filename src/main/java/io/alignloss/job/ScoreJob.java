package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.RewardModel;
import io.alignloss.model.RewardScoring;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/**
 * The {@code score} job: writes the input rows with a reward model's scores — {@code chosen_score} and
 * {@code rejected_score} for preference rows, {@code score} for sequence rows — to a Parquet dataset. A row
 * whose features cannot be computed (null text, an embedding of another length or with NaN) gets a null
 * score, and the count of those is logged.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    public static final String SCORE = "score";

    private ScoreJob() {
    }

    public static long run(SparkSession spark, String modelPath, String input, String out, Overwrite overwrite) {
        RewardModel model = RewardModel.load(modelPath, spark.sparkContext().hadoopConfiguration());
        RowsToAnnotate read = RowsToAnnotate.read(spark, input, "score");
        Dataset<Row> rows = read.rows();
        List<String> columns = read.columns();
        boolean preference = read.preference();
        List<String> needed = model.features().type() == FeatureType.EMBEDDING
                ? (preference ? List.of(FeatureSpec.CHOSEN_EMBEDDING, FeatureSpec.REJECTED_EMBEDDING) : List.of("embedding"))
                : List.of(InputContract.PROMPT);
        for (String column : needed) {
            if (!columns.contains(column)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot score %s with the model at %s: it needs column "
                        + "'%s' (%s features); columns present: %s", input, modelPath, column, model.features().type().configName(),
                        String.join(", ", columns)));
            }
        }
        Dataset<Row> scored;
        List<String> outputs;
        if (preference) {
            scored = rows.withColumn(BradleyTerryObjective.CHOSEN_SCORE, RewardScoring.score(model, InputContract.CHOSEN))
                    .withColumn(BradleyTerryObjective.REJECTED_SCORE, RewardScoring.score(model, InputContract.REJECTED));
            outputs = List.of(BradleyTerryObjective.CHOSEN_SCORE, BradleyTerryObjective.REJECTED_SCORE);
        }
        else {
            Dataset<Row> renamed = model.features().type() == FeatureType.EMBEDDING
                    ? rows.withColumn(FeatureSpec.CHOSEN_EMBEDDING, col("embedding")) : rows;
            scored = renamed.withColumn(SCORE, RewardScoring.score(model, model.features().type() == FeatureType.EMBEDDING
                    ? InputContract.CHOSEN : InputContract.RESPONSE));
            if (model.features().type() == FeatureType.EMBEDDING) {
                scored = scored.drop(FeatureSpec.CHOSEN_EMBEDDING);
            }
            outputs = List.of(SCORE);
        }
        OutputCommitter committer = OutputCommitter.begin(out, overwrite, "score", spark.sparkContext().hadoopConfiguration());
        try {
            scored.write().mode(SaveMode.Append).parquet(committer.staging().toString());
            committer.commit();
            Dataset<Row> written = spark.read().parquet(committer.target().toString());
            long count = written.count();
            for (String output : outputs) {
                long unscored = written.where(col(output).isNull()).count();
                if (unscored > 0) {
                    LOG.warn("{} of {} rows have a null {}: their features could not be computed (null text, or an embedding of "
                            + "another length or with NaN)", unscored, count, output);
                }
            }
            LOG.info("scored {} rows with the model at {} into {}", count, modelPath, committer.target());
            return count;
        }
        finally {
            committer.abort();
        }
    }
}
