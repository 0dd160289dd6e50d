package io.alignloss.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Covariate shift on generated data: prompts about cooking (loss ≈ 0.2) or about law (loss ≈ 1.0); the
 * dataset is 90% cooking, the reference population 50/50. The domain classifier must tell them apart on
 * held-out rows, and the importance-weighted loss must move from the dataset's ≈ 0.28 towards the
 * population's ≈ 0.6; against a reference drawn like the dataset the AUC is near 0.5.
 */
class CovariateShiftTest extends LocalSparkTest {
    private static final String[] COOKING = "recipe oven bake flour sugar simmer garlic onion pasta sauce".split(" ");
    private static final String[] LAW = "contract court statute tenant liability appeal clause judge lawsuit verdict".split(" ");
    private static final String[] COMMON = "please explain how what the a to should i my is".split(" ");

    @TempDir
    Path temp;

    private static String prompt(SplittableRandom random, String[] topic) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 8; w++) {
            text.append(random.nextDouble() < 0.5 ? topic[random.nextInt(topic.length)] : COMMON[random.nextInt(COMMON.length)]).append(' ');
        }
        return text.toString().trim();
    }

    private String write(String name, int rows, double cookingShare, long seed, boolean withScores) {
        SplittableRandom random = new SplittableRandom(seed);
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType);
        if (withScores) {
            schema = schema.add("quality", DataTypes.DoubleType);
        }
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            boolean cooking = random.nextDouble() < cookingShare;
            String prompt = prompt(random, cooking ? COOKING : LAW);
            // loss = −quality: ≈ 0.2 for cooking, ≈ 1.0 for law
            double quality = -((cooking ? 0.2 : 1.0) + 0.1 * (random.nextDouble() - 0.5));
            String response = prompt(random, COMMON); // responses alike on both sides: only the prompts differ
            data.add(withScores ? RowFactory.create(name + i, prompt, response, quality) : RowFactory.create(name + i, prompt, response));
        }
        String path = temp.resolve(name).toString();
        spark.createDataFrame(data, schema).write().parquet(path);
        return path;
    }

    private JsonNode run(String data, String reference) throws Exception {
        Path config = temp.resolve("shift-" + System.nanoTime() + ".conf");
        Files.writeString(config, """
                inputs.seqs { path = "%s", kind = sequence }
                objectives = [ { name = eu, type = expected-utility, input = seqs, utility { quality = 1 } } ]
                reference { path = "%s" }
                shift { clip = 20 }
                """.formatted(data, reference));
        Path out = temp.resolve("out-" + System.nanoTime());
        assertThat(Main.execute("evaluate", "--config", config.toString(), "--out", out.toString())).isEqualTo(0);
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("objectives").get("eu");
    }

    @Test
    void shiftedDatasetIsDetectedAndReweightedTowardsThePopulation() throws Exception {
        String data = write("data", 4000, 0.9, 1, true);
        JsonNode eu = run(data, write("population", 4000, 0.5, 2, false));
        JsonNode shift = eu.get("shift");
        assertThat(eu.get("loss").asDouble()).isCloseTo(0.28, within(0.03));
        // a perfect topic classifier reaches AUC 0.5·0.9 + 0.5·(0.5·0.1 + 0.5·0.9) = 0.70 here
        assertThat(shift.get("auc").asDouble()).isGreaterThan(0.6);
        assertThat(shift.get("weighted_loss").asDouble()).isBetween(0.5, 0.7);
        assertThat(shift.get("weighted_ci").get(0).asDouble()).isLessThan(shift.get("weighted_loss").asDouble());
        assertThat(shift.get("reference_rows").asLong()).isEqualTo(4000);
    }

    @Test
    void referenceLikeTheDatasetShowsNoShift() throws Exception {
        String data = write("same", 4000, 0.9, 3, true);
        JsonNode shift = run(data, write("alike", 4000, 0.9, 4, false)).get("shift");
        assertThat(shift.get("auc").asDouble()).isCloseTo(0.5, within(0.06));
        assertThat(shift.get("weighted_loss").asDouble()).isCloseTo(0.28, within(0.04));
    }
}
