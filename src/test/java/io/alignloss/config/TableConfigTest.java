package io.alignloss.config;

import com.typesafe.config.ConfigFactory;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table keys of an input, {@code output.per-example-table} and the {@code spark} block: parsing and exit-2 errors. */
class TableConfigTest {
    private static final String OBJECTIVES = "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n";

    private static JobConfig parse(String text, Map<String, String> environment) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(text), "t.conf", List.of(), Optional.empty(), environment);
    }

    private static JobConfig parse(String text) {
        return parse(text, Map.of());
    }

    @Test
    void parquetIsTheDefaultAndTablesReadTheirKeys() {
        InputConfig plain = parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES).inputs().get("prefs");
        assertThat(plain.source()).isEqualTo(InputSource.PARQUET);

        InputConfig delta = parse("inputs.prefs { path = d, kind = preference, format = delta, version = 3, filter = \"x > 1\" }\n"
                + OBJECTIVES).inputs().get("prefs");
        assertThat(delta.source().format()).isEqualTo(TableFormat.DELTA);
        assertThat(delta.source().version()).contains(3L);
        assertThat(delta.source().filter()).contains("x > 1");

        InputConfig iceberg = parse("inputs.prefs { table = \"lake.db.prefs\", kind = preference, format = iceberg, "
                + "as-of = \"2026-12-01T06:00:00+02:00\" }\n" + OBJECTIVES).inputs().get("prefs");
        assertThat(iceberg.path()).isEqualTo("lake.db.prefs");
        assertThat(iceberg.source().table()).contains("lake.db.prefs");
        assertThat(iceberg.source().asOf()).contains(Instant.parse("2026-12-01T04:00:00Z"));
        assertThat(parse("inputs.prefs { path = i, kind = preference, format = iceberg, snapshot-id = \"9007199254740993\" }\n" + OBJECTIVES)
                .inputs().get("prefs").source().snapshotId()).contains(9007199254740993L);
    }

    @Test
    void runDateWorksInAsOfAndFilter() {
        InputSource source = parse("run_date = \"2026-11-30\"\ninputs.prefs { path = d, kind = preference, format = delta, "
                + "as-of = \"${run_date}T23:59:59Z\", filter = \"dt = '${run_date}'\" }\n" + OBJECTIVES).inputs().get("prefs").source();
        assertThat(source.asOf()).contains(Instant.parse("2026-11-30T23:59:59Z"));
        assertThat(source.filter()).contains("dt = '2026-11-30'");
        InputSource date = parse("run_date = \"2026-11-30\"\ninputs.prefs { path = d, kind = preference, format = delta, "
                + "as-of = \"${run_date}\" }\n" + OBJECTIVES).inputs().get("prefs").source();
        assertThat(date.asOf()).contains(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void keysThatDoNotFitTheFormatAreConfigErrors() {
        assertError("path = d, format = orc", "Invalid 'inputs.prefs.format'");
        assertError("path = d, version = 1", "only delta inputs have versions");
        assertError("path = d, format = iceberg, version = 1", "an iceberg input takes snapshot-id");
        assertError("path = d, format = delta, snapshot-id = 1", "a delta input takes version");
        assertError("path = d, as-of = \"2026-01-01\"", "a parquet input has no versions");
        assertError("path = d, format = delta, version = 1, as-of = \"2026-01-01\"", "give one of version and as-of");
        assertError("path = d, format = delta, version = -1", "expected a whole number >= 0");
        assertError("path = d, format = delta, as-of = yesterday", "expected an ISO timestamp");
        assertError("table = \"lake.db.t\", format = delta", "only iceberg inputs name a catalog table");
        assertError("table = \"lake.db.t\", path = d, format = iceberg", "give either path (a Hadoop table) or table");
        assertError("table = t, format = iceberg", "expected <catalog>.<db>.<table>");
    }

    private static void assertError(String input, String message) {
        assertThatThrownBy(() -> parse("inputs.prefs { kind = preference, " + input + " }\n" + OBJECTIVES))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining(message);
    }

    @Test
    void perExampleTableNamesOneTablePerObjective() {
        JobConfig config = parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES
                + "output.per-example-table { format = iceberg, table = \"lake.db.examples\" }\n");
        PerExampleTable table = config.perExampleTable().orElseThrow();
        assertThat(table.format()).isEqualTo(TableFormat.ICEBERG);
        assertThat(table.location("bt")).isEqualTo("lake.db.examples_bt");
        assertThat(config.perExample()).isTrue();
        assertThatThrownBy(() -> parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES
                + "output.per-example-table { format = delta, table = \"lake.db.examples\" }\n")).hasMessageContaining("a delta table has a path");
        assertThatThrownBy(() -> parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES
                + "output.per-example-table { format = parquet, path = x }\n")).hasMessageContaining("a table is delta or iceberg");
        assertThatThrownBy(() -> parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES
                + "output.per-example-table { format = delta }\n")).hasMessageContaining("give either path or table");
    }

    @Test
    void sparkBlockGivesPropertiesByFullNameAndMasksSecrets() {
        JobConfig config = parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES
                + "spark { \"spark.sql.catalog.lake\" = org.apache.iceberg.spark.SparkCatalog, \"spark.sql.catalog.lake.type\" = hadoop,\n"
                + "  spark.sql.shuffle.partitions = 8, \"spark.hadoop.fs.s3a.secret.key\" = ${S3_SECRET} }\n",
                Map.of("S3_SECRET", "hunter2-very-secret"));
        assertThat(config.spark()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "spark.hadoop.fs.s3a.secret.key", "hunter2-very-secret",
                "spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog",
                "spark.sql.catalog.lake.type", "hadoop",
                "spark.sql.shuffle.partitions", "8")));
        String shown = config.shownConfig().root().render();
        assertThat(shown).doesNotContain("hunter2-very-secret").contains(Redaction.MASK);
        assertThatThrownBy(() -> parse("inputs.prefs { path = p, kind = preference }\n" + OBJECTIVES + "spark { sql.shuffle.partitions = 8 }\n"))
                .hasMessageContaining("Spark properties by their full names");
    }
}
