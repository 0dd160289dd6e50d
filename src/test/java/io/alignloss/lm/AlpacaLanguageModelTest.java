package io.alignloss.lm;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.text.Tokens;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language model on real instruction data: Alpaca (instruction + input as the prompt, output as the
 * response), trained on the first 4,500 rows and evaluated on the other 500 with {@code model = …}, against a
 * unigram model of the same training responses computed here in plain Java.
 */
class AlpacaLanguageModelTest extends LocalSparkTest {
    private static final File DATA = new File("../shared/data/alpaca/alpaca_5000.json");
    private static final int TRAIN_ROWS = 4500;

    @TempDir
    Path temp;

    private record Example(String prompt, String response) {
    }

    private static List<Example> examples() throws Exception {
        JsonNode rows = SummaryJson.mapper().readTree(DATA);
        List<Example> examples = new ArrayList<>();
        for (JsonNode row : rows) {
            String input = row.path("input").asText("");
            String prompt = row.get("instruction").asText() + (input.isEmpty() ? "" : "\n\n" + input);
            examples.add(new Example(prompt, row.get("output").asText()));
        }
        return examples;
    }

    private String write(List<Example> examples, String name) {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            rows.add(RowFactory.create(name + "-" + i, examples.get(i).prompt(), examples.get(i).response()));
        }
        Dataset<Row> frame = spark.createDataFrame(rows, schema).repartition(2);
        String path = temp.resolve(name + ".parquet").toString();
        frame.write().parquet(path);
        return path;
    }

    @Test
    void aTrainedModelBeatsTheUnigramModelOnHeldOutResponses() throws Exception {
        Assumptions.assumeTrue(DATA.isFile(), "../shared/data/alpaca is absent: skipping the Alpaca language model test");
        List<Example> examples = examples();
        List<Example> train = examples.subList(0, TRAIN_ROWS);
        List<Example> heldOut = examples.subList(TRAIN_ROWS, examples.size());
        String trainPath = write(train, "train");
        String heldOutPath = write(heldOut, "heldout");

        Path trainConf = temp.resolve("train.conf");
        Files.writeString(trainConf, "inputs.seqs { path = \"" + trainPath + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, mode = conditional } ]\n"
                + "train { " + System.getProperty("alpaca.train",
                        "lr = 0.02, batch-fraction = 0.25, epochs = 12, validation-fraction = 0.1, early-stopping-patience = 3") + " }\n");
        Path trained = temp.resolve("trained");
        assertThat(Main.execute("train", "--config", trainConf.toString(), "--out", trained.toString())).isEqualTo(0);

        Path evalConf = temp.resolve("eval.conf");
        Files.writeString(evalConf, "inputs.seqs { path = \"" + heldOutPath + "\", kind = sequence }\n"
                + "objectives = [ { name = lm, type = sequence-likelihood, input = seqs, model = \"" + trained.resolve("model") + "\" } ]\n");
        Path evaluated = temp.resolve("evaluated");
        assertThat(Main.execute("evaluate", "--config", evalConf.toString(), "--out", evaluated.toString())).isEqualTo(0);
        JsonNode conditional = SummaryJson.mapper().readTree(Files.readString(evaluated.resolve("summary.json"))).at("/objectives/lm/conditional");
        double modelNll = conditional.get("token_nll").asDouble();

        double unigramNll = unigramTokenNll(train, heldOut, 2);
        System.out.printf("Alpaca held-out conditional token NLL: model %.4f (perplexity %.1f), unigram %.4f (perplexity %.1f)%n",
                modelNll, Math.exp(modelNll), unigramNll, Math.exp(unigramNll));
        // one held-out row has an empty output: it is rejected (missing_text), the others are scored with END
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(evaluated.resolve("summary.json")));
        assertThat(summary.at("/inputs/seqs/rejected").asLong()).isEqualTo(heldOut.stream().filter(e -> e.response().isEmpty()).count());
        assertThat(conditional.get("tokens").asLong()).isEqualTo(heldOut.stream().filter(e -> !e.response().isEmpty())
                .mapToLong(e -> Tokens.encode(e.response()).length + 1).sum());
        assertThat(modelNll).isLessThan(unigramNll - Math.log(1.25));
    }

    /**
     * Held-out token NLL of the unigram model of the training responses (with END) over every id: tokens seen at
     * least {@code minCount} times get count / N, the others share the rest evenly, as in the language model.
     */
    private static double unigramTokenNll(List<Example> train, List<Example> heldOut, long minCount) {
        Map<Integer, Long> counts = new HashMap<>();
        long total = 0;
        for (Example example : train) {
            for (int token : LanguageModel.sequence(new int[0], Tokens.encode(example.response()))) {
                counts.merge(token, 1L, Long::sum);
                total++;
            }
        }
        long rare = 0;
        int kept = 0;
        for (long count : counts.values()) {
            if (count >= minCount) {
                kept++;
            }
            else {
                rare += count;
            }
        }
        double nll = 0;
        long tokens = 0;
        for (Example example : heldOut) {
            for (int token : LanguageModel.sequence(new int[0], Tokens.encode(example.response()))) {
                long count = counts.getOrDefault(token, 0L);
                double probability = count >= minCount ? (double) count / total : (double) rare / total / (Tokens.OUTCOMES - kept);
                nll -= Math.log(probability);
                tokens++;
            }
        }
        return nll / tokens;
    }
}
