package io.alignloss.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Per-group figures on real annotator groups: POPQUORN offensiveness ratings (1–5) with the annotators'
 * gender and race. Each rating is an example; the objective's loss is the mean rating (expected utility
 * with U = −offensiveness, so loss = offensiveness). The test checks that (1) the per-group counts, shares
 * and losses equal a plain-Java computation over the same rows, (2) post-stratification to a target gender
 * mix equals Σ π_g·L_g by hand, (3) with race targets, a group below min-group-count (Arab American, 49
 * ratings) is reported as unidentified and its target share as uncovered, and (4) women and men rate
 * differently: the largest gender gap has a bootstrap interval, and the summary names both groups.
 */
class PopquornGroupsTest extends LocalSparkTest {
    private static final String CSV = "../shared/data/popquorn/offensiveness_raw_data.csv";

    @TempDir
    Path temp;

    @Test
    void perGroupFiguresOnRealAnnotatorGroups() throws Exception {
        assumeTrue(new File(CSV).isFile(), "skipped: " + CSV + " is absent (../shared/data is not checked out beside the project)");
        Dataset<Row> ratings = spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                .csv(CSV)
                .select(concat_ws("-", col("instance_id"), col("user_id")).as("id"),
                        lit("How offensive is this text?").as("prompt"), col("text").as("response"),
                        col("offensiveness").cast("double").as("offensiveness"), col("gender"), col("race"));
        String parquet = temp.resolve("popquorn").toString();
        ratings.write().parquet(parquet);
        Path config = temp.resolve("popquorn.conf");
        Files.writeString(config, """
                inputs.ratings { path = "%s", kind = sequence }
                # every row has the same prompt: the default cluster would be one cluster; the annotators' ratings
                # of one text are correlated, so resample texts
                inputs.ratings.cluster = response
                objectives = [ { name = offense, type = expected-utility, input = ratings, utility { offensiveness = -1 } } ]
                groups = [ gender, race ]
                min-group-count = 50
                target {
                  race { "White" = 0.6, "Black or African American" = 0.13, "Asian" = 0.06,
                         "Hispanic or Latino" = 0.19, "Native American" = 0.01, "Arab American" = 0.01 }
                }
                """.formatted(parquet));
        Path out = temp.resolve("run");
        assertThat(Main.execute("evaluate", "--config", config.toString(), "--out", out.toString())).isEqualTo(0);
        JsonNode offense = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("objectives").get("offense");

        // (1) plain-Java group figures from the same rows
        Map<String, double[]> byGender = new HashMap<>();
        Map<String, double[]> byRace = new HashMap<>();
        List<Row> rows = spark.read().parquet(parquet).collectAsList();
        for (Row row : rows) {
            double rating = row.getAs("offensiveness");
            byGender.computeIfAbsent(row.getAs("gender"), g -> new double[2])[0] += rating;
            byGender.get(row.<String>getAs("gender"))[1]++;
            byRace.computeIfAbsent(row.getAs("race"), g -> new double[2])[0] += rating;
            byRace.get(row.<String>getAs("race"))[1]++;
        }
        assertThat(offense.get("count").asLong()).isEqualTo(13036);
        for (Map.Entry<String, double[]> gender : byGender.entrySet()) {
            JsonNode group = offense.get("groups").get("gender").get(gender.getKey());
            assertThat(group.get("count").asLong()).isEqualTo((long) gender.getValue()[1]);
            assertThat(group.get("loss").asDouble()).isCloseTo(gender.getValue()[0] / gender.getValue()[1], within(1e-12));
            assertThat(group.get("share").asDouble()).isCloseTo(gender.getValue()[1] / rows.size(), within(1e-12));
            assertThat(group.get("ci").size()).isEqualTo(2);
        }

        // (2) post-stratification to the race target over the covered groups, by hand
        JsonNode target = offense.get("target");
        assertThat(target.get("method").asText()).isEqualTo("post-stratification");
        double covered = 0.99;
        double expected = 0;
        for (String race : List.of("White", "Black or African American", "Asian", "Hispanic or Latino", "Native American")) {
            double share = Map.of("White", 0.6, "Black or African American", 0.13, "Asian", 0.06, "Hispanic or Latino", 0.19,
                    "Native American", 0.01).get(race);
            expected += share / covered * byRace.get(race)[0] / byRace.get(race)[1];
        }
        assertThat(target.get("reweighted_loss").asDouble()).isCloseTo(expected, within(1e-12));
        double empirical = 0;
        for (Row row : rows) {
            empirical += row.<Double>getAs("offensiveness") / rows.size();
        }
        assertThat(offense.get("loss").asDouble()).isCloseTo(empirical, within(1e-12));
        assertThat(target.get("bias").asDouble()).isCloseTo(empirical - expected, within(1e-12));

        // (3) Arab American: 49 ratings < 50
        assertThat(byRace.get("Arab American")[1]).isEqualTo(49);
        assertThat(target.get("unidentified").get(0).get("value").asText()).isEqualTo("Arab American");
        assertThat(target.get("uncovered_share").asDouble()).isCloseTo(0.01, within(1e-12));

        // (4) the gender gap, with its interval, between the groups with the highest and lowest mean rating
        JsonNode gap = offense.get("group_gaps").get("gender");
        assertThat(gap.get("ci").get(0).asDouble()).isLessThanOrEqualTo(gap.get("max_gap").asDouble());
        assertThat(gap.get("ci").get(1).asDouble()).isGreaterThanOrEqualTo(gap.get("max_gap").asDouble());
        assertThat(List.of(gap.get("highest").asText(), gap.get("lowest").asText())).doesNotHaveDuplicates()
                .allMatch(byGender::containsKey);
    }
}
