package io.alignloss.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.config.JobConfig;
import io.alignloss.model.RewardModel;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The reward-model Estimator and its fitted model against the CLI: the optimum {@code alignloss train} reaches, the model
 * folder read and written both ways, the Params' defaults, save/load, and CrossValidator over a Pipeline.
 */
class BradleyTerryRewardModelTest extends LocalSparkTest {
    private static final String PAIRS = "data-samples/preferences-embedded.parquet";

    @TempDir
    Path temp;

    private Dataset<Row> pairs;
    /** The model {@code alignloss train --config conf/train-reward.conf} wrote, and its output folder. */
    private RewardModel cliModel;
    private Path cliOut;
    /** The Estimator's fit with the Params of conf/train-reward.conf. */
    private BradleyTerryRewardModelFit fitted;

    @BeforeAll
    void trainWithTheCliAndTheApi(@TempDir Path folder) {
        pairs = spark.read().parquet(PAIRS);
        cliOut = folder.resolve("cli-train");
        // no bootstrap in the closing evaluation: the weights do not depend on it
        assertThat(Main.execute("train", "--config", "conf/train-reward.conf", "--out", cliOut.toString(), "--set", "bootstrap=0"))
                .isEqualTo(0);
        cliModel = RewardModel.load(cliOut.resolve("model").toString(), spark.sparkContext().hadoopConfiguration());
        fitted = likeTrainReward().fit(pairs);
    }

    /** The Params of conf/train-reward.conf (l2 1e-4, validation 0.2, L-BFGS, 100 iterations, tol 1e-9, embedding features). */
    private static BradleyTerryRewardModel likeTrainReward() {
        return new BradleyTerryRewardModel().setFeatureType("embedding").setOptimizer("lbfgs").setMaxIter(100).setTol(1e-9)
                .setRegParam(1e-4).setValidationFraction(0.2);
    }

    @Test
    void fitReachesTheCliTrainOptimum() {
        double[] cli = cliModel.weights();
        double[] api = fitted.weights();
        assertThat(api).hasSize(16);
        for (int i = 0; i < cli.length; i++) {
            assertThat(api[i]).as("weight %d", i).isCloseTo(cli[i], within(1e-9));
        }
        assertThat(fitted.rewardModel().features()).isEqualTo(cliModel.features());
        assertThat(fitted.parent()).isNotNull();
    }

    @Test
    void aCliTrainedModelLoadsAndScoresLikeItsWeights() {
        BradleyTerryRewardModelFit loaded = BradleyTerryRewardModel.load(cliOut.resolve("model").toString());
        assertThat(loaded.weights()).containsExactly(cliModel.weights());

        List<Row> scored = loaded.transform(pairs.limit(20)).select("chosen_embedding", "rejected_embedding", "chosen_score", "rejected_score")
                .collectAsList();
        assertThat(scored).hasSize(20);
        for (Row row : scored) {
            // r = φ·e, a plain loop over the stored weights
            assertThat(row.getDouble(2)).isCloseTo(dot(cliModel.weights(), row.getList(0)), within(1e-12));
            assertThat(row.getDouble(3)).isCloseTo(dot(cliModel.weights(), row.getList(1)), within(1e-12));
        }
        Dataset<Row> responses = pairs.limit(5).selectExpr("prompt", "chosen AS response", "chosen_embedding AS embedding");
        List<Row> single = loaded.transform(responses).select("embedding", "score").collectAsList();
        for (Row row : single) {
            assertThat(row.getDouble(1)).isCloseTo(dot(cliModel.weights(), row.getList(0)), within(1e-12));
        }
    }

    @Test
    void theCliEvaluatesAnApiSavedModel() throws Exception {
        Path saved = temp.resolve("api-model");
        fitted.write().save(saved.toString());

        Path conf = temp.resolve("api-model.conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + PAIRS + "\", kind = preference }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs, model = \"" + saved.toUri() + "\" } ]\nbootstrap = 0\n");
        Path out = temp.resolve("api-model-evaluated");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        JsonNode bt = SummaryJson.toTree(SummaryJson.read(out.resolve("summary.json"))).at("/objectives/bt");

        assertThat(bt.get("loss").asDouble()).isCloseTo(plainLoss(fitted.weights(), pairs.collectAsList()), within(1e-12));
        assertThat(bt.get("count").asLong()).isEqualTo(pairs.count());
    }

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        String path = temp.resolve("round-trip").toString();
        fitted.write().save(path);
        BradleyTerryRewardModelFit loaded = BradleyTerryRewardModelFit.load(path);

        assertThat(loaded.weights()).containsExactly(fitted.weights());
        assertThat(loaded.rewardModel().features()).isEqualTo(fitted.rewardModel().features());
        assertThat(loaded.rewardModel().metadata().get("objective")).isEqualTo(fitted.rewardModel().metadata().get("objective"));
        List<Row> before = fitted.transform(pairs.limit(10)).select("chosen_score", "rejected_score").collectAsList();
        List<Row> after = loaded.transform(pairs.limit(10)).select("chosen_score", "rejected_score").collectAsList();
        assertThat(after).isEqualTo(before);

        assertThat(Path.of(path, "model.json")).exists();
        assertThat(Path.of(path, "weights.f64")).exists();

