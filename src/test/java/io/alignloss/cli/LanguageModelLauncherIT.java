package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both language-model objectives from the launcher, as users run them: on the samples with the configs of
 * conf/, and on the Alpaca instruction data (converted to Parquet here).
 */
class LanguageModelLauncherIT extends LocalSparkTest {
    private static final File ALPACA = new File("../shared/data/alpaca/alpaca_5000.json");

    @TempDir
    Path temp;

    private record Outcome(int status, String stderr) {
    }

    private Outcome launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("jobs/alignloss"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("."));
        builder.environment().remove("SPARK_HOME");
        File stderr = temp.resolve("stderr-" + System.nanoTime()).toFile();
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not finish in 5 minutes");
        }
        return new Outcome(process.exitValue(), Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
    }

    private static JsonNode summary(Path out) throws Exception {
        return SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
    }

    /**
     * Two epochs instead of the configs' eight, and two iterations per distillation round instead of ten: what is checked
     * here is the launcher path (its progress lines, the models it writes and reads back) and evaluate's figures against a
     * brute-force normalisation of whichever model was trained; the numbers of the full configs are {@code GoldenSummaryTest}'s.
     */
    private static final String[] SHORTER_TRAINING = {"--set", "train.epochs=2"};
    private static final String[] SHORTER_ROUNDS = {"--set", "train.max-iter=2"};

    private static String[] with(String[] shorter, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + shorter.length);
        System.arraycopy(shorter, 0, all, args.length, shorter.length);
        return all;
    }

    @Test
    void theSampleConfigsTrainBothWaysCompareThemAndDistil() throws Exception {
        Path conditional = temp.resolve("lm");
        Path joint = temp.resolve("lm-joint");
        Outcome trained = launch(with(SHORTER_TRAINING, "train", "--config", "conf/train-lm.conf", "--out", conditional.toString()));
        assertThat(trained.status()).as(trained.stderr()).isEqualTo(0);
        assertThat(trained.stderr()).contains("tokens/s").contains("validation loss").contains("language model written");
        assertThat(summary(conditional).at("/train/iterations").asInt()).as("2 epochs of 4 batches").isBetween(1, 8);
        assertThat(launch(with(SHORTER_TRAINING, "train", "--config", "conf/train-lm-joint.conf", "--out", joint.toString())).status())
                .isEqualTo(0);
        assertThat(summary(joint).at("/train/mode").asText()).isEqualTo("joint");

        Path compared = temp.resolve("compared");
        Outcome evaluated = launch("evaluate", "--config", "conf/evaluate-lm.conf", "--out", compared.toString(),
                "--set", "objectives.conditional-trained.model=" + conditional.resolve("model"),
                "--set", "objectives.joint-trained.model=" + joint.resolve("model"));
        assertThat(evaluated.status()).as(evaluated.stderr()).isEqualTo(0);
        JsonNode objectives = summary(compared).get("objectives");
        // each block against the trained model's brute-force normalisation over every id at every position
        List<Row> heldOut = spark.read().parquet("data-samples/sequences-heldout.parquet").collectAsList();
        for (String name : new String[] {"conditional-trained", "joint-trained"}) {
            JsonNode figures = objectives.get(name);
            Path model = (name.startsWith("joint") ? joint : conditional).resolve("model");
            io.alignloss.testing.BruteForceNll expected = io.alignloss.testing.BruteForceNll.of(
                    io.alignloss.lm.LanguageModelFolder.load(model.toString(), spark.sparkContext().hadoopConfiguration()), heldOut);
            assertThat(figures.at("/joint/token_nll").asDouble()).isCloseTo(expected.jointNll() / expected.jointTokens(),
                    org.assertj.core.api.Assertions.within(1e-9));
            assertThat(figures.at("/conditional/token_nll").asDouble()).isCloseTo(expected.conditionalNll() / expected.responseTokens(),
                    org.assertj.core.api.Assertions.within(1e-9));
            assertThat(figures.at("/prompt_term/sequence_nll").asDouble()).isCloseTo(expected.promptNll() / expected.weights(),
                    org.assertj.core.api.Assertions.within(1e-9));
        }
        assertThat(Files.readString(compared.resolve("report.html"))).contains("Sequence likelihood, side by side");

        Path distilled = temp.resolve("distilled");
        Outcome selfTrained = launch(with(SHORTER_ROUNDS, "train", "--config", "conf/train-self-target.conf", "--out", distilled.toString(),
                "--set", "train.init-model=" + conditional.resolve("model")));
        assertThat(selfTrained.status()).as(selfTrained.stderr()).isEqualTo(0);
        assertThat(selfTrained.stderr()).contains("round 1/3: targets recomputed").contains("mean target entropy");
        assertThat(summary(distilled).at("/train/rounds")).hasSize(3);
        assertThat(summary(distilled).at("/train/rounds/0/iterations").asInt()).isEqualTo(2);
        assertThat(summary(distilled).at("/objectives/distill/modified_context/token_nll").isNumber()).isTrue();
    }

    /**
     * Alpaca through the launcher (about two and a half minutes on 2 cores): in the full tier only
     * ({@code -Dalignloss.bench=true}); {@code AlpacaLanguageModelTest} checks the same numbers in-process in CI.
     */
    @Test
    @EnabledIfSystemProperty(named = "alignloss.bench", matches = "true")
    void onAlpacaALanguageModelAndADistillationRoundTrainAndEvaluate() throws Exception {
        Assumptions.assumeTrue(ALPACA.isFile(), "../shared/data/alpaca is absent: skipping the Alpaca launcher test");
        JsonNode rows = SummaryJson.mapper().readTree(ALPACA);
        List<Row> sequences = new ArrayList<>();
        List<Row> distillation = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String input = row.path("input").asText("");
            String prompt = row.get("instruction").asText() + (input.isEmpty() ? "" : "\n\n" + input);
            sequences.add(RowFactory.create("a" + i, prompt, row.get("output").asText(), i < 4500 ? "train" : "heldout"));
            if (i >= 4500 && i < 4600 && !input.isEmpty()) {
                // distil the instruction + input behaviour into the instruction alone
                distillation.add(RowFactory.create("d" + i, prompt, row.get("instruction").asText(), row.get("output").asText()));
            }
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("split", DataTypes.StringType);
        String train = temp.resolve("alpaca-train.parquet").toString();
        String heldOut = temp.resolve("alpaca-heldout.parquet").toString();
        spark.createDataFrame(sequences, schema).filter("split = 'train'").write().parquet(train);
        spark.createDataFrame(sequences, schema).filter("split = 'heldout'").write().parquet(heldOut);
        String distil = temp.resolve("alpaca-distil.parquet").toString();
        spark.createDataFrame(distillation, new StructType().add("id", DataTypes.StringType).add("context", DataTypes.StringType)
                .add("modified_context", DataTypes.StringType).add("reference", DataTypes.StringType)).write().parquet(distil);

        Path lm = temp.resolve("alpaca-lm");
        Outcome trained = launch("train", "--config", "conf/train-lm.conf", "--out", lm.toString(),
                "--set", "inputs.seqs.path=" + train, "--set", "groups=[]");
        assertThat(trained.status()).as(trained.stderr()).isEqualTo(0);

        Path evaluated = temp.resolve("alpaca-eval");
        Outcome evaluation = launch("evaluate", "--config", "conf/evaluate-lm.conf", "--out", evaluated.toString(),
                "--set", "inputs.seqs.path=" + heldOut, "--set", "groups=[]",
                "--set", "objectives.conditional-trained.model=" + lm.resolve("model"),
                "--set", "objectives.joint-trained.model=" + lm.resolve("model"));
        assertThat(evaluation.status()).as(evaluation.stderr()).isEqualTo(0);
        double heldOutNll = summary(evaluated).at("/objectives/conditional-trained/conditional/token_nll").asDouble();
        // the unigram model of these responses has held-out token NLL 7.43 (AlpacaLanguageModelTest)
        assertThat(heldOutNll).isLessThan(7.0);

        Path distilled = temp.resolve("alpaca-distilled");
        Outcome selfTrained = launch("train", "--config", "conf/train-self-target.conf", "--out", distilled.toString(),
                "--set", "inputs.st.path=" + distil, "--set", "groups=[]", "--set", "train.init-model=" + lm.resolve("model"),
                "--set", "train.rounds=2", "--set", "objectives.distill.max-target-tokens=16");
        assertThat(selfTrained.status()).as(selfTrained.stderr()).isEqualTo(0);
        JsonNode rounds = summary(distilled).at("/train/rounds");
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(0).get("target_token_nll_after").asDouble()).isLessThan(rounds.get(0).get("target_token_nll_before").asDouble());
        assertThat(summary(distilled).at("/objectives/distill/reference/token_nll").isNumber()).isTrue();
    }
}
