package io.alignloss.lm;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.summary.SummaryJson;
import io.alignloss.synth.SampleData;
import io.alignloss.testing.BruteForceNll;
import io.alignloss.testing.LocalSparkTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Joint {@code Σ log Pr(x ++ y)} versus conditional {@code Σ log Pr(y|x)} training. With separate prompt parameters
 * Pr(x) shares nothing with Pr(y|x), so both modes must reach the same response parameters and the same held-out
 * conditional NLL; with shared parameters (the default) they need not, and the summaries show by how much.
 */
class JointConditionalTrainingTest extends LocalSparkTest {
    @TempDir
    Path temp;
    private String trainPath;
    private String heldOutPath;

    @BeforeEach
    void data() {
        trainPath = temp.resolve("train.parquet").toString();
        heldOutPath = temp.resolve("heldout.parquet").toString();
        spark.createDataFrame(SampleData.sequences(400, 41), SampleData.SEQUENCE_SCHEMA).repartition(3).write().parquet(trainPath);
        spark.createDataFrame(SampleData.sequences(120, 43), SampleData.SEQUENCE_SCHEMA).write().parquet(heldOutPath);
    }

    private Path train(String mode, String promptParameters) throws Exception {
        Path conf = temp.resolve(mode + "-" + promptParameters + ".conf");
        Files.writeString(conf, "inputs.seqs { path = \"" + trainPath + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, mode = " + mode + ",\n"
                + "  language-model { order = 2, bits = 10, dimension = 8, prompt-parameters = " + promptParameters + " } } ]\n"
                + "train { l2 = 0, lr = 0.05, batch-fraction = 0.5, max-iter = 20 }\npreference-biases = false\n");
        Path out = temp.resolve(mode + "-" + promptParameters);
        assertThat(Main.execute("train", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        return out;
    }

    /** Held-out figures of a trained model: the objective's joint and conditional blocks. */
    private JsonNode heldOut(Path trained, String name) throws Exception {
        Path conf = temp.resolve("eval-" + name + ".conf");
        Files.writeString(conf, "inputs.seqs { path = \"" + heldOutPath + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, model = \"" + trained.resolve("model") + "\" } ]\n");
        Path out = temp.resolve("eval-" + name);
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out.toString())).isEqualTo(0);
        return SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json"))).at("/objectives/lm");
    }

    private LanguageModel model(Path trained) {
        return LanguageModelFolder.load(trained.resolve("model").toString(), spark.sparkContext().hadoopConfiguration());
    }

    @Test
    void separatePromptParametersMakeJointAndConditionalTrainingAgreeOnTheResponseModel() throws Exception {
        Path joint = train("joint", "separate");
        Path conditional = train("conditional", "separate");
        LanguageModel jointModel = model(joint);
        LanguageModel conditionalModel = model(conditional);
        assertThat(jointModel.vocabulary()).isEqualTo(conditionalModel.vocabulary());
        // the response tower is the first half of θ
        int tower = jointModel.weights().length / 2;
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < tower; i++) {
            largest = Math.max(largest, Math.abs(jointModel.weights()[i]));
            difference = Math.max(difference, Math.abs(jointModel.weights()[i] - conditionalModel.weights()[i]));
        }
        // training lowered the loss, and both modes moved the response parameters the same way (Adam's ε aside)
        JsonNode trained = SummaryJson.mapper().readTree(Files.readString(conditional.resolve("summary.json"))).at("/train");
        assertThat(trained.at("/train/token_nll").asDouble()).isLessThan(trained.at("/history/0/train_token_nll").asDouble() - 0.1);
        System.out.printf("separate prompt parameters: largest response parameter %.4g, largest joint/conditional difference %.4g%n",
                largest, difference);
        // The two gradients differ by the constant factor T_conditional / T_joint, to which Adam's update m̂/(√v̂ + ε) is
        // blind except through ε = 1e-8: it shows on parameters whose gradients are themselves ~1e-9 (measured: 6e-4 of
        // the largest parameter after 20 iterations)
        assertThat(difference).isLessThan(2e-3 * largest);

