package io.alignloss.job;

import io.alignloss.config.JobConfig;
import io.alignloss.config.PerExampleTable;
import io.alignloss.config.TableFormat;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LakeSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code output.per-example-table} with the real formats: a run's rows land with its run_id and run_date; committing
 * the same run again adds nothing; a nightly date committed again replaces its partition and leaves the others; a run
 * that fails before publishing commits nothing.
 */
class PerExampleTablesTest extends LakeSparkTest {
    private static final LocalDate DAY1 = LocalDate.of(2026, 11, 30);
    private static final LocalDate DAY2 = LocalDate.of(2026, 12, 1);

    private Dataset<Row> rows(int count, double base) {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("loss", DataTypes.DoubleType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create("r" + i, base + i));
        }
        return spark.createDataFrame(rows, schema);
    }

    @Test
    void deltaIcebergPathAndIcebergCatalogTablesAreIdempotentByRunIdAndReplaceANightlyPartition() {
        check(new PerExampleTable(TableFormat.DELTA, Optional.of(temp.resolve("delta/per_example").toString()), Optional.empty()),
                location -> spark.read().format("delta").load(location));
        check(new PerExampleTable(TableFormat.ICEBERG, Optional.of(temp.resolve("iceberg/per_example").toString()), Optional.empty()),
                location -> spark.read().format("iceberg").load(location));
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.out");
        check(new PerExampleTable(TableFormat.ICEBERG, Optional.empty(), Optional.of("lake.out.per_example")), spark::table);
    }

    private void check(PerExampleTable table, Function<String, Dataset<Row>> read) {
        String location = table.location("bt");
        assertThat(location).endsWith("per_example_bt");
        // an ordinary run appends under its date; the same run committed again adds nothing
        PerExampleTables.commit(spark, table, "bt", rows(3, 0), "run-a", DAY1, false);
        PerExampleTables.commit(spark, table, "bt", rows(3, 0), "run-a", DAY1, false);
        assertThat(read.apply(location).count()).as(location).isEqualTo(3);
        PerExampleTables.commit(spark, table, "bt", rows(2, 10), "run-b", DAY2, true);
        assertThat(read.apply(location).count()).isEqualTo(5);
        // the nightly date again: its partition replaced (not appended), the other date's rows kept
        PerExampleTables.commit(spark, table, "bt", rows(4, 20), "run-c", DAY2, true);
        Dataset<Row> all = read.apply(location);
        assertThat(all.count()).isEqualTo(7);
        assertThat(all.filter("run_date = DATE'2026-12-01'").select("run_id").distinct().collectAsList())
                .extracting(row -> row.getString(0)).containsExactly("run-c");
        assertThat(all.filter("run_date = DATE'2026-11-30'").select("run_id").distinct().collectAsList())
                .extracting(row -> row.getString(0)).containsExactly("run-a");
        double sum = all.filter("run_date = DATE'2026-12-01'").agg(org.apache.spark.sql.functions.sum("loss")).first().getDouble(0);
        assertThat(sum).isEqualTo(20 + 21 + 22 + 23);
    }

    @Test
    void aRunCommitsItsPerExampleFiguresLastAndAFailedRunCommitsNothing() {
        String tables = temp.resolve("runs-table/per_example").toString();
        String config = "inputs.prefs { path = \"data-samples/preferences.parquet\", kind = preference, cluster = none }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "preference-biases = false\nbootstrap = 0\n"
                + "output.per-example-table { format = delta, path = \"" + tables + "\" }\n";
        JobConfig job = Configs.parse(config);
        String failedOut = temp.resolve("runs-table/failed").toString();
        EvaluateJob failing = new EvaluateJob(new EvaluateJob.Settings(job, failedOut, false, 1.0, 42, EvaluateJob.Mode.EVALUATE), stage -> {
            if (stage.startsWith("publish")) {
                throw new IllegalStateException("failed on purpose before publishing");
            }
        });
        assertThatThrownBy(() -> failing.run(spark)).hasMessageContaining("on purpose");
        assertThat(Path.of(tables + "_bt")).doesNotExist();

        String out = temp.resolve("runs-table/ok").toString();
        EvaluateJob.Result result = new EvaluateJob(new EvaluateJob.Settings(job, out, false, 1.0, 42, EvaluateJob.Mode.EVALUATE)).run(spark);
        Dataset<Row> table = spark.read().format("delta").load(tables + "_bt");
        Dataset<Row> published = spark.read().parquet(Path.of(out, "per_example/bt").toString());
        assertThat(table.count()).isEqualTo(published.count()).isEqualTo(result.summary().inputsOrEmpty().get("prefs").rows());
        assertThat(table.drop("run_id", "run_date").exceptAll(published).isEmpty()).isTrue();
        assertThat(table.select("run_date").distinct().collectAsList()).extracting(row -> row.getDate(0).toLocalDate())
                .containsExactly(LocalDate.now(ZoneOffset.UTC));
        assertThat(table.select("run_id").distinct().count()).isEqualTo(1);
    }
}
