package io.alignloss.lm;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.summary.SummaryJson;
import io.alignloss.synth.SampleData;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.text.Tokens;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Model-generated targets: a language model trained on sample sequences picks ŷ for self-target rows (over
 * candidates, or greedily), {@code evaluate} reports log Pr(ŷ|c′,z) and log Pr(ŷ|c,z), and {@code train} runs
 * rounds of recomputing ŷ and fitting −log Pr(ŷ|c′,z).
 */
class SelfTargetTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("context", DataTypes.StringType)
            .add("modified_context", DataTypes.StringType).add("z", DataTypes.StringType)
            .add("candidates", DataTypes.createArrayType(DataTypes.StringType, true)).add("reference", DataTypes.StringType);

    @TempDir
    Path temp;
    private Path model;
    private String rowsPath;
    private List<Row> rows;

    @BeforeEach
    void trainModelAndWriteRows() throws Exception {
        String sequences = temp.resolve("sequences.parquet").toString();
        spark.createDataFrame(SampleData.sequences(300, 5), SampleData.SEQUENCE_SCHEMA).write().parquet(sequences);
        Path conf = temp.resolve("lm.conf");
        Files.writeString(conf, "inputs.seqs { path = \"" + sequences + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, language-model { order = 2, bits = 10, dimension = 8 } } ]\n"
                + "train { lr = 0.05, batch-fraction = 0.5, max-iter = 15 }\n");
        Path trained = temp.resolve("lm");
        assertThat(Main.execute("train", "--config", conf.toString(), "--out", trained.toString())).isEqualTo(0);
        model = trained.resolve("model");

        SplittableRandom random = new SplittableRandom(9);
        rows = new ArrayList<>();
        List<Row> source = SampleData.sequences(40, 77);
        for (int i = 0; i < source.size(); i++) {
            String prompt = source.get(i).getString(1);
            String shortened = prompt.substring(0, Math.max(1, prompt.length() / 3));
            List<String> candidates = i % 2 == 0 ? null : Arrays.asList(source.get((i + 1) % 40).getString(2),
                    source.get((i + 2) % 40).getString(2), "model answer", random.nextBoolean() ? null : "the");
            rows.add(RowFactory.create("r" + i, prompt, shortened, i % 3 == 0 ? null : "Be brief.", candidates, source.get(i).getString(2)));
        }
        rowsPath = temp.resolve("self-target.parquet").toString();
        spark.createDataFrame(rows, SCHEMA).repartition(2).write().parquet(rowsPath);
    }

    private static String config(String path, String objectiveExtra, String train) {
        return "inputs.st { path = \"" + path + "\", kind = self-target }\n"
                + "objectives = [ { name = distill, type = self-target, input = st, max-target-tokens = 12" + objectiveExtra + " } ]\n" + train;
    }

    @Test
    void evaluatePicksTheModelsOwnBestTargetAndScoresItUnderBothContexts() throws Exception {
        Path conf = temp.resolve("eval.conf");
        Files.writeString(conf, config(rowsPath, ", model = \"" + model + "\"", ""));
        Path out = temp.resolve("eval");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        JsonNode figures = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json"))).at("/objectives/distill");
        assertThat(figures.at("/greedy_targets").asLong()).isEqualTo(20);
        assertThat(figures.at("/reference/token_nll").asDouble()).isPositive();

        LanguageModel lm = LanguageModelFolder.load(model.toString(), spark.sparkContext().hadoopConfiguration());
        List<Row> perExample = spark.read().parquet(out.resolve("per_example/distill").toString()).collectAsList();
        assertThat(perExample).hasSize(rows.size());
        double totalNll = 0;
        double totalPositions = 0;
        for (Row scored : perExample) {
            Row row = rows.get(Integer.parseInt(scored.<String>getAs("id").substring(1)));
            String z = row.getString(3);
            int[] source = Tokens.encode(SelfTargets.prompt(row.getString(1), z));
            int[] target = Tokens.encode(scored.getAs("target"));
            @SuppressWarnings("unchecked")
            List<String> candidates = (List<String>) row.get(4);
            if (candidates != null) {
                // ŷ = argmax over the candidates of log Pr(y ++ END | c, z), summed from the full next-token distributions
                double best = Double.NEGATIVE_INFINITY;
                String argmax = null;
                for (String candidate : candidates) {
                    if (candidate != null && sequenceLogProb(lm, source, Tokens.encode(candidate)) > best) {
                        best = sequenceLogProb(lm, source, Tokens.encode(candidate));
                        argmax = candidate;
                    }
                }
                assertThat((String) scored.getAs("target")).isEqualTo(argmax);
            }
            else {
                // greedy: each token is the argmax of the full distribution given the tokens before it
                int[] history = Arrays.copyOf(source, source.length + target.length);
                System.arraycopy(target, 0, history, source.length, target.length);
                for (int t = 0; t < target.length; t++) {
                    double[] next = lm.logDistribution(Arrays.copyOf(history, source.length + t), LanguageModel.RESPONSE);
                    assertThat(next[target[t]]).isCloseTo(Arrays.stream(next).max().orElseThrow(), within(1e-12));
                }
                assertThat(target.length).isLessThanOrEqualTo(12);
            }
            int[] modified = Tokens.encode(SelfTargets.prompt(row.getString(2), z));
            double modifiedLogProb = sequenceLogProb(lm, modified, target);
            assertThat(scored.<Double>getAs("modified_context_logprob")).isCloseTo(modifiedLogProb, within(1e-9));
            assertThat(scored.<Double>getAs("context_logprob")).isCloseTo(sequenceLogProb(lm, source, target), within(1e-9));
            assertThat(scored.<Double>getAs("loss")).isCloseTo(-modifiedLogProb, within(1e-9));
            totalNll -= modifiedLogProb;
            totalPositions += target.length + 1;
        }
        // the loss: Σ −log Pr(ŷ|c′,z) / Σ |ŷ ++ END|
        assertThat(figures.get("loss").asDouble()).isCloseTo(totalNll / totalPositions, within(1e-9));
    }

    /** log Pr(y ++ END | x) from the model's full next-token distributions, position by position. */
    private static double sequenceLogProb(LanguageModel lm, int[] prompt, int[] response) {
        int[] sequence = LanguageModel.sequence(prompt, response);
        double sum = 0;
        for (int t = prompt.length; t < sequence.length; t++) {
            sum += lm.logDistribution(Arrays.copyOf(sequence, t), LanguageModel.RESPONSE)[sequence[t]];
        }
        return sum;
    }

    @Test
    void trainingRunsRoundsThatRecomputeTheTargetsAndFitThemUnderTheModifiedContext() throws Exception {
        Path conf = temp.resolve("train.conf");
        Files.writeString(conf, config(rowsPath, "", "train { init-model = \"" + model + "\", rounds = 3, lr = 0.05, batch-fraction = 1, max-iter = 8 }\n"));
        Path out = temp.resolve("self-trained");
        assertThat(Main.execute("train", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
        JsonNode rounds = summary.at("/train/rounds");
        assertThat(rounds).hasSize(3);
        assertThat(rounds.get(0).get("targets_changed").asLong()).isEqualTo(rows.size());
        for (JsonNode round : rounds) {
            // each round's steps lower −log Pr(ŷ|c′,z) on that round's (fixed) targets
            assertThat(round.get("target_token_nll_after").asDouble()).isLessThan(round.get("target_token_nll_before").asDouble());
            assertThat(round.get("mean_target_entropy").asDouble()).isPositive();
            assertThat(round.get("targets_changed").asLong()).isBetween(0L, (long) rows.size());
        }
        // on these rows the targets settle after round 1 while the (never trained) reference loses probability: the
        // run warns that the model only reinforces its own outputs
        assertThat(rounds.get(1).get("targets_changed").asLong()).isZero();
        assertThat(rounds.get(1).get("reference_token_nll_before").asDouble()).isGreaterThan(rounds.get(0).get("reference_token_nll_before").asDouble());
        assertThat(summary.get("warnings").toString()).contains("reinforcing its own outputs");
        assertThat(Files.exists(out.resolve("model/model.json"))).isTrue();
        assertThat(Files.exists(Path.of(out + ".checkpoints"))).isFalse();
        // the published evaluation used the self-trained model: its loss on round 3's targets is what training reached
        assertThat(summary.at("/objectives/distill/loss").asDouble()).isLessThan(rounds.get(0).get("target_token_nll_before").asDouble());
    }

    @Test
    void selfTargetTrainingWithoutAStartingModelIsAConfigError() throws Exception {
        Path conf = temp.resolve("bad.conf");
        Files.writeString(conf, config(rowsPath, "", "train { rounds = 2 }\n"));
        assertThat(Main.execute("train", "--config", conf.toString(), "--out", temp.resolve("bad").toString())).isEqualTo(2);
        Path evaluate = temp.resolve("bad-eval.conf");
        Files.writeString(evaluate, config(rowsPath, "", ""));
        assertThat(Main.execute("evaluate", "--config", evaluate.toString(), "--out", temp.resolve("bad-eval").toString())).isEqualTo(2);
    }

    @Test
    void aSelfTargetRunKilledInItsSecondRoundResumesFromTheFirstRoundsCheckpoint() throws Exception {
        io.alignloss.config.JobConfig config = io.alignloss.testing.Configs.parse(config(rowsPath, "",
                "train { init-model = \"" + model + "\", rounds = 3, lr = 0.05, batch-fraction = 0.5, max-iter = 4 }\n"));
        io.alignloss.job.EvaluateJob.Result straight = new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                temp.resolve("straight").toString(), true, 0.01, 42, false)).run(spark);
        Path out = temp.resolve("killed");
        int[] iterations = {0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                out.toString(), true, 0.01, 42, false), state -> {
                    // 4 iterations per round: the 6th is in round 2
                    if (++iterations[0] == 6) {
                        throw new IllegalStateException("killed in round 2");
                    }
                }).run(spark)).hasMessageContaining("killed");
        assertThat(temp.resolve("killed.checkpoints/iteration-00000001")).exists();
        io.alignloss.job.EvaluateJob.Result resumed = new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                out.toString(), true, 0.01, 42, true)).run(spark);
        JsonNode straightTrain = SummaryJson.mapper().valueToTree(straight.summary().train());
        JsonNode resumedTrain = SummaryJson.mapper().valueToTree(resumed.summary().train());
        assertThat(resumedTrain.get("resumed_from_round").asInt()).isEqualTo(1);
        assertThat(resumedTrain.get("rounds")).hasSize(3);
        assertThat(resumedTrain.get("final_objective").asDouble()).isCloseTo(straightTrain.get("final_objective").asDouble(),
                within(1e-9 * Math.abs(straightTrain.get("final_objective").asDouble())));
        assertThat(resumedTrain.at("/rounds/2/target_token_nll_after").asDouble())
                .isCloseTo(straightTrain.at("/rounds/2/target_token_nll_after").asDouble(), within(1e-9));
        assertThat(temp.resolve("killed.checkpoints")).doesNotExist();
    }
}