        // the column Params travel in Spark ML's metadata/, also inside a saved PipelineModel
        BradleyTerryRewardModelFit renamed = fitted.copy(ParamMap.empty()).setChosenScoreCol("r_chosen");
        String pipelinePath = temp.resolve("pipeline").toString();
        new PipelineModel("pipeline", new org.apache.spark.ml.Transformer[] {renamed}).write().save(pipelinePath);
        BradleyTerryRewardModelFit inPipeline = (BradleyTerryRewardModelFit) PipelineModel.load(pipelinePath).stages()[0];
        assertThat(inPipeline.weights()).containsExactly(fitted.weights());
        assertThat(inPipeline.getOrDefault(inPipeline.chosenScoreCol())).isEqualTo("r_chosen");

        assertThatThrownBy(() -> fitted.write().save(path)).hasMessageContaining("already exists");
        BradleyTerryRewardModelFit other = new BradleyTerryRewardModelFit(cliModel);
        other.write().overwrite().save(path);
        assertThat(BradleyTerryRewardModelFit.load(path).weights()).containsExactly(other.weights());
    }

    @Test
    void paramsDefaultToTheCliDefaults() {
        BradleyTerryRewardModel estimator = new BradleyTerryRewardModel();
        // the values docs/spark-ml.md and docs/training.md give for train.* and the command-line options
        assertThat(estimator.getRegParam()).isEqualTo(1e-6);
        assertThat(estimator.getMaxIter()).isEqualTo(100);
        assertThat(estimator.getTol()).isEqualTo(1e-9);
        assertThat(estimator.getOptimizer()).isEqualTo("lbfgs");
        assertThat(estimator.getStepSize()).isEqualTo(0.01);
        assertThat(estimator.getBatchFraction()).isEqualTo(0.1);
        assertThat(estimator.getValidationFraction()).isEqualTo(0.0);
        assertThat(estimator.getSeed()).isEqualTo(42L);
        assertThat(estimator.getMaxRejectFraction()).isEqualTo(0.01);
        assertThat(estimator.getHashBits()).isEqualTo(18);

        // an unset Param is left out of the config a fit builds, so the config loader applies its own default
        JobConfig unset = estimator.config("pairs", "out");
        JobConfig cli = JobConfig.parse("inputs.pairs { path = \"pairs\", kind = preference }\n"
                + "objectives = [ { name = reward-model, type = bradley-terry, input = pairs } ]\nfeatures { type = embedding }\n"
                + "train { objective = reward-model, checkpoint-every = 0 }\noutput.path = out");
        assertThat(unset.train()).isEqualTo(cli.train());
        assertThat(unset.features()).isEqualTo(cli.features());
        assertThat(estimator.setRegParam(0.5).config("pairs", "out").train().regularization().l2()).isEqualTo(0.5);
    }

    @Test
    void aMissingColumnIsRefusedBeforeAnySparkJob() {
        Dataset<Row> withoutEmbeddings = pairs.drop("chosen_embedding");
        assertThatThrownBy(() -> new BradleyTerryRewardModel().fit(withoutEmbeddings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'chosen_embedding' (chosenEmbeddingCol) is missing");
        assertThatThrownBy(() -> new BradleyTerryRewardModelFit(cliModel).transform(pairs.select("prompt", "chosen", "rejected")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chosen_embedding");
    }

    @Test
    void crossValidatorPicksTheRegParamInAPipeline() {
        BradleyTerryRewardModel estimator = new BradleyTerryRewardModel().setMaxIter(20);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
        ParamMap[] grid = new ParamGridBuilder().addGrid(estimator.regParam(), new double[] {1e-4, 30.0}).build();
        CrossValidator validator = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(new PreferenceLossEvaluator().setMetricName("loss")).setNumFolds(2).setSeed(7).setParallelism(1);

        CrossValidatorModel tuned = validator.fit(pairs);

        double[] metrics = tuned.avgMetrics();
        // λ = 30 shrinks φ towards 0, where every pair's loss is log 2
        assertThat(metrics[0]).isLessThan(metrics[1]);
        assertThat(metrics[1]).isCloseTo(Math.log(2), within(0.05));
        BradleyTerryRewardModelFit best = (BradleyTerryRewardModelFit) ((PipelineModel) tuned.bestModel()).stages()[0];
        assertThat(((BradleyTerryRewardModel) best.parent()).getRegParam()).isEqualTo(1e-4);
        assertThat(best.rewardModel().metadata().get("objective")).asString().contains("l2=1.0E-4");
    }

    static double dot(double[] weights, List<Object> embedding) {
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] * ((Number) embedding.get(i)).doubleValue();
        }
        return sum;
    }

    /** Σ w·(label·softplus(−m) + (1 − label)·softplus(m)) / Σ w with m = φ·(e_chosen − e_rejected), a plain loop. */
    static double plainLoss(double[] weights, List<Row> rows) {
        double weighted = 0;
        double weightSum = 0;
        for (Row row : rows) {
            double margin = dot(weights, row.getList(row.fieldIndex("chosen_embedding")))
                    - dot(weights, row.getList(row.fieldIndex("rejected_embedding")));
            double label = has(row, "label") ? ((Number) row.getAs("label")).doubleValue() : 1.0;
            double weight = has(row, "weight") ? ((Number) row.getAs("weight")).doubleValue() : 1.0;
            weighted += weight * (label * softplus(-margin) + (1 - label) * softplus(margin));
            weightSum += weight;
        }
        return weighted / weightSum;
    }

    static boolean has(Row row, String column) {
        return List.of(row.schema().fieldNames()).contains(column) && !row.isNullAt(row.fieldIndex(column));
    }

    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
