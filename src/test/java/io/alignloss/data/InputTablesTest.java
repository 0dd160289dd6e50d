package io.alignloss.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.config.InputConfig;
import io.alignloss.job.EvaluateJob;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LakeSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Delta and Iceberg inputs with the real formats: the sample preferences are committed in two versions (the first
 * part, then the rest appended); a run pinned to the first version (by version or snapshot-id, and by as-of) and an
 * unpinned run give the numbers of a plain Parquet run of the same rows, also when a writer commits during the run.
 */
class InputTablesTest extends LakeSparkTest {
    private static final String SAMPLE = "data-samples/preferences.parquet";
    private static final String SPLIT = "pmod(xxhash64(prompt, chosen), 3) != 0";

    private Dataset<Row> first;
    private Dataset<Row> rest;
    private String delta;
    private String iceberg;
    private Timestamp deltaFirstCommit;
    private long icebergFirstSnapshot;
    private long icebergFirstMillis;

    @BeforeAll
    void writeTables() throws Exception {
        Dataset<Row> all = spark.read().parquet(SAMPLE);
        first = all.filter(expr(SPLIT));
        rest = all.filter(expr("not (" + SPLIT + ")"));
        first.write().parquet(temp.resolve("first.parquet").toString());
        all.write().parquet(temp.resolve("all.parquet").toString());

        delta = temp.resolve("delta-prefs").toString();
        first.write().format("delta").save(delta);
        deltaFirstCommit = spark.sql("DESCRIBE HISTORY delta.`" + delta + "`").filter("version = 0").first().getAs("timestamp");
        Thread.sleep(20);
        rest.write().format("delta").mode("append").save(delta);

        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
        first.writeTo("lake.db.prefs").create();
        iceberg = warehouse.resolve("db/prefs").toString();
        Row snapshot = spark.sql("SELECT snapshot_id, committed_at FROM lake.db.prefs.snapshots").first();
        icebergFirstSnapshot = snapshot.getLong(0);
        icebergFirstMillis = snapshot.getTimestamp(1).getTime();
        Thread.sleep(20);
        rest.writeTo("lake.db.prefs").append();
    }

    @Test
    void deltaPinnedByVersionAndAsOfGivesTheParquetNumbersOfItsRows() throws Exception {
        JsonNode parquet = evaluate("parquet-first", "path = \"" + temp.resolve("first.parquet") + "\"");
        JsonNode byVersion = evaluate("delta-v0", "format = delta, path = \"" + delta + "\", version = 0");
        JsonNode byTime = evaluate("delta-asof", "format = delta, path = \"" + delta + "\", as-of = \""
                + deltaFirstCommit.toInstant() + "\"");
        assertSameFigures(byVersion, parquet);
        assertSameFigures(byTime, parquet);
        JsonNode table = byVersion.at("/inputs/prefs/table");
        assertThat(table.get("format").asText()).isEqualTo("delta");
        assertThat(table.get("version").asLong()).isZero();
        assertThat(table.get("location").asText()).endsWith("delta-prefs");
        assertThat(table.get("timestamp").asText()).isEqualTo(deltaFirstCommit.toInstant().toString());
        assertThat(byTime.at("/inputs/prefs/table/version").asLong()).isZero();
        assertThat(byVersion.at("/inputs/prefs/rows").asLong()).isEqualTo(first.count()).isLessThan(spark.read().parquet(SAMPLE).count());

        // the drift block of the next (unpinned) run records the previous run's version beside its own
        JsonNode next = evaluate("delta-next", "format = delta, path = \"" + delta + "\"",
                "drift { previous = \"" + temp.resolve("runs/delta-v0") + "\" }");
        assertThat(next.at("/drift/status").asText()).isEqualTo("compared");
        assertThat(next.at("/drift/tables/prefs/previous/version").asLong()).isZero();
        assertThat(next.at("/drift/tables/prefs/current/version").asLong()).isEqualTo(1);
        assertThat(next.at("/drift/tables/prefs/current/timestamp").asText()).isNotEqualTo(table.get("timestamp").asText());
    }

