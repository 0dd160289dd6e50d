package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.RewardModel;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.testing.SummaryMaps;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The train job end to end on generated embedding pairs. */
class TrainJobTest extends LocalSparkTest {
    private static final int DIMENSION = 8;
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("chosen_embedding", DataTypes.createArrayType(DataTypes.FloatType, true))
            .add("rejected_embedding", DataTypes.createArrayType(DataTypes.FloatType, true))
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("group", DataTypes.StringType);

    @TempDir
    Path temp;

    /** Pairs labelled by a hidden linear reward (noisy, so not separable), with soft labels and weights. */
    static List<Row> pairs(int count, long seed, boolean separable) {
        Random random = new Random(seed);
        double[] truth = random.doubles(DIMENSION, -1, 1).toArray();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Float> a = new ArrayList<>();
            List<Float> b = new ArrayList<>();
            double margin = 0;
            for (int j = 0; j < DIMENSION; j++) {
                a.add((float) random.nextGaussian());
                b.add((float) random.nextGaussian());
                margin += truth[j] * (a.get(j) - b.get(j));
            }
            boolean aWins = separable ? margin > 0 : random.nextDouble() < 1 / (1 + Math.exp(-margin));
            double u = random.nextDouble();
            double label = separable || u < 0.8 ? 1.0 : u < 0.9 ? 0.5 : 0.7;
            rows.add(RowFactory.create("r" + i, "prompt " + i, "answer a" + i, "answer b" + i, aWins ? a : b, aWins ? b : a,
                    label, random.nextDouble() < 0.8 ? 1.0 : 3.0, i % 3 == 0 ? "x" : "y"));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    static List<Float> floats(Row row, int index) {
        return (List<Float>) row.get(index);
    }

    String write(List<Row> rows, String name) {
        String path = temp.resolve(name).toString();
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path);
        return path;
    }

    JobConfig config(String input, String train) {
        return Configs.parse("inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs } ]\n"
                + "features { type = embedding }\n"
                + "groups = [ group ]\n"
                + "preference-biases = false\n"
                + "train { " + train + " }");
    }

    EvaluateJob.Result train(JobConfig config, Path out, boolean resume, TrainJob.IterationListener listener) {
        return new TrainJob(new TrainJob.Settings(config, out.toString(), true, 0.01, 42, resume), listener).run(spark);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> block(EvaluateJob.Result result) {
        return (Map<String, Object>) SummaryMaps.of(result.summary()).get("train");
    }

    @Test
    void fitsTheSameObjectiveAndWeightsAsMllibLogisticRegressionOnDeltaF() {
        List<Row> rows = pairs(1500, 1, false);
        String input = write(rows, "pairs.parquet");
        double l2 = 0.01;
        EvaluateJob.Result result = train(config(input, "l2 = " + l2 + ", tol = 1e-14, max-iter = 500"), temp.resolve("out"), false,
                state -> { });
        double ours = ((Number) block(result).get("final_objective")).doubleValue();
        RewardModel model = RewardModel.load(temp.resolve("out/model").toString(), spark.sparkContext().hadoopConfiguration());

        // MLlib on Δf rows: label 1 with weight w·p and label 0 with weight w·(1 − p)
        List<Row> delta = new ArrayList<>();
        for (Row row : rows) {
            double[] df = new double[DIMENSION];
            List<Float> chosen = floats(row, 4);
            List<Float> rejected = floats(row, 5);
            for (int j = 0; j < DIMENSION; j++) {
                df[j] = chosen.get(j) - rejected.get(j);
            }
            double p = row.getDouble(6);
            double w = row.getDouble(7);
            delta.add(RowFactory.create(Vectors.dense(df), 1.0, w * p));
            delta.add(RowFactory.create(Vectors.dense(df), 0.0, w * (1 - p)));
        }
        Dataset<Row> frame = spark.createDataFrame(delta, new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType));
        LogisticRegressionModel mllib = new LogisticRegression().setFitIntercept(false).setStandardization(false).setRegParam(l2)
                .setElasticNetParam(0).setWeightCol("weight").setTol(1e-14).setMaxIter(1000).fit(frame);
        double[] objectiveHistory = mllib.summary().objectiveHistory();
        double theirs = objectiveHistory[objectiveHistory.length - 1];
        assertThat(Math.abs(ours - theirs) / theirs).as("ours %s, MLlib %s", ours, theirs).isLessThan(1e-6);
        double[] coefficients = mllib.coefficients().toArray();
        for (int j = 0; j < DIMENSION; j++) {
            assertThat(model.weights()[j]).isCloseTo(coefficients[j], within(1e-4));
        }
    }

