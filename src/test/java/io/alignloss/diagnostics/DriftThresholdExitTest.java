package io.alignloss.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The evaluate job compares with the previous run: the first run says so; a shifted loss past the threshold exits 4. */
class DriftThresholdExitTest extends LocalSparkTest {
    @TempDir
    Path temp;

    @Test
    void driftPastTheThresholdPublishesAndExitsFour() throws Exception {
        Path first = temp.resolve("day1");
        String drift = "drift={ previous = \"" + first + "\", max-loss-change = 0.02, max-mix-change = 0.5 }";
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", first.toString(), "--set",
                "drift={ previous = \"" + temp.resolve("day0") + "\" }")).isEqualTo(0);
        JsonNode firstDrift = new ObjectMapper().readTree(first.resolve("summary.json").toFile()).get("drift");
        assertThat(firstDrift.get("status").asText()).isEqualTo("no_previous");

        // day 2: the logged rewards got worse (margins halved), so the Bradley-Terry loss rises
        String worse = temp.resolve("worse").toString();
        spark.read().parquet("data-samples/preferences.parquet")
                .withColumn("chosen_score", col("rejected_score").plus(col("chosen_score").minus(col("rejected_score")).divide(2)))
                .write().mode(SaveMode.Overwrite).parquet(worse);
        Path second = temp.resolve("day2");
        int status = Main.execute("evaluate", "--config", "conf/samples.conf", "--out", second.toString(),
                "--set", "inputs.prefs.path=" + worse, "--set", drift);
        JsonNode summary = new ObjectMapper().readTree(second.resolve("summary.json").toFile());
        assertThat(status).as(summary.get("drift").toString()).isEqualTo(4);
        JsonNode bt = summary.get("drift").get("objectives").get("bt");
        assertThat(bt.get("loss_change").asDouble()).isGreaterThan(0.02);
        assertThat(bt.get("p_value").asDouble()).isLessThan(0.01);
        assertThat(summary.get("drift").get("exceeded").toString()).contains("bt");
        assertThat(second.resolve("_SUCCESS")).exists();

        // the same data again: no drift, exit 0
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", temp.resolve("day3").toString(),
                "--set", drift)).isEqualTo(0);
    }
}