    @Test
    void icebergPinnedBySnapshotAndAsOfByPathAndByNameGivesTheParquetNumbersOfItsRows() throws Exception {
        JsonNode parquet = evaluate("parquet-first-2", "path = \"" + temp.resolve("first.parquet") + "\"");
        JsonNode bySnapshot = evaluate("iceberg-s0", "format = iceberg, path = \"" + iceberg + "\", snapshot-id = " + icebergFirstSnapshot);
        String asOf = java.time.Instant.ofEpochMilli(icebergFirstMillis).toString();
        // the catalog through the config's spark block (a runtime setting of the running session)
        JsonNode byName = evaluate("iceberg-asof", "format = iceberg, table = \"lake2.db.prefs\", as-of = \"" + asOf + "\"",
                "spark { \"spark.sql.catalog.lake2\" = org.apache.iceberg.spark.SparkCatalog, \"spark.sql.catalog.lake2.type\" = hadoop,"
                        + " \"spark.sql.catalog.lake2.warehouse\" = \"" + warehouse.toUri() + "\" }");
        assertSameFigures(bySnapshot, parquet);
        assertSameFigures(byName, parquet);
        assertThat(bySnapshot.at("/inputs/prefs/table/snapshot_id").asLong()).isEqualTo(icebergFirstSnapshot);
        assertThat(bySnapshot.at("/inputs/prefs/table/format").asText()).isEqualTo("iceberg");
        assertThat(bySnapshot.at("/inputs/prefs/table/version").isMissingNode()).isTrue();
        assertThat(byName.at("/inputs/prefs/table/snapshot_id").asLong()).isEqualTo(icebergFirstSnapshot);
        assertThat(byName.at("/inputs/prefs/table/name").asText()).isEqualTo("lake2.db.prefs");
        assertThat(byName.at("/inputs/prefs/table/timestamp").asText()).isEqualTo(asOf);
    }

    @Test
    void unpinnedRunsReadTheCurrentVersionOnceEvenWhenAWriterCommitsDuringTheRun() throws Exception {
        JsonNode parquet = evaluate("parquet-all", "path = \"" + temp.resolve("all.parquet") + "\"");
        String copy = temp.resolve("delta-concurrent").toString();
        spark.read().format("delta").load(delta).write().format("delta").save(copy);
        AtomicInteger commits = new AtomicInteger();
        EvaluateJob.StageListener committer = stage -> {
            if (stage.startsWith("check schema of input") || stage.startsWith("scan input")) {
                first.write().format("delta").mode("append").save(copy); // a writer's commit between the run's reads
                commits.incrementAndGet();
            }
        };
        String out = temp.resolve("runs/concurrent").toString();
        EvaluateJob.Settings settings = new EvaluateJob.Settings(Configs.parse(config("format = delta, path = \"" + copy + "\"", "")), out,
                false, 1.0, 42, EvaluateJob.Mode.EVALUATE);
        new EvaluateJob(settings, committer).run(spark);
        JsonNode during = new ObjectMapper().readTree(Path.of(out, "summary.json").toFile());
        assertThat(commits.get()).isEqualTo(2);
        assertSameFigures(during, parquet);
        assertThat(during.at("/inputs/prefs/table/version").asLong()).isZero();

        JsonNode after = evaluate("delta-after", "format = delta, path = \"" + copy + "\"");
        assertThat(after.at("/inputs/prefs/table/version").asLong()).isEqualTo(2);
        assertThat(after.at("/inputs/prefs/rows").asLong()).isEqualTo(during.at("/inputs/prefs/rows").asLong() + 2 * first.count());
        JsonNode icebergNow = evaluate("iceberg-current", "format = iceberg, path = \"" + iceberg + "\"");
        assertSameFigures(icebergNow, parquet);
    }

    @Test
    void aFilterIsPushedDownAndItsRowsAreNotCounted() throws Exception {
        Row one = spark.read().parquet(SAMPLE).select("domain").first();
        String domain = one.getString(0);
        String predicate = "domain = '" + domain + "'";
        long matching = 0;
        for (Row row : spark.read().parquet(SAMPLE).select("domain").collectAsList()) { // counted apart from Spark's filter
            if (domain.equals(row.getString(0))) {
                matching++;
            }
        }
        spark.read().parquet(SAMPLE).filter(col("domain").equalTo(domain)).write().parquet(temp.resolve("domain.parquet").toString());
        JsonNode parquet = evaluate("parquet-domain", "path = \"" + temp.resolve("domain.parquet") + "\"");
        JsonNode filtered = evaluate("delta-filter", "format = delta, path = \"" + delta + "\", version = 1, filter = \"" + predicate.replace("'", "'") + "\"");
        assertThat(filtered.at("/inputs/prefs/rows").asLong()).isEqualTo(matching).isLessThan(spark.read().parquet(SAMPLE).count());
        assertThat(filtered.at("/rejects/total").asLong()).isZero();
        assertSameFigures(filtered, parquet);

        InputConfig input = Configs.parse(config("path = \"" + SAMPLE + "\", filter = \"" + predicate + "\"", "")).inputs().get("prefs");
        String plan = InputTables.read(spark, input).queryExecution().executedPlan().toString();
        assertThat(plan).contains("PushedFilters: [IsNotNull(domain), EqualTo(domain," + domain + ")]");
    }