    @Test
    void theFinalObjectiveDoesNotDependOnPartitioning() {
        List<Row> rows = pairs(900, 9, false);
        String opened = spark.conf().get("spark.sql.files.openCostInBytes");
        spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(128L << 20)); // one partition per file
        try {
            double[] objectives = new double[3];
            int[] partitions = {1, 3, 8};
            for (int i = 0; i < partitions.length; i++) {
                String path = temp.resolve("pairs-" + partitions[i]).toString();
                spark.createDataFrame(rows, SCHEMA).repartition(partitions[i]).write().parquet(path);
                assertThat(spark.read().parquet(path).rdd().getNumPartitions()).isEqualTo(partitions[i]);
                objectives[i] = ((Number) block(train(config(path, "l2 = 1e-3, tol = 1e-12"), temp.resolve("out-" + partitions[i]),
                        false, s -> { })).get("final_objective")).doubleValue();
            }
            assertThat(Math.abs(objectives[1] - objectives[0]) / objectives[0]).isLessThan(1e-6);
            assertThat(Math.abs(objectives[2] - objectives[0]) / objectives[0]).isLessThan(1e-6);
        }
        finally {
            spark.conf().set("spark.sql.files.openCostInBytes", opened);
        }
    }

    @Test
    void aResumedRunReachesTheSameFinalObjectiveAsAnUninterruptedOne() throws Exception {
        String input = write(pairs(800, 2, false), "pairs.parquet");
        JobConfig config = config(input, "l2 = 1e-3, tol = 1e-12, checkpoint-every = 2, validation-fraction = 0.25");
        double straight = ((Number) block(train(config, temp.resolve("straight"), false, state -> { })).get("final_objective")).doubleValue();

        Path out = temp.resolve("killed");
        assertThatThrownBy(() -> train(config, out, false, state -> {
            if (state.iteration() == 5) {
                throw new IllegalStateException("killed at iteration 5");
            }
        })).hasMessageContaining("killed");
        assertThat(out).doesNotExist();
        assertThat(temp.resolve("killed.checkpoints/iteration-00000004")).exists();

        assertThatThrownBy(() -> train(config, out, false, state -> { }))
                .isInstanceOf(AlignLossException.class).hasMessageContaining("--resume")
                .satisfies(e -> assertThat(((AlignLossException) e).code()).isEqualTo(ErrorCode.USAGE));

        EvaluateJob.Result resumed = train(config, out, true, state -> { });
        assertThat(block(resumed).get("resumed_from_iteration")).isEqualTo(4L);
        double value = ((Number) block(resumed).get("final_objective")).doubleValue();
        assertThat(Math.abs(value - straight) / straight).isLessThan(1e-6);
        assertThat((List<?>) block(resumed).get("history")).hasSize(((Number) block(resumed).get("iterations")).intValue());
        assertThat(temp.resolve("killed.checkpoints")).doesNotExist();
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(summary.get("command").asText()).isEqualTo("train");
        assertThat(summary.at("/train/validation/pairs").asLong()).isBetween(150L, 250L);
        assertThat(summary.at("/objectives/rm/groups/group/x/loss").isNumber()).isTrue();
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"plot-train\"");
    }

    @Test
    void aResumedRunWithEarlyStoppingKeepsTheBestWeightsOfTheUninterruptedRun() throws Exception {
        // 30 noisy training pairs in 8 dimensions and little l2: the validation loss falls, then rises as the fit
        // overfits, so early stopping returns an earlier iterate than the last one
        String input = write(pairs(60, 11, false), "overfit.parquet");
        JobConfig config = config(input, "l2 = 1e-4, tol = 1e-12, checkpoint-every = 1, validation-fraction = 0.5, "
                + "early-stopping-patience = 3");
        Path straightOut = temp.resolve("straight");
        Map<String, Object> straight = block(train(config, straightOut, false, state -> { }));
        List<?> history = (List<?>) straight.get("history");
        int best = 0;
        for (int i = 1; i < history.size(); i++) {
            if (validationLoss(history.get(i)) < validationLoss(history.get(best))) {
                best = i;
            }
        }
        long bestIteration = ((Number) ((Map<?, ?>) history.get(best)).get("iteration")).longValue();
        long lastIteration = ((Number) straight.get("iterations")).longValue();
        assertThat((String) straight.get("stop_reason")).contains("early stopping");
        assertThat(lastIteration).as("the best iterate is followed by patience = 3 worse ones").isEqualTo(bestIteration + 3);
        double straightValidation = ((Number) ((Map<?, ?>) straight.get("validation")).get("loss")).doubleValue();
        // the uninterrupted run returns the best iterate, not the last: its validation loss is the best one
        assertThat(straightValidation).isCloseTo(validationLoss(history.get(best)), within(1e-12))
                .isLessThan(validationLoss(history.get(history.size() - 1)) - 1e-3);

        // killed after the checkpoint of iteration best + 1: the best iterate precedes the checkpoint
        Path out = temp.resolve("killed");
        long killAt = bestIteration + 2;
        assertThatThrownBy(() -> train(config, out, false, state -> {
            if (state.iteration() == killAt) {
                throw new IllegalStateException("killed at iteration " + killAt);
            }
        })).hasMessageContaining("killed");
        assertThat(temp.resolve("killed.checkpoints/" + String.format("iteration-%08d", bestIteration + 1))).exists();

        Map<String, Object> resumed = block(train(config, out, true, state -> { }));
        assertThat(resumed.get("resumed_from_iteration")).isEqualTo(bestIteration + 1);
        assertThat(resumed.get("iterations")).isEqualTo(lastIteration);
        double straightObjective = ((Number) straight.get("final_objective")).doubleValue();
        double resumedObjective = ((Number) resumed.get("final_objective")).doubleValue();
        assertThat(Math.abs(resumedObjective - straightObjective) / straightObjective).isLessThan(1e-12);
        assertThat(((Number) ((Map<?, ?>) resumed.get("validation")).get("loss")).doubleValue()).isCloseTo(straightValidation, within(1e-12));
        double[] expected = RewardModel.load(straightOut.resolve("model").toString(), spark.sparkContext().hadoopConfiguration()).weights();
        double[] actual = RewardModel.load(out.resolve("model").toString(), spark.sparkContext().hadoopConfiguration()).weights();
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            assertThat(actual[j]).isCloseTo(expected[j], within(1e-12 * Math.max(1, Math.abs(expected[j]))));
        }
    }

    private static double validationLoss(Object historyEntry) {
        return ((Number) ((Map<?, ?>) historyEntry).get("validation_loss")).doubleValue();
    }

    @Test
    void adamTrainsTowardsTheLbfgsOptimum() {
        String input = write(pairs(1000, 3, false), "pairs.parquet");
        double lbfgs = ((Number) block(train(config(input, "l2 = 1e-3, tol = 1e-12"), temp.resolve("lbfgs"), false, s -> { }))
                .get("final_objective")).doubleValue();
        EvaluateJob.Result adam = train(config(input, "l2 = 1e-3, optimizer = adam, lr = 0.05, batch-fraction = 0.2, epochs = 30"),
                temp.resolve("adam"), false, s -> { });
        assertThat(block(adam).get("iterations")).isEqualTo(150L);
        double value = ((Number) block(adam).get("final_objective")).doubleValue();
        assertThat(value).isGreaterThanOrEqualTo(lbfgs - 1e-9).isLessThan(lbfgs + 0.01);
    }

    @Test
    void separableDataWithoutL2StopsWithAWarning() {
        String input = write(pairs(300, 4, true), "pairs.parquet");
        EvaluateJob.Result result = train(config(input, "l2 = 0, max-iter = 200"), temp.resolve("out"), false, s -> { });
        assertThat(block(result).get("converged")).isEqualTo(false);
        assertThat((String) block(result).get("stop_reason")).contains("separable");
        assertThat((List<?>) SummaryMaps.of(result.summary()).get("warnings")).anySatisfy(w -> assertThat((String) w).contains("separable"));
    }

    @Test
    void embeddingsOfAnotherLengthOrWithNaNAreRejected() throws Exception {
        List<Row> rows = new ArrayList<>(pairs(400, 5, false));
        Object[] bad = new Object[SCHEMA.size()];
        for (int i = 0; i < bad.length; i++) {
            bad[i] = rows.get(0).get(i);
        }
        bad[0] = "short";
        bad[4] = Arrays.asList(1f, 2f);
        rows.add(RowFactory.create(bad.clone()));
        bad[0] = "nan";
        bad[4] = new ArrayList<>(Arrays.asList(new Float[DIMENSION]));
        ((List<Float>) bad[4]).replaceAll(v -> Float.NaN);
        rows.add(RowFactory.create(bad.clone()));
        String input = write(rows, "pairs.parquet");
        Path out = temp.resolve("out");
        EvaluateJob.Result result = train(config(input, "l2 = 1e-3"), out, false, s -> { });
        @SuppressWarnings("unchecked")
        Map<String, Object> rejects = (Map<String, Object>) SummaryMaps.of(result.summary()).get("rejects");
        assertThat(rejects.get("total")).isEqualTo(2L);
        assertThat((Map<String, Object>) rejects.get("by_reason")).containsEntry("bad_embedding", 2L);
        assertThat(spark.read().parquet(out.resolve("rejects/prefs").toString()).select("id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()).containsExactlyInAnyOrder("short", "nan");
    }

    @Test
    void evaluateWithTheTrainedModelGivesTheLossOfTheTrainRun() throws Exception {
        String input = write(pairs(600, 6, false), "pairs.parquet");
        Path trained = temp.resolve("trained");
        EvaluateJob.Result result = train(config(input, "l2 = 1e-2"), trained, false, s -> { });
        @SuppressWarnings("unchecked")
        double trainLoss = ((Number) ((Map<String, Object>) ((Map<String, Object>) SummaryMaps.of(result.summary()).get("objectives")).get("rm"))
                .get("loss")).doubleValue();

        Path conf = temp.resolve("evaluate.conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs, model = \"" + trained.resolve("model") + "\" } ]\n");
        Path out = temp.resolve("evaluated");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(summary.at("/objectives/rm/loss").asDouble()).isCloseTo(trainLoss, within(1e-9));
        // the per-example scores are the model's: r = φ·f
        RewardModel model = RewardModel.load(trained.resolve("model").toString(), spark.sparkContext().hadoopConfiguration());
        Row first = spark.read().parquet(out.resolve("per_example/rm").toString()).where("id = 'r0'").first();
        List<Float> chosen = floats(pairs(600, 6, false).get(0), 4);
        double expected = 0;
        for (int j = 0; j < DIMENSION; j++) {
            expected += model.weights()[j] * chosen.get(j);
        }
        assertThat(first.<Double>getAs("chosen_score")).isCloseTo(expected, within(1e-9));
    }

    @Test
    void textHashFeaturesLearnWhatThePreferencesDependOn() throws Exception {
        // responses are random words; half of them apologise ("sorry"), and in a pair where exactly one does,
        // the other is preferred; otherwise the order is a coin flip: about 75% of pairs are learnable
        Random random = new Random(10);
        String[] words = "alpha beta gamma delta river stone cloud paper green quick slow bright".split(" ");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String a = sentence(random, words, random.nextBoolean());
            String b = sentence(random, words, random.nextBoolean());
            boolean aSorry = a.contains("sorry");
            boolean bSorry = b.contains("sorry");
            boolean aWins = aSorry == bSorry ? random.nextBoolean() : bSorry;
            rows.add(RowFactory.create("t" + i, "question " + random.nextInt(50), aWins ? a : b, aWins ? b : a));
        }
        String input = temp.resolve("texts.parquet").toString();
        spark.createDataFrame(rows, new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType)).write().parquet(input);
        JobConfig config = Configs.parse("inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs, features { type = text-hash, bits = 16 } } ]\n"
                + "preference-biases = false\n"
                + "train { l2 = 1e-3, validation-fraction = 0.3 }");
        Path out = temp.resolve("out");
        EvaluateJob.Result result = train(config, out, false, s -> { });
        @SuppressWarnings("unchecked")
        Map<String, Object> validation = (Map<String, Object>) block(result).get("validation");
        assertThat(((Number) validation.get("pairs")).longValue()).isBetween(300L, 420L);
        assertThat(((Number) validation.get("accuracy")).doubleValue()).isGreaterThan(0.68);
        assertThat(block(result).get("dimension")).isEqualTo(1 << 16);

        // evaluate scores the texts with the saved model (a UDF in the executors) and gets the train run's loss
        Path conf = temp.resolve("evaluate.conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs, model = \"" + out.resolve("model") + "\" } ]\n"
                + "preference-biases = false\n");
        Path evaluated = temp.resolve("evaluated");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", evaluated.toString())).isEqualTo(0);
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(evaluated.resolve("summary.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> trained = (Map<String, Object>) ((Map<String, Object>) SummaryMaps.of(result.summary()).get("objectives")).get("rm");
        assertThat(summary.at("/objectives/rm/loss").asDouble()).isCloseTo(((Number) trained.get("loss")).doubleValue(), within(1e-9));
    }

    private static String sentence(Random random, String[] words, boolean sorry) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 6 + random.nextInt(6); w++) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        if (sorry) {
            text.append("sorry ");
        }
        return text.append("end").toString();
    }

    @Test
    void aMissingModelFolderIsAConfigError() throws Exception {
        String input = write(pairs(20, 7, false), "pairs.parquet");
        Path conf = temp.resolve("evaluate.conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs, model = \"" + temp.resolve("nowhere") + "\" } ]\n");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", temp.resolve("o").toString())).isEqualTo(2);
    }
}
