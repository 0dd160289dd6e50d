package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The nightly command: one partition per date, drift against the previous finished date, idempotent re-runs. */
class NightlyTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private Path config(String drift) throws Exception {
        for (String date : new String[] {"2026-11-22", "2026-11-23", "2026-11-24"}) {
            Path folder = Files.createDirectories(temp.resolve("lake/" + date));
            // the 24th's data is a different sample (other rows), so its loss moves
            String source = date.equals("2026-11-24") ? "data-samples/preferences-embedded.parquet" : "data-samples/preferences.parquet";
            if (date.equals("2026-11-24")) {
                spark.read().parquet("data-samples/preferences.parquet").limit(400).write().parquet(folder.resolve("prefs").toString());
            }
            else {
                Files.copy(Path.of(source), folder.resolve("prefs"));
            }
        }
        Path conf = temp.resolve("nightly.conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + temp.resolve("lake") + "/${run_date}/prefs\", kind = preference }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "groups = [ language ]\npreference-biases = false\nbootstrap = 50\n"
                + "output { path = \"" + temp.resolve("evals") + "\", per-example = false }\n" + drift);
        return conf;
    }

    private static JsonNode summary(Path run) throws Exception {
        return SummaryJson.mapper().readTree(Files.readString(run.resolve("summary.json")));
    }

    @Test
    void eachDateIsAPartitionComparedWithThePreviousFinishedDate() throws Exception {
        Path conf = config("");
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-11-22")).isEqualTo(0);
        Path first = temp.resolve("evals/run_date=2026-11-22");
        assertThat(summary(first).at("/drift/status").asText()).isEqualTo("no_previous");
        assertThat(summary(first).at("/inputs/prefs/path").asText()).endsWith("lake/2026-11-22/prefs");

        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-11-23")).isEqualTo(0);
        Path second = temp.resolve("evals/run_date=2026-11-23");
        JsonNode day2 = summary(second);
        assertThat(day2.at("/drift/status").asText()).isEqualTo("compared");
        assertThat(day2.at("/drift/previous").asText()).endsWith("run_date=2026-11-22");

        // a re-run of a date replaces it atomically with the same numbers, leaving nothing aside
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-11-23")).isEqualTo(0);
        assertThat(summary(second).at("/objectives/bt/loss").asDouble()).isCloseTo(day2.at("/objectives/bt/loss").asDouble(), within(1e-12));
        try (Stream<Path> files = Files.list(temp.resolve("evals"))) {
            assertThat(files.map(path -> path.getFileName().toString()).sorted().toList())
                    .containsExactly("run_date=2026-11-22", "run_date=2026-11-23");
        }

        // an unfinished later folder (no _SUCCESS) is not a previous run; a date before all runs has none
        Files.createDirectories(temp.resolve("evals/run_date=2026-11-23T"));
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-11-21")).isEqualTo(2);
    }

    @Test
    void aDriftThresholdExceededPublishesAndExitsFour() throws Exception {
        Path conf = config("drift { max-mix-change = 0.0001 }\n");
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-11-23")).isEqualTo(0);
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "nightly", "--config", conf.toString(), "--date", "2026-11-24");
        assertThat(status).isEqualTo(4);
        assertThat(err.toString()).contains("threshold exceeded");
        assertThat(temp.resolve("evals/run_date=2026-11-24/_SUCCESS")).exists();
    }

    @Test
    void badDatesAndMissingRunDatesAreUsageErrors() throws Exception {
        Path conf = config("");
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "2026-13-01")).isEqualTo(2);
        assertThat(Main.execute("nightly", "--config", conf.toString(), "--date", "yesterday")).isEqualTo(2);
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "evaluate", "--config", conf.toString(), "--out", temp.resolve("x").toString());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("${run_date}").contains("--set run_date=YYYY-MM-DD");
    }
}
