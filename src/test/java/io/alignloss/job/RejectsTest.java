package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.data.RowRule;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** Every reject reason on the bad-row samples; exit 3 above the fraction with nothing published. */
class RejectsTest extends LocalSparkTest {
    private static final List<String> ALL_REASONS = List.of(RowRule.MISSING_TEXT, RowRule.BAD_SCORE, RowRule.BAD_LOGPROB,
            RowRule.NULL_LOGPROB, RowRule.MISSING_LOGPROBS, RowRule.EMPTY_RESPONSE_LOGPROBS, RowRule.BAD_WEIGHT,
            RowRule.BAD_LABEL);

    @TempDir
    Path temp;

    @Test
    void everyReasonIsQuarantinedWithItsRowsAndCounted() throws Exception {
        Path out = temp.resolve("run");
        int status = Main.execute("evaluate", "--config", "conf/samples-bad.conf", "--out", out.toString(),
                "--max-reject-fraction", "0.1");
        assertThat(status).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        JsonNode rejects = summary.get("rejects");
        assertThat(rejects.get("total").asLong()).isEqualTo(21);
        assertThat(rejects.get("by_input").get("prefs").asLong()).isEqualTo(11);
        assertThat(rejects.get("by_input").get("seqs").asLong()).isEqualTo(10);
        for (String reason : ALL_REASONS) {
            assertThat(rejects.get("by_reason").has(reason)).as(reason).isTrue();
        }

        Dataset<Row> prefRejects = spark.read().parquet(out.resolve("rejects/prefs").toString());
        assertThat(prefRejects.columns()).startsWith("id", "reason", "reasons").contains("prompt", "chosen", "chosen_score", "language");
        assertThat(prefRejects.count()).isEqualTo(11);
        Row twice = prefRejects.filter(col("id").equalTo("bad-011")).first();
        assertThat(twice.getList(twice.fieldIndex("reasons"))).containsExactly(RowRule.MISSING_TEXT, RowRule.BAD_SCORE);
        assertThat(twice.<String>getAs("reason")).isEqualTo(RowRule.MISSING_TEXT);
        assertThat(prefRejects.filter(col("id").equalTo("bad-010")).first().<String>getAs("reason")).isEqualTo(RowRule.BAD_SCORE);

        Dataset<Row> seqRejects = spark.read().parquet(out.resolve("rejects/seqs").toString());
        assertThat(seqRejects.filter(col("id").equalTo("bad-105")).first().<String>getAs("reason")).isEqualTo(RowRule.NULL_LOGPROB);
        assertThat(seqRejects.filter(col("id").equalTo("bad-108")).first().<String>getAs("reason")).isEqualTo(RowRule.BAD_LOGPROB);
        assertThat(seqRejects.filter(col("id").equalTo("bad-103")).first().<String>getAs("reason"))
                .isEqualTo(RowRule.EMPTY_RESPONSE_LOGPROBS);

        // accepted rows = rows read − rejects, in every objective's count and per-example output
        assertThat(summary.get("objectives").get("bt").get("count").asLong()).isEqualTo(200);
        assertThat(summary.get("objectives").get("helpful").get("count").asLong()).isEqualTo(200);
        assertThat(spark.read().parquet(out.resolve("per_example/lm").toString()).count()).isEqualTo(200);
        assertThat(summary.get("inputs").get("prefs").get("rows").asLong()).isEqualTo(211);
    }

    @Test
    void aboveTheRejectFractionTheRunFailsWithExit3AndPublishesNothing() throws Exception {
        Path out = temp.resolve("strict");
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "evaluate", "--config", "conf/samples-bad.conf", "--out", out.toString());
        assertThat(status).isEqualTo(3);
        assertThat(out).doesNotExist();
        assertThat(err.toString()).contains("Reject fraction exceeded").contains("input 'prefs': 11 of 211 rows rejected")
                .contains("strict.failed-");
        File[] kept;
        try (Stream<Path> siblings = Files.list(temp)) {
            kept = siblings.filter(path -> path.getFileName().toString().startsWith("strict.failed-")).map(Path::toFile)
                    .toArray(File[]::new);
        }
        assertThat(kept).hasSize(1);
        assertThat(new File(kept[0], "rejects/prefs")).isDirectory();
        assertThat(new File(kept[0], "summary.json")).isFile();
        assertThat(new File(kept[0], "_SUCCESS")).doesNotExist();
        try (Stream<Path> siblings = Files.list(temp)) {
            assertThat(siblings.filter(path -> path.getFileName().toString().contains("staging"))).isEmpty();
        }
    }

    @Test
    void validateWritesRejectsAndTheirSummaryButNoObjectives() throws Exception {
        Path out = temp.resolve("validated");
        int status = Main.execute("validate", "--config", "conf/samples-bad.conf", "--out", out.toString(),
                "--max-reject-fraction", "0.5");
        assertThat(status).isEqualTo(0);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("command").asText()).isEqualTo("validate");
        assertThat(summary.has("objectives")).isFalse();
        assertThat(summary.get("rejects").get("total").asLong()).isEqualTo(21);
        assertThat(out.resolve("rejects/seqs")).isDirectory();
        assertThat(out.resolve("per_example")).doesNotExist();
    }
}
