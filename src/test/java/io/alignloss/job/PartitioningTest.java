package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The same data in 1, 3 and 8 partitions gives the same numbers (1e-12 relative) and the same derived ids. */
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

    @Test
    void numbersAndIdsDoNotDependOnPartitioning() throws Exception {
        JsonNode one = evaluate(1).get("objectives");
        JsonNode three = evaluate(3).get("objectives");
        JsonNode eight = evaluate(8).get("objectives");
        List<String> numbers = new ArrayList<>();
        collectNumbers("", one, numbers);
        assertThat(numbers).hasSizeGreaterThan(100);
        assertSameNumbers("", one, three);
        assertSameNumbers("", one, eight);

        List<Row> ids1 = spark.read().parquet(temp.resolve("run-1/per_example/bt").toString()).select("id", "loss")
                .orderBy(col("id")).collectAsList();
        List<Row> ids8 = spark.read().parquet(temp.resolve("run-8/per_example/bt").toString()).select("id", "loss")
                .orderBy(col("id")).collectAsList();
        assertThat(ids1).isEqualTo(ids8);
        assertThat(ids1.get(0).getString(0)).matches("[0-9a-f]{1,16}");
        assertThat(ids1.stream().map(row -> row.getString(0)).distinct().count()).isEqualTo(ids1.size());
    }

    private static void collectNumbers(String path, JsonNode node, List<String> into) {
        if (node.isNumber()) {
            into.add(path);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            collectNumbers(path + "/" + field.getKey(), field.getValue(), into);
        }
    }

    private static void assertSameNumbers(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNumber()) {
            double a = expected.asDouble();
            double b = actual.asDouble();
            assertThat(Math.abs(a - b)).as(path + ": %s vs %s", a, b).isLessThanOrEqualTo(1e-12 * Math.max(Math.abs(a), 1e-300));
            return;
        }
        assertThat(actual.size()).as(path).isEqualTo(expected.size());
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            assertThat(actual.has(field.getKey())).as(path + "/" + field.getKey()).isTrue();
            assertSameNumbers(path + "/" + field.getKey(), field.getValue(), actual.get(field.getKey()));
        }
    }
}
