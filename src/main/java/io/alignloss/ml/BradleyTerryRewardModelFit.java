package io.alignloss.ml;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.RewardModel;
import org.apache.hadoop.conf.Configuration;
import io.alignloss.model.RewardScoring;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * A fitted linear Bradley-Terry reward model {@code r_φ(x, y) = φ·f(x, y)} as a Spark ML {@link Model}: on pair rows
 * (with {@code chosenCol} and {@code rejectedCol}) {@link #transform} adds {@code chosen_score} and
 * {@code rejected_score}, on response rows {@code score}; a row whose features cannot be computed (null text, an
 * embedding of another length or with NaN) gets null, as {@code alignloss score} gives. The scores are
 * {@link RewardScoring#score}, the columns evaluate and score compute.
 *
 * <p>Named {@code …Fit} because the issue gives the Estimator the name {@code BradleyTerryRewardModel}; Spark's own
 * {@code LogisticRegression}/{@code LogisticRegressionModel} pairing would make this {@code BradleyTerryRewardModelModel}.
 *
 * <p>{@link #write} saves the CLI's reward model folder ({@code model.json} and {@code weights.f64}, {@link RewardModel})
 * plus Spark ML's {@code metadata/} (class, uid and Params, which the CLI ignores), so {@code alignloss score}/{@code
 * evaluate} read a saved model, a {@code PipelineModel} holding it saves and loads, and {@link #load} reads a folder
 * {@code alignloss train} wrote (without {@code metadata/}: default column Params).
 */
public final class BradleyTerryRewardModelFit extends Model<BradleyTerryRewardModelFit> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** The folder of Spark ML's metadata (class, uid, Params) inside a saved model folder. */
    static final String METADATA = "metadata";

    private final String uid;
    private final RewardModel rewardModel;
    private final RewardColumns columns;

    public BradleyTerryRewardModelFit(String uid, RewardModel rewardModel) {
        this.uid = requireNonNull(uid, "uid is null");
        this.rewardModel = requireNonNull(rewardModel, "rewardModel is null");
        this.columns = new RewardColumns(this);
    }

    public BradleyTerryRewardModelFit(RewardModel rewardModel) {
        this(Identifiable.randomUID("btRewardModelFit"), rewardModel);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The fitted reward model: feature spec, weights φ̂ and the training metadata of model.json. */
    public RewardModel rewardModel() {
        return rewardModel;
    }

    /** φ̂ (a copy). */
    public double[] weights() {
        return rewardModel.weights().clone();
    }

    public Param<String> promptCol() {
        return columns.prompt;
    }

    public Param<String> chosenCol() {
        return columns.chosen;
    }

    public Param<String> rejectedCol() {
        return columns.rejected;
    }

    public Param<String> labelCol() {
        return columns.label;
    }

    public Param<String> weightCol() {
        return columns.weight;
    }

    public Param<String> idCol() {
        return columns.id;
    }

    public Param<String> chosenEmbeddingCol() {
        return columns.chosenEmbedding;
    }

    public Param<String> rejectedEmbeddingCol() {
        return columns.rejectedEmbedding;
    }

    public Param<String> featuresCol() {
        return columns.features;
    }

    public Param<String> responseCol() {
        return columns.response;
    }

    public Param<String> chosenScoreCol() {
        return columns.chosenScore;
    }

    public Param<String> rejectedScoreCol() {
        return columns.rejectedScore;
    }

    public Param<String> scoreCol() {
        return columns.score;
    }

    public BradleyTerryRewardModelFit setPromptCol(String value) {
        set(columns.prompt, value);
        return this;
    }

    public BradleyTerryRewardModelFit setChosenCol(String value) {
        set(columns.chosen, value);
        return this;
    }

    public BradleyTerryRewardModelFit setRejectedCol(String value) {
        set(columns.rejected, value);
        return this;
    }

    public BradleyTerryRewardModelFit setChosenEmbeddingCol(String value) {
        set(columns.chosenEmbedding, value);
        return this;
    }

    public BradleyTerryRewardModelFit setRejectedEmbeddingCol(String value) {
        set(columns.rejectedEmbedding, value);
        return this;
    }

    public BradleyTerryRewardModelFit setFeaturesCol(String value) {
        set(columns.features, value);
        return this;
    }

    public BradleyTerryRewardModelFit setResponseCol(String value) {
        set(columns.response, value);
        return this;
    }

    public BradleyTerryRewardModelFit setChosenScoreCol(String value) {
        set(columns.chosenScore, value);
        return this;
    }

    public BradleyTerryRewardModelFit setRejectedScoreCol(String value) {
        set(columns.rejectedScore, value);
        return this;
    }

    public BradleyTerryRewardModelFit setScoreCol(String value) {
        set(columns.score, value);
        return this;
    }

    /** Pair rows: {@code r(x, chosen)} and {@code r(x, rejected)} added; response rows: {@code r(x, response)}. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Dataset<Row> rows = dataset.toDF();
        if (isPairs(dataset.schema())) {
            return rows.withColumn(columns.get(columns.chosenScore), RewardScoring.score(rewardModel, col(columns.get(columns.chosenEmbedding)),
                            col(columns.get(columns.prompt)), col(columns.get(columns.chosen))))
                    .withColumn(columns.get(columns.rejectedScore), RewardScoring.score(rewardModel,
                            col(columns.get(columns.rejectedEmbedding)), col(columns.get(columns.prompt)), col(columns.get(columns.rejected))));
        }
        return rows.withColumn(columns.get(columns.score), RewardScoring.score(rewardModel, col(columns.get(columns.features)),
                col(columns.get(columns.prompt)), col(columns.get(columns.response))));
    }

    private boolean isPairs(StructType schema) {
        List<String> names = List.of(schema.fieldNames());
        return names.contains(columns.get(columns.chosen)) && names.contains(columns.get(columns.rejected));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        boolean embedding = rewardModel.features().type() == io.alignloss.config.FeatureType.EMBEDDING;
        List<String> names = List.of(schema.fieldNames());
        List<Param<String>> needed = isPairs(schema)
                ? embedding ? List.of(columns.chosenEmbedding, columns.rejectedEmbedding) : List.of(columns.prompt)
                : embedding ? List.of(columns.features) : List.of(columns.prompt, columns.response);
        for (Param<String> param : needed) {
            if (!names.contains(columns.get(param))) {
                throw new IllegalArgumentException(String.format("Cannot score with %s (%s features): column '%s' (%s) is missing; "
                        + "columns present: %s", uid, rewardModel.features().type().configName(), columns.get(param), param.name(),
                        String.join(", ", names)));
            }
        }
        StructType result = schema;
        List<Param<String>> outputs = isPairs(schema) ? List.of(columns.chosenScore, columns.rejectedScore) : List.of(columns.score);
        for (Param<String> output : outputs) {
            String name = columns.get(output);
            if (names.contains(name)) {
                StructType without = new StructType();
                for (var field : result.fields()) {
                    if (!field.name().equals(name)) {
                        without = without.add(field);
                    }
                }
                result = without;
            }
            result = result.add(name, DataTypes.DoubleType, true);
        }
        return result;
    }

    @Override
    public BradleyTerryRewardModelFit copy(ParamMap extra) {
        BradleyTerryRewardModelFit copied = new BradleyTerryRewardModelFit(uid, rewardModel);
        copyValues(copied, extra);
        return copied.setParent(parent());
    }

    /** Writes the CLI's reward model folder ({@link RewardModel#save}); {@code overwrite()} replaces an existing one. */
    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads a reward model folder written by {@link #write} or by {@code alignloss train} ({@code <out>/model}). */
    public static MLReader<BradleyTerryRewardModelFit> read() {
        return new Reader();
    }

    public static BradleyTerryRewardModelFit load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final BradleyTerryRewardModelFit model;

        Writer(BradleyTerryRewardModelFit model) {
            this.model = model;
        }

        // the CLI's folder first (it creates the folder), then Spark ML's metadata/ beside model.json and weights.f64
        @Override
        public void saveImpl(String path) {
            model.rewardModel.save(new Path(path), sparkSession().sparkContext().hadoopConfiguration());
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
        }
    }

    // metadata/ is absent from a folder alignloss train wrote: the model then has its default column Params
    private static final class Reader extends MLReader<BradleyTerryRewardModelFit> {
        @Override
        public BradleyTerryRewardModelFit load(String path) {
            Configuration hadoop = sparkSession().sparkContext().hadoopConfiguration();
            RewardModel rewardModel = RewardModel.load(path, hadoop);
            Path metadata = new Path(path, METADATA);
            try {
                if (!metadata.getFileSystem(hadoop).exists(metadata)) {
                    return new BradleyTerryRewardModelFit(rewardModel);
                }
            }
            catch (IOException e) {
                throw new AlignLossException(ErrorCode.CONFIG, String.format("Cannot read model %s: %s", path, e.getMessage()), e);
            }
            DefaultParamsReader.Metadata params = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    BradleyTerryRewardModelFit.class.getName());
            BradleyTerryRewardModelFit model = new BradleyTerryRewardModelFit(params.uid(), rewardModel);
            params.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
