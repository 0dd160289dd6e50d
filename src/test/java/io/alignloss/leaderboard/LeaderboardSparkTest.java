package io.alignloss.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
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

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fit against MLlib, on the real GenAI-Arena battles, and the job's outputs. */
class LeaderboardSparkTest extends LocalSparkTest {
    private static final String T2I = "../shared/data/genai-arena/t2i_anony";

    @TempDir
    Path temp;

    @Test
    void penalisedFitEqualsMllibLogisticRegression() {
        double l2 = 0.02;
        Comparisons data = Comparisons.of(BradleyTerryFitTest.roundRobin(9));
        NewtonSolver.Fit fit = NewtonSolver.minimise(new BradleyTerryLoss(data, l2));
        assertThat(fit.converged()).isTrue();

        // x = e_a − e_b; label 1 a won, 0 b won; a tie is two rows of weight ½ (labels 1 and 0)
        List<Row> rows = new ArrayList<>();
        int n = data.modelCount();
        for (int k = 0; k < data.size(); k++) {
            double[] x = new double[n];
            x[data.a[k]] = 1;
            x[data.b[k]] = -1;
            if (data.y[k] == 0.5) {
                rows.add(RowFactory.create(Vectors.dense(x), 1.0, 0.5 * data.count[k]));
                rows.add(RowFactory.create(Vectors.dense(x), 0.0, 0.5 * data.count[k]));
            }
            else {
                rows.add(RowFactory.create(Vectors.dense(x), data.y[k], data.count[k]));
            }
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType)
                .add("weight", DataTypes.DoubleType);
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        // MLlib minimises Σ w ℓ / Σ w + regParam/2 ||β||² (on the original scale with standardization off): our f(θ)
        LogisticRegressionModel model = new LogisticRegression().setFitIntercept(false).setStandardization(false)
                .setRegParam(l2).setElasticNetParam(0).setWeightCol("weight").setMaxIter(1000).setTol(1e-12).fit(frame);
        double[] objectiveHistory = model.summary().objectiveHistory();
        double mllibObjective = objectiveHistory[objectiveHistory.length - 1];
        assertThat(Math.abs(fit.objective() - mllibObjective) / mllibObjective).isLessThan(1e-6);
        double[] beta = model.coefficients().toArray();
        for (int i = 0; i < n; i++) {
            assertThat(fit.theta()[i]).as("θ of %s", data.models.get(i)).isCloseTo(beta[i], within(1e-4));
        }
    }