        JsonNode jointHeldOut = heldOut(joint, "joint");
        JsonNode conditionalHeldOut = heldOut(conditional, "conditional");
        double jointNll = jointHeldOut.at("/conditional/token_nll").asDouble();
        double conditionalNll = conditionalHeldOut.at("/conditional/token_nll").asDouble();
        System.out.printf("separate prompt parameters, held-out conditional token NLL: joint-trained %.9f, conditional-trained %.9f%n",
                jointNll, conditionalNll);
        assertThat(jointNll).isCloseTo(conditionalNll, within(1e-5 * conditionalNll));
        // the joint model also learned the prompts: its prompt term is lower than the untrained prompt tower's
        assertThat(jointHeldOut.at("/prompt_term/token_nll").asDouble()).isLessThan(conditionalHeldOut.at("/prompt_term/token_nll").asDouble());
    }

    @Test
    void sharedParametersLetTheModesDifferAndTheSummaryShowsBothTerms() throws Exception {
        JsonNode joint = heldOut(train("joint", "shared"), "joint-shared");
        JsonNode conditional = heldOut(train("conditional", "shared"), "conditional-shared");
        double jointModelConditionalNll = joint.at("/conditional/token_nll").asDouble();
        double conditionalModelConditionalNll = conditional.at("/conditional/token_nll").asDouble();
        System.out.printf("shared parameters, held-out conditional token NLL: joint-trained %.5f, conditional-trained %.5f%n",
                jointModelConditionalNll, conditionalModelConditionalNll);
        assertThat(Math.abs(jointModelConditionalNll - conditionalModelConditionalNll)).isGreaterThan(1e-3);
        // each block against a plain-loop computation over the held-out rows, normalising over every id at every position
        java.util.List<org.apache.spark.sql.Row> rows = spark.read().parquet(heldOutPath).collectAsList();
        for (String name : new String[] {"joint-shared", "conditional-shared"}) {
            JsonNode figures = name.startsWith("joint") ? joint : conditional;
            BruteForceNll expected = BruteForceNll.of(model(temp.resolve(name)), rows);
            System.out.printf("%s by brute force: joint token NLL %.9f, conditional %.9f; summary %.9f, %.9f%n", name,
                    expected.jointNll() / expected.jointTokens(), expected.conditionalNll() / expected.responseTokens(),
                    figures.at("/joint/token_nll").asDouble(), figures.at("/conditional/token_nll").asDouble());
            assertThat(figures.at("/joint/token_nll").asDouble()).isCloseTo(expected.jointNll() / expected.jointTokens(), within(1e-9));
            assertThat(figures.at("/joint/sequence_nll").asDouble()).isCloseTo(expected.jointNll() / expected.weights(), within(1e-9));
            assertThat(figures.at("/conditional/token_nll").asDouble())
                    .isCloseTo(expected.conditionalNll() / expected.responseTokens(), within(1e-9));
            assertThat(figures.at("/conditional/sequence_nll").asDouble())
                    .isCloseTo(expected.conditionalNll() / expected.weights(), within(1e-9));
            assertThat(figures.at("/prompt_term/token_nll").asDouble())
                    .isCloseTo(expected.promptNll() / expected.promptTokens(), within(1e-9));
        }
    }

    @Test
    void aResumedLanguageModelRunEndsWhereAnUninterruptedOneDoes() throws Exception {
        io.alignloss.config.JobConfig config = io.alignloss.testing.Configs.parse("inputs.seqs { path = \"" + trainPath + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, language-model { order = 2, bits = 10, dimension = 8 } } ]\n"
                + "train { lr = 0.05, batch-fraction = 0.5, max-iter = 8, checkpoint-every = 2 }\npreference-biases = false\n");
        double straight = finalObjective(new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                temp.resolve("straight").toString(), true, 0.01, 42, false)).run(spark));
        Path out = temp.resolve("killed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                out.toString(), true, 0.01, 42, false), state -> {
                    if (state.iteration() == 5) {
                        throw new IllegalStateException("killed at iteration 5");
                    }
                }).run(spark)).hasMessageContaining("killed");
        assertThat(temp.resolve("killed.checkpoints/iteration-00000004")).exists();
        io.alignloss.job.EvaluateJob.Result resumed = new io.alignloss.job.TrainJob(new io.alignloss.job.TrainJob.Settings(config,
                out.toString(), true, 0.01, 42, true)).run(spark);
        assertThat(finalObjective(resumed)).isCloseTo(straight, within(1e-9 * Math.abs(straight)));
        assertThat(temp.resolve("killed.checkpoints")).doesNotExist();
    }

    @SuppressWarnings("unchecked")
    private static double finalObjective(io.alignloss.job.EvaluateJob.Result result) {
        return ((Number) ((java.util.Map<String, Object>) io.alignloss.testing.SummaryMaps.of(result.summary()).get("train")).get("final_objective")).doubleValue();
    }
}
