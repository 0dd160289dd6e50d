package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.config.ClusterKey;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.stats.Expressions;
import io.alignloss.stats.Resampling;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The clustered bootstrap through the evaluate job: a preference input with several pairs per prompt, a
 * {@code topic} column (8 values) and a prompt whose only pair is rejected.
 */
class ClusteredBootstrapTest extends LocalSparkTest {
    private static final long SEED = 42;
    private static final int PROMPTS = 40;

    @TempDir
    static Path temp;
    private Path data;
    private List<Row> rows;

    @BeforeAll
    void writeInput() {
        SplittableRandom random = new SplittableRandom(9);
        rows = new ArrayList<>();
        int id = 0;
        for (int p = 0; p < PROMPTS; p++) {
            double effect = random.nextDouble() * 2 - 1; // pairs of one prompt share a margin offset
            int pairs = 1 + random.nextInt(6);
            for (int i = 0; i < pairs; i++) {
                rows.add(RowFactory.create("r" + id++, (long) p, "topic-" + p % 8, "prompt " + p, "chosen " + id, "rejected " + id,
                        effect + random.nextDouble(), random.nextDouble()));
            }
        }
        // a null prompt_id is one cluster; a prompt whose only pair is rejected (bad_score) is not counted
        rows.add(RowFactory.create("r" + id++, null, "topic-0", "prompt without id", "chosen x", "rejected x", 0.3, 0.1));
        rows.add(RowFactory.create("r" + id++, null, "topic-0", "prompt without id", "chosen y", "rejected y", 0.2, 0.4));
        rows.add(RowFactory.create("r" + id, 999L, "topic-1", "prompt 999", "chosen z", "rejected z", Double.NaN, 0.1));
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt_id", DataTypes.LongType)
                .add("topic", DataTypes.StringType).add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType).add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType);
        data = temp.resolve("prefs.parquet");
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(data.toString());
    }

    private JsonNode evaluate(String name, String clusterLine) throws Exception {
        Path config = temp.resolve(name + ".conf");
        Files.writeString(config, "inputs { prefs { path = \"" + data.toUri() + "\", kind = preference } }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "bootstrap = 100\n" + clusterLine + "\n");
        Path out = temp.resolve(name);
        int status = Main.execute("evaluate", "--config", config.toString(), "--out", out.toString(), "--seed", Long.toString(SEED));
        assertThat(status).isEqualTo(0);
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private static List<String> warnings(JsonNode summary) {
        List<String> warnings = new ArrayList<>();
        summary.get("warnings").forEach(warning -> warnings.add(warning.asText()));
        return warnings;
    }

    private List<Row> accepted() {
        return rows.stream().filter(row -> !Double.isNaN(row.getDouble(6))).toList();
    }

    private static double loss(Row row) {
        return Expressions.softplus(-(row.getDouble(6) - row.getDouble(7)));
    }

    @Test
    void byDefaultPairsOfOnePromptShareABucketAndWithNoneTheyDoNot() {
        InputConfig config = new InputConfig("prefs", data.toString(), InputKind.PREFERENCE);
        PreparedInput clustered = InputReader.prepare(spark, config, List.of(), List.of(), List.of(), new ArrayList<>());
        PreparedInput byRow = InputReader.prepare(spark, config.withCluster(ClusterKey.of(ClusterKey.NONE_VALUE, "test")),
                List.of(), List.of(), List.of(), new ArrayList<>());
        assertThat(clustered.clusterColumn()).contains("prompt_id");
        assertThat(byRow.clusterColumn()).isEmpty();

        Map<Object, Set<Integer>> clusteredBuckets = bucketsByPrompt(clustered);
        assertThat(clusteredBuckets.values()).allSatisfy(buckets -> assertThat(buckets).hasSize(1));
        assertThat(clusteredBuckets.values().stream().flatMap(Set::stream).distinct().count()).isGreaterThan(20);
        Map<Object, Set<Integer>> rowBuckets = bucketsByPrompt(byRow);
        assertThat(rowBuckets.values().stream().filter(buckets -> buckets.size() > 1).count()).isGreaterThan(10);
    }

    private Map<Object, Set<Integer>> bucketsByPrompt(PreparedInput input) {
        Map<Object, Set<Integer>> buckets = new HashMap<>();
        for (Row row : input.rows().select(input.rows().col("prompt_id"), Resampling.bucket(input.bucketHash(SEED))).collectAsList()) {
            buckets.computeIfAbsent(row.isNullAt(0) ? "null" : row.getLong(0), key -> new HashSet<>()).add(row.getInt(1));
        }
        return buckets;
    }

    @Test
    void theSummaryNamesTheClusterCountsThemExactlyAndTheStderrIsClusterRobust() throws Exception {
        JsonNode summary = evaluate("default", "");
        JsonNode bt = summary.get("objectives").get("bt");
        Set<Object> prompts = new HashSet<>();
        accepted().forEach(row -> prompts.add(row.isNullAt(1) ? "null" : row.getLong(1)));
        assertThat(bt.get("ci_cluster").asText()).isEqualTo("prompt_id");
        assertThat(bt.get("clusters").asLong()).isEqualTo(prompts.size()).isEqualTo(PROMPTS + 1);

        // stderr = sqrt(B/(B−1)·Σ_b (Σ_{i∈b} ℓ_i − L̂·n_b)²) / n, each row in the bucket of xxhash64(seed, string(prompt_id))
        Map<String, Integer> bucketOf = new HashMap<>();
        for (Row row : spark.read().parquet(data.toString())
                .select(expr("id"), expr("cast(pmod(xxhash64(" + SEED + "L, cast(prompt_id as string)), 100) as int)")).collectAsList()) {
            bucketOf.put(row.getString(0), row.getInt(1));
        }
        double[] sums = new double[100];
        double[] counts = new double[100];
        double total = 0;
        for (Row row : accepted()) {
            sums[bucketOf.get(row.getString(0))] += loss(row);
            counts[bucketOf.get(row.getString(0))]++;
            total += loss(row);
        }
        int n = accepted().size();
        double mean = total / n;
        double squares = 0;
        double rowSquares = 0;
        for (int b = 0; b < 100; b++) {
            squares += Math.pow(sums[b] - mean * counts[b], 2);
        }
        for (Row row : accepted()) {
            rowSquares += Math.pow(loss(row) - mean, 2);
        }
        assertThat(bt.get("loss").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(bt.get("stderr").asDouble()).isCloseTo(Math.sqrt(100.0 / 99 * squares) / n, within(1e-12));
        assertThat(bt.get("stderr").asDouble()).isGreaterThan(Math.sqrt(rowSquares) / n);
        assertThat(warnings(summary).stream().filter(w -> w.contains("clusters"))).isEmpty();
    }

    @Test
    void fewerThanThirtyClustersWarnThatTheIntervalIsUnreliable() throws Exception {
        JsonNode summary = evaluate("topic", "inputs.prefs.cluster = topic");
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(bt.get("ci_cluster").asText()).isEqualTo("topic");
        assertThat(bt.get("clusters").asLong()).isEqualTo(accepted().stream().map(row -> row.getString(2)).distinct().count())
                .isEqualTo(8);
        assertThat(warnings(summary)).contains(
                "input 'prefs' has 8 clusters of 'topic' (< 30): the bootstrap intervals and stderr, which resample clusters, are unreliable");
    }

    @Test
    void withNoneRowsAreResampledAndCounted() throws Exception {
        JsonNode summary = evaluate("none", "inputs.prefs.cluster = none");
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(bt.get("ci_cluster").asText()).isEqualTo("none");
        assertThat(bt.get("clusters").asLong()).isEqualTo(accepted().size());
        double mean = accepted().stream().mapToDouble(ClusteredBootstrapTest::loss).average().orElseThrow();
        double squares = accepted().stream().mapToDouble(row -> Math.pow(loss(row) - mean, 2)).sum();
        assertThat(bt.get("stderr").asDouble()).isCloseTo(Math.sqrt(squares) / accepted().size(), within(1e-12));
        assertThat(warnings(summary).stream().filter(w -> w.contains("clusters"))).isEmpty();
    }

    @Test
    void aClusterColumnNotInTheInputIsAConfigErrorNamingWhereItWasSet() throws Exception {
        Path config = temp.resolve("missing.conf");
        Files.writeString(config, "inputs { prefs { path = \"" + data.toUri() + "\", kind = preference } }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "inputs.prefs.cluster = conversation\n");
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "evaluate", "--config",
                config.toString(), "--out", temp.resolve("missing").toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid 'inputs.prefs.cluster' (" + config + ": 3)")
                .contains("column 'conversation' is not in input 'prefs'").contains("prompt_id: bigint");
        assertThat(temp.resolve("missing")).doesNotExist();
    }
}
