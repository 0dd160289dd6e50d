package io.alignloss.ml;

import com.typesafe.config.ConfigValueFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.config.JobConfig;
import io.alignloss.config.OptimizerType;
import io.alignloss.data.InputContract;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.job.TrainJob;
import io.alignloss.model.RewardModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/**
 * The Spark ML {@link Estimator} of a linear Bradley-Terry reward model {@code r_φ(x, y) = φ·f(x, y)}, fitted by
 * {@code φ̂ = argmin_φ Σ w·ℓ(m, label) / Σ w + (regParam/2)·||φ||²} with {@code m = r_φ(x, y_chosen) − r_φ(x, y_rejected)}
 * and {@code ℓ = label·softplus(−m) + (1 − label)·softplus(m)}: the objective of {@code alignloss train}
 * (docs/spark-ml.md has the Params ↔ CLI table).
 *
 * <p>{@link #fit} runs the CLI's trainer itself ({@code TrainJob} → {@code RewardModelTrainer}: the same row rules and
 * reject limit, the same seeded validation split, the same optimiser and stopping rules): it writes the pair rows, under
 * the contract's column names, once to a staging Parquet folder under {@link #stagingDir()}, trains from it with a
 * config built from these Params (only the Params that are set are written; the others take the config's defaults,
 * which are the Params' defaults), keeps the fitted weights and deletes the staging folder. The fitted model is a
 * {@link BradleyTerryRewardModelFit}; {@link #load} reads one saved by {@code save} or by {@code alignloss train}.
 */
public final class BradleyTerryRewardModel extends Estimator<BradleyTerryRewardModelFit> {
    private static final long serialVersionUID = 1L;
    /** The objective and input names of the config a fit builds (they appear in the model's metadata). */
    static final String OBJECTIVE = "reward-model";
    static final String INPUT = "pairs";

    private final String uid;

    private final DoubleParam regParam;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final Param<String> optimizer;
    private final DoubleParam stepSize;
    private final DoubleParam batchFraction;
    private final DoubleParam validationFraction;
    private final LongParam seed;
    private final DoubleParam maxRejectFraction;
    private final Param<String> featureType;
    private final IntParam hashBits;
    private final IntParam ngrams;
    private final IntParam crossTokens;
    private final Param<String> encoderInput;
    private final Param<String> stagingDir;
    private final RewardColumns columns;

    public BradleyTerryRewardModel() {
        this(Identifiable.randomUID("btRewardModel"));
    }