    @Test
    void t2iArenaRatingsSatisfyTheOptimalityConditionRecomputedFromTheRawRows() throws Exception {
        assumeTrue(new File(T2I).isDirectory(), "skipped: " + T2I + " is absent (../shared/data is not checked out beside the project)");
        Path out = temp.resolve("t2i");
        LeaderboardJob.Result result = new LeaderboardJob(new LeaderboardJob.Settings(T2I, out.toString(), 0, 400, 1000,
                Optional.empty(), 20, 42, false)).run(spark);

        assertThat(result.figures().get("converged")).isEqualTo(true);
        assertThat(result.standings()).isNotEmpty().allMatch(standing -> Double.isFinite(standing.rating()) && !standing.unbounded());
        assertThat(result.standings()).allMatch(standing -> standing.lower() <= standing.rating() && standing.rating() <= standing.upper());
        assertThat(result.standings().stream().mapToDouble(Standing::rating).average().orElseThrow()).isCloseTo(1000, within(1e-6));

        // What this checks, independently of the fit's code: from the raw rows (plain Java over the collected rows, not
        // the Spark aggregation) and the published ratings turned back into θ = (rating − base)·ln 10 / scale, the
        // first-order optimality condition of the unpenalised likelihood holds: for each model, the sum over its
        // battles of (its result − its predicted win probability) is 0 (a tie is a result of ½). It also checks the
        // per-model battle counts and wins against the raw rows.
        Map<String, Double> theta = new HashMap<>();
        for (Standing standing : result.standings()) {
            theta.put(standing.model(), (standing.rating() - 1000) * Math.log(10) / 400);
        }
        Map<String, Double> residual = new HashMap<>();
        Map<String, Long> battles = new HashMap<>();
        Map<String, Long> wins = new HashMap<>();
        long valid = 0;
        for (Row row : spark.read().parquet(T2I).select("model_a", "model_b", "winner").collectAsList()) {
            String a = row.getString(0);
            String b = row.getString(1);
            String winner = row.getString(2);
            if (a == null || b == null || a.isBlank() || b.isBlank() || a.equals(b) || Winner.parse(winner).isEmpty()) {
                continue;
            }
            valid++;
            double y = winner.equals("model_a") ? 1 : winner.equals("model_b") ? 0 : 0.5;
            double p = 1 / (1 + Math.exp(-(theta.get(a) - theta.get(b))));
            residual.merge(a, y - p, Double::sum);
            residual.merge(b, (1 - y) - (1 - p), Double::sum);
            battles.merge(a, 1L, Long::sum);
            battles.merge(b, 1L, Long::sum);
            wins.merge(winner.equals("model_a") ? a : b, winner.startsWith("tie") ? 0L : 1L, Long::sum);
        }
        assertThat(result.figures().get("battles")).isEqualTo(valid);
        assertThat(result.standings()).hasSize(theta.size());
        for (Standing standing : result.standings()) {
            assertThat(Math.abs(residual.get(standing.model())) / standing.battles()).as("optimality of %s", standing.model()).isLessThan(1e-6);
            assertThat(standing.battles()).isEqualTo(battles.get(standing.model()));
            assertThat(standing.wins()).isEqualTo(wins.getOrDefault(standing.model(), 0L));
        }
        // the ranking as published (printed for the record)
        for (Standing standing : result.standings().subList(0, Math.min(3, result.standings().size()))) {
            System.out.printf("t2i_anony: %s %.2f [%.2f, %.2f] over %d battles%n", standing.model(), standing.rating(),
                    standing.lower(), standing.upper(), standing.battles());
        }
        List<String> csv = Files.readAllLines(out.resolve("leaderboard.csv"));
        assertThat(csv.get(0)).isEqualTo("model,rating,lower,upper,battles");
        assertThat(csv).hasSize(result.standings().size() + 1);
        assertThat(csv.get(1)).startsWith(result.standings().get(0).model() + ",");
    }

    @Test
    void unboundedModelIsReportedInJsonAndCsv() throws Exception {
        Path battles = temp.resolve("unbounded-battles");
        writeBattles(battles, List.of(
                battle("champion", "bravo", "model_a"), battle("charlie", "champion", "model_b"),
                battle("bravo", "charlie", "model_a"), battle("bravo", "charlie", "model_a"), battle("charlie", "bravo", "model_a")));
        Path out = temp.resolve("unbounded-out");
        new LeaderboardJob(new LeaderboardJob.Settings(battles.toString(), out.toString(), 0, 400, 1000, Optional.empty(), 0, 42, false))
                .run(spark);
        JsonNode json = SummaryJson.mapper().readTree(out.resolve("leaderboard.json").toFile());
        assertThat(json.get("warnings").get(0).asText()).contains("'champion' never lost");
        JsonNode first = json.get("models").get(0);
        assertThat(first.get("model").asText()).isEqualTo("champion");
        assertThat(first.get("unbounded").asBoolean()).isTrue();
        assertThat(first.get("rating").isNull()).isTrue();
        assertThat(json.get("models").get(1).get("rating").isNumber()).isTrue();
        assertThat(Files.readAllLines(out.resolve("leaderboard.csv"))).contains("champion,,,,2");
    }

    static Row battle(String a, String b, String winner) {
        return RowFactory.create(a, b, winner);
    }

    void writeBattles(Path path, List<Row> rows) {
        StructType schema = new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                .add("winner", DataTypes.StringType);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path.toString());
    }
}
