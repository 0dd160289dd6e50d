package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.model.RewardModel;
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
 * {@code train.objective-estimator = ips | snips}: a policy trained on logged data (each prompt's candidates,
 * one shown by a uniform behaviour policy with its utility recorded) improves the true expected utility, which
 * the test knows because it generated every candidate's utility.
 */
class TrainOffPolicyTest extends LocalSparkTest {
    private static final int PROMPTS = 400;

    @TempDir
    Path temp;

    /** Candidate embeddings (e₀, e₁, 1) and true utilities U = 2·e₀ − e₁ + noise; [prompt][candidate][0..3] = e₀, e₁, U. */
    private final double[][][] truth = new double[PROMPTS][][];
    /** The candidate each prompt showed (logged). */
    private final int[] shownCandidate = new int[PROMPTS];

    private String logged() {
        StructType schema = new StructType().add("prompt_id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
                .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)).add("behavior_prob", DataTypes.DoubleType)
                .add("logged", DataTypes.BooleanType);
        SplittableRandom random = new SplittableRandom(23);
        List<Row> rows = new ArrayList<>();
        for (int x = 0; x < PROMPTS; x++) {
            int m = 2 + random.nextInt(3);
            int shown = random.nextInt(m);
            shownCandidate[x] = shown;
            truth[x] = new double[m][];
            for (int y = 0; y < m; y++) {
                double e0 = random.nextDouble() * 2 - 1;
                double e1 = random.nextDouble() * 2 - 1;
                double reward = 2 * e0 - e1 + 0.1 * (random.nextDouble() - 0.5);
                truth[x][y] = new double[] {e0, e1, reward};
                boolean isShown = y == shown;
                rows.add(RowFactory.create("p" + x, "prompt " + x, "response " + x + "/" + y, isShown ? reward : null,
                        List.of(e0, e1, 1.0), isShown ? 1.0 / m : null, isShown));
            }
        }
        String path = temp.resolve("logged.parquet").toString();
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(path);
        return path;
    }

    // V(π_θ) = mean_x Σ_y π_θ(y|x)·U(x, y), with every candidate's true utility
    private double trueValue(double[] theta) {
        double total = 0;
        for (double[][] set : truth) {
            double max = Double.NEGATIVE_INFINITY;
            double[] s = new double[set.length];
            for (int y = 0; y < set.length; y++) {
                s[y] = theta[0] * set[y][0] + theta[1] * set[y][1] + theta[2];
                max = Math.max(max, s[y]);
            }
            double z = 0;
            for (double v : s) {
                z += Math.exp(v - max);
            }
            for (int y = 0; y < set.length; y++) {
                total += Math.exp(s[y] - max) / z * set[y][2];
            }
        }
        return total / truth.length;
    }

    /**
     * The estimate from the logged rows by hand: w_x = π_θ(a_x|x) / b_x on each prompt's shown candidate a_x (b_x = 1/m_x),
     * IPS = Σ w·U / n, SNIPS = Σ w·U / Σ w (features rounded to float, as the policy stores them).
     */
    private double loggedEstimate(double[] theta, boolean selfNormalised) {
        double numerator = 0;
        double weights = 0;
        for (int x = 0; x < PROMPTS; x++) {
            double[][] features = new double[truth[x].length][];
            for (int y = 0; y < features.length; y++) {
                features[y] = new double[] {truth[x][y][0], truth[x][y][1], 1.0};
            }
            int a = shownCandidate[x];
            double w = io.alignloss.testing.PlainPolicy.probabilities(theta, features)[a] * truth[x].length;
            numerator += w * truth[x][a][2];
            weights += w;
        }
        return numerator / (selfNormalised ? weights : PROMPTS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ipsAndSnipsTrainingRaiseTheTrueExpectedUtility() {
        String path = logged();
        double uniform = trueValue(new double[3]);
        // the best possible policy picks each prompt's best candidate
        double oracle = 0;
        for (double[][] set : truth) {
            double best = Double.NEGATIVE_INFINITY;
            for (double[] candidate : set) {
                best = Math.max(best, candidate[2]);
            }
            oracle += best / truth.length;
        }
        for (String estimator : new String[] {"ips", "snips"}) {
            Path out = temp.resolve("out-" + estimator);
            TrainJob.Settings settings = new TrainJob.Settings(Configs.parse("inputs.logged { path = \"" + path + "\", kind = sequence }\n"
                    + "objectives = [ { name = eu, type = expected-utility, input = logged, utility { reward = 1 }, "
                    + "features { type = embedding } } ]\n"
                    + "train { objective = eu, objective-estimator = " + estimator + ", l2 = 1e-2, max-iter = 50, checkpoint-every = 0 }\n"
                    + "bootstrap = 0"), out.toString(), true, 0.01, 42, false);
            EvaluateJob.Result result = new TrainJob(settings).run(spark);
            Map<String, Object> train = (Map<String, Object>) SummaryMaps.of(result.summary()).get("train");
            assertThat(train.get("estimator")).isEqualTo(estimator);
            Map<String, Object> before = (Map<String, Object>) train.get("uniform");
            Map<String, Object> after = (Map<String, Object>) train.get("train");
            assertThat(((Number) after.get("prompts")).longValue()).isEqualTo(PROMPTS);
            assertThat(((Number) after.get("logged")).longValue()).isEqualTo(PROMPTS);
            double[] theta = RewardModel.load(out.resolve("model").toString(), spark.sparkContext().hadoopConfiguration()).weights();
            // the reported estimates against the logged rows and the saved θ by hand; mean_utility is the chosen estimator's
            double ips = loggedEstimate(theta, false);
            double snips = loggedEstimate(theta, true);
            assertThat((Double) after.get("ips")).isCloseTo(ips, within(1e-9));
            assertThat((Double) after.get("snips")).isCloseTo(snips, within(1e-9));
            double chosen = estimator.equals("ips") ? ips : snips;
            assertThat((Double) after.get("mean_utility")).isCloseTo(chosen, within(1e-9));
            assertThat((Double) after.get("loss")).isCloseTo(-chosen, within(1e-9));
            // at θ = 0 every candidate is equally likely: w = 1, IPS = SNIPS = the logged rows' mean utility
            assertThat((Double) before.get("mean_utility")).isCloseTo(loggedEstimate(new double[3], false), within(1e-12));
            double trained = trueValue(theta);
            System.out.printf("%s: estimate %.4f -> %.4f; true value uniform %.4f, trained %.4f, best candidate %.4f%n", estimator,
                    before.get("mean_utility"), after.get("mean_utility"), uniform, trained, oracle);
            // U is centred, so the uniform policy's true value is ≈ 0; the trained one must close more than a third of the gap to the best
            assertThat(trained).isGreaterThan(uniform + (oracle - uniform) / 3).isLessThanOrEqualTo(oracle);
            assertThat((Double) after.get("mean_utility")).isGreaterThan((Double) before.get("mean_utility"));
            // the evaluation after training estimates the trained policy's value from the logged rows with it as the target
            // (the same figure up to float storage of the cached features)
            Map<String, Object> eu = (Map<String, Object>) ((Map<String, Object>) SummaryMaps.of(result.summary()).get("objectives")).get("eu");
            assertThat(((Number) eu.get("count")).longValue()).isEqualTo(PROMPTS);
            assertThat((Double) ((Map<String, Object>) eu.get(estimator)).get("value")).isCloseTo((Double) after.get(estimator), within(1e-6));
        }
    }
}
