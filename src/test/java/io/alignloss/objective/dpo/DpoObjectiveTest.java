package io.alignloss.objective.dpo;

import io.alignloss.config.DpoOptions;
import io.alignloss.config.DpoReference;
import io.alignloss.config.JobConfig;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.diagnostics.Cell;
import io.alignloss.diagnostics.LossEstimates;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The dpo objective's Spark columns against a plain-Java loop written here from the formulas of issue 18 (naive
 * {@code log σ(z) = −log(1 + e^−z)} on moderate margins, not {@link DpoLoss}), its figures against weighted means of
 * that loop, ties, the reject rules through the input reader, and its intervals from the bootstrap of
 * {@link LossEstimates}.
 */
class DpoObjectiveTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("chosen_logps", DataTypes.DoubleType)
            .add("rejected_logps", DataTypes.DoubleType)
            .add("ref_chosen_logps", DataTypes.DoubleType)
            .add("ref_rejected_logps", DataTypes.DoubleType)
            .add("chosen_tokens", DataTypes.IntegerType)
            .add("rejected_tokens", DataTypes.IntegerType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType);

    private static final List<String> ENTRIES = List.of(
            "{ name = s, type = dpo, input = in }",
            "{ name = s, type = dpo, input = in, beta = 0.3, label-smoothing = 0.2 }",
            "{ name = s, type = dpo, input = in, beta = 0.2, loss-type = robust, label-smoothing = 0.2 }",
            "{ name = s, type = dpo, input = in, beta = 0.05, loss-type = hinge }",
            "{ name = s, type = dpo, input = in, beta = 0.1, loss-type = ipo }",
            "{ name = s, type = dpo, input = in, beta = 0.5, loss-type = sigmoid_norm }",
            "{ name = s, type = dpo, input = in, beta = 0.1, reference = none }",
            "{ name = s, type = dpo, input = in, beta = 2, loss-type = ipo, reference = none }");

    @TempDir
    Path temp;

    private static DpoObjective objective(String entry) {
        return new DpoObjective(Configs.objective("preference", entry));
    }

    /** One pair as the test's plain-Java reference reads it. */
    private record Pair(String id, double c, double r, double c0, double r0, int nc, int nr, double weight) {
        Row row() {
            return RowFactory.create(id, "p", "a", "b", c, r, c0, r0, nc, nr, 1.0, weight);
        }
    }

    private static List<Pair> randomPairs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int nc = 5 + random.nextInt(200);
            int nr = 5 + random.nextInt(200);
            double c = -nc * (0.2 + random.nextDouble());
            double r = -nr * (0.2 + random.nextDouble());
            double c0 = c + 8 * (random.nextDouble() - 0.5);
            double r0 = r + 8 * (random.nextDouble() - 0.5);
            double weight = new double[] {0.5, 1, 2}[random.nextInt(3)];
            pairs.add(new Pair("r" + i, c, r, c0, r0, nc, nr, weight));
        }
        return pairs;
    }

    private static double logSigmoid(double z) {
        return -Math.log(1 + Math.exp(-z));
    }

    /** The loss of one pair, straight from the formulas. */
    private static double expectedLoss(DpoOptions options, Pair p) {
        boolean logged = options.reference() == DpoReference.LOGGED;
        double c0 = logged ? p.c0() : 0;
        double r0 = logged ? p.r0() : 0;
        double beta = options.beta();
        double eps = options.labelSmoothing();
        double delta = (p.c() - c0) - (p.r() - r0);
        double normalised = (p.c() / p.nc() - c0 / p.nc()) - (p.r() / p.nr() - r0 / p.nr());
        return switch (options.lossType()) {
            case SIGMOID -> -(1 - eps) * logSigmoid(beta * delta) - eps * logSigmoid(-beta * delta);
            case ROBUST -> (-(1 - eps) * logSigmoid(beta * delta) + eps * logSigmoid(-beta * delta)) / (1 - 2 * eps);
            case HINGE -> Math.max(0, 1 - beta * delta);
            case IPO -> Math.pow(normalised - 1 / (2 * beta), 2);
            case SIGMOID_NORM -> -logSigmoid(beta * normalised);
        };
    }

    private Dataset<Row> frame(List<Pair> pairs) {
        return spark.createDataFrame(pairs.stream().map(Pair::row).toList(), SCHEMA)
                .withColumn("chosen_tokens", col("chosen_tokens").cast("double"))
                .withColumn("rejected_tokens", col("rejected_tokens").cast("double"));
    }

    @Test
    void columnsAgreeWithAPlainJavaLoopOnRandomPairsForEveryLossType() {
        List<Pair> pairs = randomPairs(300, 18);
        List<String> figures = List.of("loss", "chosen_reward", "rejected_reward", "margin", "correct", "both_rewards_negative");
        // every loss type's figures in one select (one Spark job)
        List<Column> columns = new ArrayList<>(List.of(col("id")));
        for (String entry : ENTRIES) {
            Map<String, Column> perExample = objective(entry).perExample();
            figures.forEach(figure -> columns.add(perExample.get(figure)));
        }
        Map<String, Row> byId = new HashMap<>();
        frame(pairs).select(columns.toArray(Column[]::new)).collectAsList().forEach(row -> byId.put(row.getString(0), row));
        assertThat(byId).hasSize(pairs.size());
        for (int k = 0; k < ENTRIES.size(); k++) {
            String entry = ENTRIES.get(k);
            DpoOptions options = objective(entry).options();
            boolean logged = options.reference() == DpoReference.LOGGED;
            int at = 1 + k * figures.size();
            for (Pair p : pairs) {
                Row row = byId.get(p.id());
                double expected = expectedLoss(options, p);
                assertThat(row.getDouble(at)).as(entry + " " + p).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
                double chosenReward = options.beta() * (p.c() - (logged ? p.c0() : 0));
                double rejectedReward = options.beta() * (p.r() - (logged ? p.r0() : 0));
                assertThat(row.getDouble(at + 1)).isCloseTo(chosenReward, within(1e-12));
                assertThat(row.getDouble(at + 2)).isCloseTo(rejectedReward, within(1e-12));
                assertThat(row.getDouble(at + 3)).isCloseTo(chosenReward - rejectedReward, within(1e-12));
                assertThat(row.getBoolean(at + 4)).isEqualTo(chosenReward - rejectedReward > 0);
                assertThat(row.getBoolean(at + 5)).isEqualTo(chosenReward < 0 && rejectedReward < 0);
            }
        }
    }

    /** The statistics the scan would sum, from the objective's columns, aggregated by Spark. */
    private LossStats sparkStats(DpoObjective objective, Dataset<Row> rows) {
        List<Column> aggregates = new ArrayList<>(List.of(count(lit(1)), sum(col("weight")),
                sum(col("weight").multiply(objective.lossNumerator()))));
        List<String> names = new ArrayList<>(objective.sums().keySet());
        objective.sums().values().forEach(value -> aggregates.add(sum(value)));
        Row total = rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
        LossStats stats = LossStats.empty().addSums(total.getLong(0), total.getDouble(1), total.getDouble(1), total.getDouble(2), 0, 0, 0);
        for (int k = 0; k < names.size(); k++) {
            stats.addSum(names.get(k), total.getDouble(3 + k));
        }
        return stats;
    }

    @Test
    void figuresAreWeightedMeansOverPairs() {
        List<Pair> pairs = randomPairs(200, 7);
        for (String entry : List.of(ENTRIES.get(2), ENTRIES.get(7))) {
            DpoObjective objective = objective(entry);
            DpoOptions options = objective.options();
            boolean logged = options.reference() == DpoReference.LOGGED;
            double w = 0;
            double loss = 0;
            double chosen = 0;
            double rejected = 0;
            double correct = 0;
            double bothNegative = 0;
            for (Pair p : pairs) {
                double cr = options.beta() * (p.c() - (logged ? p.c0() : 0));
                double rr = options.beta() * (p.r() - (logged ? p.r0() : 0));
                w += p.weight();
                loss += p.weight() * expectedLoss(options, p);
                chosen += p.weight() * cr;
                rejected += p.weight() * rr;
                correct += cr - rr > 0 ? p.weight() : 0;
                bothNegative += cr < 0 && rr < 0 ? p.weight() : 0;
            }
            LossStats stats = sparkStats(objective, frame(pairs));
            Map<String, Double> figures = objective.resampledFigures(stats);
            assertThat(stats.loss().getAsDouble()).isCloseTo(loss / w, within(1e-12));
            assertThat(figures.get("rewards_chosen")).isCloseTo(chosen / w, within(1e-12));
            assertThat(figures.get("rewards_rejected")).isCloseTo(rejected / w, within(1e-12));
            assertThat(figures.get("rewards_margin")).isCloseTo((chosen - rejected) / w, within(1e-12));
            assertThat(figures.get("rewards_accuracy")).isCloseTo(correct / w, within(1e-15));
            assertThat(figures.get("both_rewards_negative_share")).isCloseTo(bothNegative / w, within(1e-15));
            // the driver-side accumulation gives the same statistics
            LossStats driver = LossStats.empty();
            pairs.forEach(p -> objective.add(driver, p.weight(), p.c(), p.c0(), p.nc(), p.r(), p.r0(), p.nr()));
            assertThat(driver.loss().getAsDouble()).isCloseTo(loss / w, within(1e-12));
            assertThat(objective.resampledFigures(driver).get("rewards_accuracy")).isCloseTo(correct / w, within(1e-15));
        }
    }

    @Test
    void aTieCountsAsWrongForAccuracy() {
        DpoObjective objective = objective("{ name = s, type = dpo, input = in }");
        // Δ = 0 (both responses gained 2 nats over the reference), Δ = 1, Δ = −1, weights 1, 1, 2
        List<Pair> pairs = List.of(new Pair("tie", -10, -10, -12, -12, 5, 5, 1), new Pair("win", -10, -11, -12, -12, 5, 5, 1),
                new Pair("loss", -11, -10, -12, -12, 5, 5, 2));
        Map<String, Boolean> correct = new HashMap<>();
        frame(pairs).select(col("id"), objective.perExample().get("correct")).collectAsList()
                .forEach(row -> correct.put(row.getString(0), row.getBoolean(1)));
        assertThat(correct).containsEntry("tie", false).containsEntry("win", true).containsEntry("loss", false);
        // 1 of 4 weight units correct; the tie pair's loss is log 2
        assertThat(objective.resampledFigures(sparkStats(objective, frame(pairs))).get("rewards_accuracy")).isEqualTo(0.25);
        assertThat(frame(pairs).filter(col("id").equalTo("tie")).select(objective.lossNumerator()).first().getDouble(0))
                .isCloseTo(Math.log(2), within(1e-15));
    }

    private static Row reject(String id, Double c, Double r, Double c0, Double r0, Double nc, Double nr, Double label) {
        return RowFactory.create(id, "p", "a", "b", c, r, c0, r0, nc, nr, label, 1.0);
    }

    private Map<String, List<String>> reasons(Path file, String entry) {
        JobConfig config = Configs.parse("inputs.in { path = \"" + file + "\", kind = preference }\nobjectives = [ " + entry + " ]");
        DpoObjective objective = new DpoObjective(config.objectives().get(0));
        PreparedInput input = InputReader.prepare(spark, config.inputs().get("in"), objective.columns(), objective.rules(), List.of(),
                new ArrayList<>());
        Map<String, List<String>> byId = new LinkedHashMap<>();
        input.rows().select(col("id"), input.reasons()).collectAsList().forEach(row -> byId.put(row.getString(0), row.getList(1)));
        return byId;
    }

    @Test
    void badLogProbabilitiesTokenCountsAndLabelsAreRejected() {
        List<Row> rows = List.of(
                reject("good", -10.0, -12.0, -11.0, -11.0, 5.0, 6.0, 1.0),
                reject("zero-logp", 0.0, -12.0, 0.0, -11.0, 5.0, 6.0, 1.0),
                reject("null-chosen", null, -12.0, -11.0, -11.0, 5.0, 6.0, 1.0),
                reject("nan-rejected", -10.0, Double.NaN, -11.0, -11.0, 5.0, 6.0, 1.0),
                reject("inf-ref", -10.0, -12.0, Double.NEGATIVE_INFINITY, -11.0, 5.0, 6.0, 1.0),
                reject("positive-ref", -10.0, -12.0, -11.0, 0.5, 5.0, 6.0, 1.0),
                reject("plus-inf", Double.POSITIVE_INFINITY, -12.0, -11.0, -11.0, 5.0, 6.0, 1.0),
                reject("zero-tokens", -10.0, -12.0, -11.0, -11.0, 0.0, 6.0, 1.0),
                reject("negative-tokens", -10.0, -12.0, -11.0, -11.0, 5.0, -1.0, 1.0),
                reject("null-tokens", -10.0, -12.0, -11.0, -11.0, null, 6.0, 1.0),
                reject("soft-label", -10.0, -12.0, -11.0, -11.0, 5.0, 6.0, 0.7),
                reject("tie-label", -10.0, -12.0, -11.0, -11.0, 5.0, 6.0, 0.5),
                reject("zero-label", -10.0, -12.0, -11.0, -11.0, 5.0, 6.0, 0.0),
                reject("two-reasons", 1.0, -12.0, -11.0, -11.0, 0.0, 6.0, 1.0));
        StructType schema = new StructType(Arrays.stream(SCHEMA.fields()).map(field -> field.name().endsWith("_tokens")
                ? new StructField(field.name(), DataTypes.DoubleType, true, field.metadata()) : field).toArray(StructField[]::new));
        Path file = temp.resolve("pairs");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file.toString());
        Map<String, List<String>> ipo = reasons(file, "{ name = s, type = dpo, input = in, loss-type = ipo }");
        assertThat(ipo.get("good")).isEmpty();
        assertThat(ipo.get("zero-logp")).isEmpty();
        for (String id : List.of("null-chosen", "nan-rejected", "inf-ref", "positive-ref", "plus-inf")) {
            assertThat(ipo.get(id)).as(id).containsExactly(RowRule.BAD_LOGPROB);
        }
        for (String id : List.of("zero-tokens", "negative-tokens", "null-tokens")) {
            assertThat(ipo.get(id)).as(id).containsExactly(RowRule.BAD_TOKENS);
        }
        for (String id : List.of("soft-label", "tie-label", "zero-label")) {
            assertThat(ipo.get(id)).as(id).containsExactly(RowRule.BAD_LABEL);
        }
        assertThat(ipo.get("two-reasons")).containsExactlyInAnyOrder(RowRule.BAD_LOGPROB, RowRule.BAD_TOKENS);

        // sigmoid reads no token counts; reference-free reads no reference log-probabilities
        Map<String, List<String>> free = reasons(file, "{ name = s, type = dpo, input = in, reference = none }");
        assertThat(free.get("zero-tokens")).isEmpty();
        assertThat(free.get("null-tokens")).isEmpty();
        assertThat(free.get("inf-ref")).isEmpty();
        assertThat(free.get("positive-ref")).isEmpty();
        assertThat(free.get("null-chosen")).containsExactly(RowRule.BAD_LOGPROB);
        assertThat(free.get("soft-label")).containsExactly(RowRule.BAD_LABEL);
    }

    @Test
    void aLengthNormalisedLossNeedsTheTokenColumns() {
        Path file = temp.resolve("no-tokens");
        frame(randomPairs(3, 1)).drop("chosen_tokens", "rejected_tokens").coalesce(1).write().parquet(file.toString());
        JobConfig config = Configs.parse("inputs.in { path = \"" + file + "\", kind = preference }\n"
                + "objectives = [ { name = s, type = dpo, input = in, loss-type = sigmoid_norm } ]");
        DpoObjective objective = new DpoObjective(config.objectives().get(0));
        assertThatThrownBy(() -> InputReader.prepare(spark, config.inputs().get("in"), objective.columns(), objective.rules(), List.of(),
                new ArrayList<>())).isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SCHEMA))
                .hasMessageContaining("required column 'chosen_tokens' (double (or float, integer, decimal), needed by objective s "
                        + "(dpo, loss-type sigmoid_norm)) is missing");
    }

    @Test
    void everyFigureGetsItsIntervalFromTheBootstrap() {
        DpoObjective objective = objective("{ name = s, type = dpo, input = in, loss-type = hinge }");
        List<Pair> pairs = randomPairs(400, 3);
        LossStats[] buckets = new LossStats[50];
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            int bucket = i % buckets.length;
            buckets[bucket] = objective.add(buckets[bucket] == null ? LossStats.empty() : buckets[bucket], p.weight(), p.c(), p.c0(),
                    p.nc(), p.r(), p.r0(), p.nr());
        }
        List<Cell> cells = new ArrayList<>();
        for (int b = 0; b < buckets.length; b++) {
            cells.add(new Cell(List.of(), b, buckets[b]));
        }
        Map<String, Object> figures = LossEstimates.estimate(List.of(), cells,
                new LossEstimates.Settings(200, 0.95, 11, 30, Map.of(), Optional.empty()), stats -> {
                    Map<String, Object> base = new LinkedHashMap<>();
                    base.put("loss", Json.number(stats.loss()));
                    base.putAll(objective.figures(stats));
                    return base;
                }, objective::resampledFigures, new ArrayList<>());
        assertThat(figures).containsKeys("ci");
        for (String name : List.of("rewards_chosen", "rewards_rejected", "rewards_margin", "rewards_accuracy", "both_rewards_negative_share")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> block = (Map<String, Object>) figures.get(name);
            @SuppressWarnings("unchecked")
            List<Double> ci = (List<Double>) block.get("ci");
            double value = (Double) block.get("value");
            assertThat(ci).as(name).hasSize(2);
            assertThat(ci.get(0)).as(name).isLessThanOrEqualTo(value).isLessThan(ci.get(1));
            assertThat(ci.get(1)).as(name).isGreaterThanOrEqualTo(value);
        }
        assertThat(figures.get("loss_type")).isEqualTo("hinge");
    }
}
