package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.testing.SummaryMaps;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code train} on an expected-utility objective fits a softmax policy over the candidates sharing a
 * prompt_id: the policy's mean utility E_x E_π[U] rises above the uniform policy's. The reported figures are checked
 * against the generated rewards and the saved θ, computed exactly over each candidate set with plain loops.
 */
class TrainPolicyTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private static final int PROMPTS = 60;
    private static final int CANDIDATES = 3;
    /** The generated candidates: [prompt][candidate] = (e₀, e₁, 1) features, and their rewards. */
    private final double[][][] features = new double[PROMPTS][CANDIDATES][];
    private final double[][] rewards = new double[PROMPTS][CANDIDATES];

    /** 60 prompts × 3 candidates; U = 2·e₀ − e₁ + noise, so a policy on the embedding can find the better candidates. */
    private String candidates() {
        StructType schema = new StructType().add("prompt_id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
                .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType));
        SplittableRandom random = new SplittableRandom(17);
        List<Row> rows = new ArrayList<>();
        for (int x = 0; x < PROMPTS; x++) {
            for (int y = 0; y < CANDIDATES; y++) {
                double e0 = random.nextDouble() * 2 - 1;
                double e1 = random.nextDouble() * 2 - 1;
                double reward = 2 * e0 - e1 + 0.1 * (random.nextDouble() - 0.5);
                features[x][y] = new double[] {e0, e1, 1.0};
                rewards[x][y] = reward;
                rows.add(RowFactory.create("p" + x, "prompt " + x, "response " + x + "/" + y, reward, List.of(e0, e1, 1.0)));
            }
        }
        String path = temp.resolve("candidates.parquet").toString();
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);
        return path;
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingRaisesTheMeanUtilityAndTheFiguresEqualAPlainComputationOverTheCandidateSets() throws Exception {
        String path = candidates();
        Path out = temp.resolve("out");
        TrainJob.Settings settings = new TrainJob.Settings(Configs.parse("inputs.cands { path = \"" + path + "\", kind = sequence }\n"
                + "objectives = [ { name = eu, type = expected-utility, input = cands, utility { reward = 1 }, "
                + "features { type = embedding }, entropy = 0.01 } ]\n"
                + "train { objective = eu, l2 = 1e-3, max-iter = 50, checkpoint-every = 0 }\nbootstrap = 0"),
                out.toString(), true, 0.01, 42, false);
        EvaluateJob.Result result = new TrainJob(settings).run(spark);

        Map<String, Object> train = (Map<String, Object>) SummaryMaps.of(result.summary()).get("train");
        Map<String, Object> uniform = (Map<String, Object>) train.get("uniform");
        Map<String, Object> trained = (Map<String, Object>) train.get("train");
        double before = (Double) uniform.get("mean_utility");
        double after = (Double) trained.get("mean_utility");
        System.out.printf("policy mean utility: uniform %.4f, trained %.4f, final objective %s, iterations %s%n", before, after,
                train.get("final_objective"), train.get("iterations"));
        assertThat(((Number) trained.get("prompts")).longValue()).isEqualTo(PROMPTS);
        assertThat(after).isGreaterThan(before + 0.5);

        // by hand: V(π) = (1/60)·Σ_x Σ_y π_θ(y|x)·U(x, y) with the saved θ; V(uniform) = (1/60)·Σ_x (1/3)·Σ_y U(x, y);
        // the row mean over all 180 candidates (the objective's own figure) equals V(uniform) only because every set has 3
        double[] theta = io.alignloss.model.RewardModel.load(out.resolve("model").toString(),
                spark.sparkContext().hadoopConfiguration()).weights();
        double policyValue = 0;
        double uniformValue = 0;
        for (int x = 0; x < PROMPTS; x++) {
            policyValue += io.alignloss.testing.PlainPolicy.expectedUtility(theta, features[x], rewards[x]) / PROMPTS;
            for (int y = 0; y < CANDIDATES; y++) {
                uniformValue += rewards[x][y] / (CANDIDATES * PROMPTS);
            }
        }
        System.out.printf("by hand: uniform %.6f, trained policy %.6f%n", uniformValue, policyValue);
        assertThat(after).isCloseTo(policyValue, within(1e-9));
        assertThat((Double) trained.get("loss")).isCloseTo(-policyValue, within(1e-9));
        assertThat(before).isCloseTo(uniformValue, within(1e-9));
        assertThat((Double) uniform.get("loss")).isCloseTo(-uniformValue, within(1e-9));
        assertThat(train.get("model_kind")).isEqualTo("policy");
        assertThat((List<Object>) train.get("history")).isNotEmpty();

        JsonNode model = new ObjectMapper().readTree(out.resolve("model/model.json").toFile());
        assertThat(model.toString()).contains("\"model\":\"policy\"");
        // the evaluation of the objective itself: −E[U] over the candidate rows, and the trained policy's exact value
        Map<String, Object> eu = (Map<String, Object>) ((Map<String, Object>) SummaryMaps.of(result.summary()).get("objectives")).get("eu");
        assertThat((Double) eu.get("mean_utility")).isCloseTo(uniformValue, within(1e-12));
        assertThat((Double) eu.get("loss")).isCloseTo(-uniformValue, within(1e-12));
        Map<String, Object> policy = (Map<String, Object>) eu.get("policy");
        assertThat((Double) policy.get("mean_utility")).isCloseTo(policyValue, within(1e-9));
        assertThat((Double) policy.get("uniform_mean_utility")).isCloseTo(uniformValue, within(1e-9));
    }
}
