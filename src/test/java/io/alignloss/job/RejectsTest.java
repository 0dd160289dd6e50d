package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.data.RowRule;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every reject reason on the bad-row samples; exit 3 above the fraction with nothing published; a rule that
 * evaluates to null rejects its row as {@code rule_error}.
 */
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

    /**
     * Ten preference rows r0…r9 with scores m = chosen − rejected = 0.1·i − 0.3, and a rule injected through
     * {@link io.alignloss.data.PreparedInput#withRule} that fails a row whose {@code rating} is below 1: null for
     * r2 and r5 (whose null rating makes the rule null), true for r7, false otherwise. r5 also has an empty
     * {@code chosen}.
     */
    private String ratedPreferences() {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType)
                .add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType)
                .add("rating", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Double rating = i == 2 || i == 5 ? null : i == 7 ? 0.5 : 1.0 + i;
            rows.add(RowFactory.create("r" + i, "prompt " + i, i == 5 ? "" : "good " + i, "bad " + i, 0.1 * i, 0.3, rating));
        }
        String path = temp.resolve("rated.parquet").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
        return path;
    }

    private static final RowRule LOW_RATING = new RowRule("low_rating", col("rating").lt(1.0));

    private EvaluateJob ratedJob(String path, Path out, double maxRejectFraction) {
        EvaluateJob.Settings settings = new EvaluateJob.Settings(Configs.parse("inputs.prefs { path = \"" + path
                + "\", kind = preference }\nobjectives = [ { name = bt, type = bradley-terry, input = prefs } ]\nbootstrap = 20"),
                out.toString(), false, maxRejectFraction, 7, EvaluateJob.Mode.EVALUATE);
        return new EvaluateJob(settings, stage -> { }, input -> input.withRule(LOW_RATING));
    }

    @Test
    void aRuleThatEvaluatesToNullRejectsItsRowAsRuleError() throws Exception {
        Path out = temp.resolve("rated");
        ratedJob(ratedPreferences(), out, 0.5).run(spark);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());

        // r2 (rule null), r5 (empty chosen, rule null) and r7 (rule true) are rejected: rows = accepted + rejected
        JsonNode prefs = summary.get("inputs").get("prefs");
        assertThat(prefs.get("rows").asLong()).isEqualTo(10);
        assertThat(prefs.get("rejected").asLong()).isEqualTo(3);
        assertThat(prefs.get("reject_fraction").asDouble()).isEqualTo(0.3);
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(bt.get("count").asLong()).isEqualTo(7);
        JsonNode rejects = summary.get("rejects");
        assertThat(rejects.get("total").asLong()).isEqualTo(3);
        assertThat(rejects.get("by_input").get("prefs").asLong()).isEqualTo(3);
        assertThat(rejects.get("by_reason").get(RowRule.RULE_ERROR).asLong()).isEqualTo(2);
        assertThat(rejects.get("by_reason").get(RowRule.MISSING_TEXT).asLong()).isEqualTo(1);
        assertThat(rejects.get("by_reason").get("low_rating").asLong()).isEqualTo(1);

        Dataset<Row> rejected = spark.read().parquet(out.resolve("rejects/prefs").toString());
        assertThat(rejected.count()).isEqualTo(3);
        Row r2 = rejected.filter(col("id").equalTo("r2")).first();
        assertThat(r2.<String>getAs("reason")).isEqualTo(RowRule.RULE_ERROR);
        assertThat(r2.getList(r2.fieldIndex("reasons"))).containsExactly(RowRule.RULE_ERROR);
        Row r5 = rejected.filter(col("id").equalTo("r5")).first();
        assertThat(r5.getList(r5.fieldIndex("reasons"))).containsExactly(RowRule.MISSING_TEXT, RowRule.RULE_ERROR);
        assertThat(rejected.filter(col("id").equalTo("r7")).first().<String>getAs("reason")).isEqualTo("low_rating");

        // the loss is the mean of softplus(−m) over the seven accepted rows, none of the rejected ones
        double sum = 0;
        for (int i : new int[]{0, 1, 3, 4, 6, 8, 9}) {
            double m = 0.1 * i - 0.3;
            sum += Math.log1p(Math.exp(-m));
        }
        assertThat(bt.get("loss").asDouble()).isCloseTo(sum / 7, within(1e-12));
        assertThat(spark.read().parquet(out.resolve("per_example/bt").toString()).filter(col("id").isin("r2", "r5", "r7"))
                .count()).isZero();
    }

    @Test
    void rowsRejectedAsRuleErrorCountTowardTheRejectFraction() {
        // 3 of 10 rejected (0.3 > 0.25): exit 3; without the null-verdict rows it would be 2 of 10
        Path out = temp.resolve("rated-strict");
        assertThatThrownBy(() -> ratedJob(ratedPreferences(), out, 0.25).run(spark))
                .isInstanceOfSatisfying(AlignLossException.class, failure -> {
                    assertThat(failure.code()).isEqualTo(ErrorCode.REJECT_FRACTION_EXCEEDED);
                    assertThat(failure.code().exitStatus()).isEqualTo(3);
                })
                .hasMessageContaining("input 'prefs': 3 of 10 rows rejected (0.3000 > 0.25)");
        assertThat(out).doesNotExist();
    }
}