    @Test
    void aMissingTableAMissingVersionAMismatchedFormatAndABadFilterAreOneLineExit2() throws Exception {
        String missing = temp.resolve("nothing-here").toString();
        assertExit2("format = delta, path = \"" + missing + "\"", "no Delta table there");
        assertExit2("format = iceberg, path = \"" + missing + "\"", "no Iceberg table there");
        assertExit2("format = iceberg, table = \"lake.db.nope\"", "no Iceberg table there");
        assertExit2("format = delta, path = \"" + delta + "\", version = 7", "version 7 does not exist (versions 0 to 1");
        assertExit2("format = delta, path = \"" + delta + "\", as-of = \"2001-01-01T00:00:00Z\"", "no version was committed at or before");
        assertExit2("format = iceberg, path = \"" + iceberg + "\", snapshot-id = 12345", "snapshot 12345 does not exist (2 snapshots");
        assertExit2("format = iceberg, path = \"" + iceberg + "\", as-of = \"2001-01-01\"", "no snapshot was current at as-of");
        assertExit2("format = delta, path = \"" + SAMPLE + "\"", "no Delta table there");
        assertExit2("format = iceberg, path = \"" + delta + "\"", "no Iceberg table there");
        assertExit2("path = \"" + delta + "\"", "it is a delta table (set inputs.prefs.format = delta");
        assertExit2("path = \"" + iceberg + "\"", "it is a iceberg table (set inputs.prefs.format = iceberg");
        assertExit2("path = \"" + SAMPLE + "\", filter = \"domain = = 'x'\"", "Invalid 'inputs.prefs.filter'");
        assertExit2("path = \"" + SAMPLE + "\", filter = \"no_such_column > 1\"", "Invalid 'inputs.prefs.filter'");
    }

    private void assertExit2(String input, String message) throws Exception {
        Path config = temp.resolve("exit2-" + Math.abs(input.hashCode()) + ".conf");
        Files.writeString(config, config(input, ""));
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "evaluate", "--config",
                config.toString(), "--out", temp.resolve("runs/exit2-" + Math.abs(input.hashCode())).toString());
        assertThat(err.toString().strip().lines().toList()).as(input).hasSize(1).first().asString()
                .startsWith("alignloss: ").contains(message);
        assertThat(status).as(input).isEqualTo(2);
    }

    /** Runs evaluate in this session on one preference input; its summary. */
    private JsonNode evaluate(String run, String input, String... extra) throws Exception {
        Path config = temp.resolve(run + ".conf");
        Files.writeString(config, config(input, String.join("\n", extra)));
        Path out = temp.resolve("runs/" + run);
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "evaluate", "--config",
                config.toString(), "--out", out.toString());
        assertThat(status).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private static String config(String input, String extra) {
        return "inputs.prefs { kind = preference, cluster = none, " + input + " }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "groups = [ language, domain ]\npreference-biases = false\nbootstrap = 0\noutput.per-example = false\n" + extra + "\n";
    }

    /** The same rows and the same figures: loss, stderr, accuracy and the groups' losses (sums may differ in the last bits). */
    private static void assertSameFigures(JsonNode actual, JsonNode expected) {
        assertThat(actual.at("/inputs/prefs/rows").asLong()).isEqualTo(expected.at("/inputs/prefs/rows").asLong());
        JsonNode a = actual.at("/objectives/bt");
        JsonNode e = expected.at("/objectives/bt");
        for (String figure : List.of("loss", "stderr", "weight_sum", "accuracy")) {
            assertThat(a.get(figure).asDouble()).as(figure).isCloseTo(e.get(figure).asDouble(), within(1e-12 * Math.max(1, Math.abs(e.get(figure).asDouble()))));
        }
        assertThat(a.get("count").asLong()).isEqualTo(e.get("count").asLong());
        assertThat(a.get("groups").toString().length()).isPositive();
        assertThat(a.at("/groups/domain").size()).isEqualTo(e.at("/groups/domain").size());
    }
}
