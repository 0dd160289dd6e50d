package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.JsonNumbers;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same data in 1, 3 and 8 partitions gives the same summary.json: every number, arrays (intervals, curves)
 * included, to 1e-12 relative (1e-15 absolute), the same keys and the same nulls; and the same derived ids.
 */
class PartitioningTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private JsonNode evaluate(int partitions) throws Exception {
        String prefs = temp.resolve("prefs-" + partitions).toString();
        String seqs = temp.resolve("seqs-" + partitions).toString();
        // drop id so that alignloss derives it; shuffle rows into the partitions
        spark.read().parquet("data-samples/preferences.parquet").drop("id").repartition(partitions)
                .write().mode(SaveMode.Overwrite).parquet(prefs);
        spark.read().parquet("data-samples/sequences.parquet").repartition(partitions)
                .write().mode(SaveMode.Overwrite).parquet(seqs);
        Path out = temp.resolve("run-" + partitions);
        int status = Main.execute("evaluate", "--config", "conf/samples.conf", "--out", out.toString(),
                "--set", "inputs.prefs.path=" + prefs, "--set", "inputs.seqs.path=" + seqs);
        assertThat(status).isEqualTo(0);
        return new ObjectMapper().readTree(Files.readString(out.resolve("summary.json")));
    }

    /**
     * What may differ between runs of the same data: timings, dates, paths (each partitioning has its own inputs
     * and output) and the {@code run} block (output folder, master, task failures).
     */
    private static final Set<String> NOT_COMPARED = Set.of("/started", "/seconds", "/run", "/inputs/*/path",
            "/config/inputs/*/path", "/config/output/path");
    private static final JsonNumbers.Tolerance TOLERANCE = new JsonNumbers.Tolerance(1e-12, 1e-15);

    @Test
    void numbersAndIdsDoNotDependOnPartitioning() throws Exception {
        JsonNode one = evaluate(1);
        JsonNode three = evaluate(3);
        JsonNode eight = evaluate(8);
        List<String> numbers = JsonNumbers.numberPaths(one, NOT_COMPARED);
        // the intervals are compared element by element: overall, per group and the learning curve
        assertThat(numbers).hasSizeGreaterThan(500)
                .contains("/objectives/bt/ci/0", "/objectives/bt/ci/1", "/objectives/lm/curve/0/ci/1")
                .anyMatch(path -> path.matches("/objectives/bt/groups/.*/ci/1"));
        assertThat(JsonNumbers.differences(one, three, TOLERANCE, NOT_COMPARED)).as("1 vs 3 partitions").isEmpty();
        assertThat(JsonNumbers.differences(one, eight, TOLERANCE, NOT_COMPARED)).as("1 vs 8 partitions").isEmpty();

        List<Row> ids1 = spark.read().parquet(temp.resolve("run-1/per_example/bt").toString()).select("id", "loss")
                .orderBy(col("id")).collectAsList();
        List<Row> ids8 = spark.read().parquet(temp.resolve("run-8/per_example/bt").toString()).select("id", "loss")
                .orderBy(col("id")).collectAsList();
        assertThat(ids1).isEqualTo(ids8);
        assertThat(ids1.get(0).getString(0)).matches("[0-9a-f]{1,16}");
        assertThat(ids1.stream().map(row -> row.getString(0)).distinct().count()).isEqualTo(ids1.size());
    }
}