    public BradleyTerryRewardModel(String uid) {
        this.uid = uid;
        regParam = new DoubleParam(this, "regParam", "L2 strength λ in mean loss + (λ/2)·||φ||² (CLI train.l2)", ParamValidators.gtEq(0));
        maxIter = new IntParam(this, "maxIter", "maximum optimiser iterations (CLI train.max-iter)", ParamValidators.gtEq(0));
        tol = new DoubleParam(this, "tol", "L-BFGS convergence tolerance (CLI train.tol)", ParamValidators.inRange(0, 1));
        optimizer = new Param<>(this, "optimizer", "lbfgs or adam (CLI train.optimizer)",
                ParamValidators.inArray(new String[] {OptimizerType.LBFGS.configName(), OptimizerType.ADAM.configName()}));
        stepSize = new DoubleParam(this, "stepSize", "Adam's learning rate (CLI train.lr)", ParamValidators.gt(0));
        batchFraction = new DoubleParam(this, "batchFraction", "Adam's mini-batch fraction (CLI train.batch-fraction)",
                ParamValidators.inRange(0, 1, false, true));
        validationFraction = new DoubleParam(this, "validationFraction", "fraction of pairs held out by a seeded hash of id "
                + "(CLI train.validation-fraction)", ParamValidators.inRange(0, 0.9));
        seed = new LongParam(this, "seed", "seed of the validation split and mini-batches (CLI --seed)");
        maxRejectFraction = new DoubleParam(this, "maxRejectFraction", "fail when more than this fraction of the pairs is rejected "
                + "(CLI --max-reject-fraction)", ParamValidators.inRange(0, 1));
        featureType = new Param<>(this, "featureType", "embedding, text-hash or encoder (CLI features.type)",
                ParamValidators.inArray(new String[] {FeatureType.EMBEDDING.configName(), FeatureType.TEXT_HASH.configName(),
                        FeatureType.ENCODER.configName()}));
        hashBits = new IntParam(this, "hashBits", "text-hash: 2^hashBits buckets (CLI features.bits)", ParamValidators.inRange(1, 30));
        ngrams = new IntParam(this, "ngrams", "text-hash: response n-grams up to n (CLI features.ngrams)", ParamValidators.inRange(1, 5));
        crossTokens = new IntParam(this, "crossTokens", "text-hash: prompt×response token pairs (CLI features.cross-tokens)",
                ParamValidators.inRange(0, 256));
        encoderInput = new Param<>(this, "encoderInput", "encoder: prompt-response or response (CLI features.input)",
                ParamValidators.inArray(new String[] {FeatureSpec.PROMPT_RESPONSE, FeatureSpec.RESPONSE}));
        stagingDir = new Param<>(this, "stagingDir", "folder (any Hadoop URI the executors can read) under which fit stages the pairs "
                + "as Parquet; empty: java.io.tmpdir on a local file system, else .alignloss-staging in the user's home directory");
        columns = new RewardColumns(this);

        setDefault(regParam, CliDefaults.TRAIN.regularization().l2());
        setDefault(maxIter, (int) CliDefaults.optimization().maxIter());
        setDefault(tol, CliDefaults.optimization().tol());
        setDefault(optimizer, CliDefaults.optimization().optimizer().configName());
        setDefault(stepSize, CliDefaults.optimization().learningRate());
        setDefault(batchFraction, CliDefaults.optimization().batchFraction());
        setDefault(validationFraction, CliDefaults.TRAIN.validation().fraction());
        setDefault(seed, CliDefaults.SEED);
        setDefault(maxRejectFraction, CliDefaults.MAX_REJECT_FRACTION);
        setDefault(featureType, FeatureType.EMBEDDING.configName());
        setDefault(hashBits, FeatureSpec.DEFAULT_BITS);
        setDefault(ngrams, FeatureSpec.DEFAULT_NGRAMS);
        setDefault(crossTokens, FeatureSpec.DEFAULT_CROSS_TOKENS);
        setDefault(encoderInput, FeatureSpec.PROMPT_RESPONSE);
        setDefault(stagingDir, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- Params (public no-argument accessors: Spark ML finds Params by them)

    public DoubleParam regParam() {
        return regParam;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam tol() {
        return tol;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public DoubleParam batchFraction() {
        return batchFraction;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public LongParam seed() {
        return seed;
    }

    public DoubleParam maxRejectFraction() {
        return maxRejectFraction;
    }

    public Param<String> featureType() {
        return featureType;
    }

    public IntParam hashBits() {
        return hashBits;
    }

    public IntParam ngrams() {
        return ngrams;
    }

    public IntParam crossTokens() {
        return crossTokens;
    }

    public Param<String> encoderInput() {
        return encoderInput;
    }

    public Param<String> stagingDir() {
        return stagingDir;
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

    // ---- getters and setters

    public double getRegParam() {
        return (Double) getOrDefault(regParam);
    }

    public BradleyTerryRewardModel setRegParam(double value) {
        set(regParam, value);
        return this;
    }

    public int getMaxIter() {
        return (Integer) getOrDefault(maxIter);
    }

    public BradleyTerryRewardModel setMaxIter(int value) {
        set(maxIter, value);
        return this;
    }

    public double getTol() {
        return (Double) getOrDefault(tol);
    }

    public BradleyTerryRewardModel setTol(double value) {
        set(tol, value);
        return this;
    }

    public String getOptimizer() {
        return getOrDefault(optimizer);
    }

    public BradleyTerryRewardModel setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    public double getStepSize() {
        return (Double) getOrDefault(stepSize);
    }

    public BradleyTerryRewardModel setStepSize(double value) {
        set(stepSize, value);
        return this;
    }

    public double getBatchFraction() {
        return (Double) getOrDefault(batchFraction);
    }

    public BradleyTerryRewardModel setBatchFraction(double value) {
        set(batchFraction, value);
        return this;
    }

    public double getValidationFraction() {
        return (Double) getOrDefault(validationFraction);
    }

    public BradleyTerryRewardModel setValidationFraction(double value) {
        set(validationFraction, value);
        return this;
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public BradleyTerryRewardModel setSeed(long value) {
        set(seed, value);
        return this;
    }

    public double getMaxRejectFraction() {
        return (Double) getOrDefault(maxRejectFraction);
    }

    public BradleyTerryRewardModel setMaxRejectFraction(double value) {
        set(maxRejectFraction, value);
        return this;
    }

    public String getFeatureType() {
        return getOrDefault(featureType);
    }

    public BradleyTerryRewardModel setFeatureType(String value) {
        set(featureType, value);
        return this;
    }

    public int getHashBits() {
        return (Integer) getOrDefault(hashBits);
    }

    public BradleyTerryRewardModel setHashBits(int value) {
        set(hashBits, value);
        return this;
    }

    public int getNgrams() {
        return (Integer) getOrDefault(ngrams);
    }

    public BradleyTerryRewardModel setNgrams(int value) {
        set(ngrams, value);
        return this;
    }

    public int getCrossTokens() {
        return (Integer) getOrDefault(crossTokens);
    }

    public BradleyTerryRewardModel setCrossTokens(int value) {
        set(crossTokens, value);
        return this;
    }

    public String getEncoderInput() {
        return getOrDefault(encoderInput);
    }

    public BradleyTerryRewardModel setEncoderInput(String value) {
        set(encoderInput, value);
        return this;
    }

    public String getStagingDir() {
        return getOrDefault(stagingDir);
    }

    public BradleyTerryRewardModel setStagingDir(String value) {
        set(stagingDir, value);
        return this;
    }

    public BradleyTerryRewardModel setPromptCol(String value) {
        set(columns.prompt, value);
        return this;
    }

    public BradleyTerryRewardModel setChosenCol(String value) {
        set(columns.chosen, value);
        return this;
    }

    public BradleyTerryRewardModel setRejectedCol(String value) {
        set(columns.rejected, value);
        return this;
    }

    public BradleyTerryRewardModel setLabelCol(String value) {
        set(columns.label, value);
        return this;
    }

    public BradleyTerryRewardModel setWeightCol(String value) {
        set(columns.weight, value);
        return this;
    }

    public BradleyTerryRewardModel setIdCol(String value) {
        set(columns.id, value);
        return this;
    }

    public BradleyTerryRewardModel setChosenEmbeddingCol(String value) {
        set(columns.chosenEmbedding, value);
        return this;
    }

    public BradleyTerryRewardModel setRejectedEmbeddingCol(String value) {
        set(columns.rejectedEmbedding, value);
        return this;
    }

    /** The embedding column of response rows the fitted model scores (embedding features); {@code embedding} by default. */
    public BradleyTerryRewardModel setFeaturesCol(String value) {
        set(columns.features, value);
        return this;
    }

    public BradleyTerryRewardModel setResponseCol(String value) {
        set(columns.response, value);
        return this;
    }

    public BradleyTerryRewardModel setChosenScoreCol(String value) {
        set(columns.chosenScore, value);
        return this;
    }

    public BradleyTerryRewardModel setRejectedScoreCol(String value) {
        set(columns.rejectedScore, value);
        return this;
    }

    public BradleyTerryRewardModel setScoreCol(String value) {
        set(columns.score, value);
        return this;
    }

    // ---- fit

    /**
     * Fits on pair rows (prompt, chosen, rejected; optional label, weight and id; the chosen and rejected embeddings for
     * embedding features) with the CLI's trainer; a config or data error is an {@link AlignLossException} (the CLI's exit
     * code in {@code code()}). The Dataset is read once, to stage it; the trainer reads the staged copy.
     */
    @Override
    public BradleyTerryRewardModelFit fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path root = stagingRoot(hadoop);
        try {
            String pairs = new Path(root, INPUT).toString();
            contractRows(dataset).write().parquet(pairs);
            String out = new Path(root, "out").toString();
            JobConfig config = config(pairs, out);
            TrainJob.Settings settings = new TrainJob.Settings(config, out, false, getMaxRejectFraction(), getSeed(), false);
            RewardModel trained = new TrainJob(settings).run(spark, (committer, result, warnings) -> result.rewardModels().get(OBJECTIVE));
            BradleyTerryRewardModelFit model = new BradleyTerryRewardModelFit(uid, withApiInput(trained));
            copyValues(model, ParamMap.empty());
            model.setParent(this);
            return model;
        }
        finally {
            delete(root, hadoop);
        }
    }

    /** Reads a model folder written by {@code save} or by {@code alignloss train} (its {@code model/} folder). */
    public static BradleyTerryRewardModelFit load(String path) {
        return BradleyTerryRewardModelFit.load(path);
    }

    /** The reader of model folders ({@link BradleyTerryRewardModelFit#read}). */
    public static MLReader<BradleyTerryRewardModelFit> read() {
        return BradleyTerryRewardModelFit.read();
    }

    /** The pair columns under the contract's names, the embeddings only for embedding features. */
    Dataset<Row> contractRows(Dataset<?> dataset) {
        List<String> present = List.of(dataset.columns());
        List<Column> selected = new ArrayList<>();
        selected.add(col(columns.get(columns.prompt)).as(InputContract.PROMPT));
        selected.add(col(columns.get(columns.chosen)).as(InputContract.CHOSEN));
        selected.add(col(columns.get(columns.rejected)).as(InputContract.REJECTED));
        for (Param<String> optional : List.of(columns.label, columns.weight, columns.id)) {
            String name = columns.get(optional);
            if (present.contains(name)) {
                selected.add(col(name).as(RewardColumns.contractName(optional)));
            }
        }
        if (getFeatureType().equals(FeatureType.EMBEDDING.configName())) {
            selected.add(col(columns.get(columns.chosenEmbedding)).as(FeatureSpec.CHOSEN_EMBEDDING));
            selected.add(col(columns.get(columns.rejectedEmbedding)).as(FeatureSpec.REJECTED_EMBEDDING));
        }
        return dataset.select(selected.toArray(Column[]::new));
    }

    /** The job config of a fit: the staged input, one bradley-terry objective, the features and the Params that are set. */
    JobConfig config(String pairsPath, String out) {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("type", getFeatureType());
        putIfSet(features, "bits", hashBits);
        putIfSet(features, "ngrams", ngrams);
        putIfSet(features, "cross-tokens", crossTokens);
        putIfSet(features, "input", encoderInput);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("objective", OBJECTIVE);
        train.put("checkpoint-every", 0); // a fit has no output to resume: checkpoints would only be written and deleted
        putIfSet(train, "l2", regParam);
        putIfSet(train, "max-iter", maxIter);
        putIfSet(train, "tol", tol);
        putIfSet(train, "optimizer", optimizer);
        putIfSet(train, "lr", stepSize);
        putIfSet(train, "batch-fraction", batchFraction);
        putIfSet(train, "validation-fraction", validationFraction);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("inputs", Map.of(INPUT, Map.of("path", pairsPath, "kind", "preference")));
        config.put("objectives", List.of(Map.of("name", OBJECTIVE, "type", "bradley-terry", "input", INPUT)));
        config.put("features", features);
        config.put("train", train);
        config.put("output", Map.of("path", out));
        return ConfigLoader.fromConfig(ConfigValueFactory.fromMap(config).toConfig(), "BradleyTerryRewardModel " + uid, List.of(),
                Optional.empty());
    }

    private void putIfSet(Map<String, Object> block, String key, Param<?> param) {
        if (isSet(param)) {
            block.put(key, getOrDefault(param));
        }
    }

    /** The model's metadata names the Dataset, not the staging folder that is deleted. */
    private static RewardModel withApiInput(RewardModel trained) {
        Map<String, Object> metadata = new LinkedHashMap<>(trained.metadata());
        Object training = metadata.get("training");
        if (training instanceof Map<?, ?> map) {
            Map<Object, Object> replaced = new LinkedHashMap<>(map);
            replaced.put("input", "(Spark ML Dataset)");
            metadata.put("training", replaced);
        }
        return new RewardModel(trained.features(), trained.weights(), metadata);
    }

    private Path stagingRoot(Configuration hadoop) {
        String name = "alignloss-fit-" + uid + "-" + UUID.randomUUID();
        if (!getStagingDir().isEmpty()) {
            return new Path(getStagingDir(), name);
        }
        try {
            FileSystem fs = FileSystem.get(hadoop);
            if (fs.getUri().getScheme().equals("file")) {
                return new Path(new File(System.getProperty("java.io.tmpdir")).toURI().toString(), name);
            }
            return new Path(new Path(fs.getHomeDirectory(), ".alignloss-staging"), name);
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot stage the pairs of a fit: %s; set stagingDir", e.getMessage()), e);
        }
    }

    private static void delete(Path root, Configuration hadoop) {
        try {
            root.getFileSystem(hadoop).delete(root, true);
        }
        catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(BradleyTerryRewardModel.class).warn("could not delete the staging folder {}: {}", root,
                    e.getMessage());
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> present = List.of(schema.fieldNames());
        List<Param<String>> required = new ArrayList<>(List.of(columns.prompt, columns.chosen, columns.rejected));
        if (getFeatureType().equals(FeatureType.EMBEDDING.configName())) {
            required.add(columns.chosenEmbedding);
            required.add(columns.rejectedEmbedding);
        }
        for (Param<String> param : required) {
            if (!present.contains(columns.get(param))) {
                throw new IllegalArgumentException(format("Cannot fit %s: column '%s' (%s) is missing; columns present: %s", uid,
                        columns.get(param), param.name(), String.join(", ", present)));
            }
        }
        return schema;
    }

    @Override
    public BradleyTerryRewardModel copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
