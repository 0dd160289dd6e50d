package io.alignloss.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.output.Overwrite;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leaderboard job with --style and --ties rao-kupper on the committed text sample and on numeric style columns. */
class LeaderboardStyleSparkTest extends LocalSparkTest {
    private static final String SAMPLE = "data-samples/battles-style.parquet";

    @TempDir
    Path temp;

    private LeaderboardJob.Result run(String battles, String name, List<String> style, Ties ties, int bootstrap) {
        return new LeaderboardJob(new LeaderboardJob.Settings(battles, temp.resolve(name).toString(), 0, 400, 1000, Optional.empty(),
                bootstrap, 42, Overwrite.fromFlag(false), style, ties)).run(spark);
    }

    @Test
    void styleControlOnTheTextSampleKeepsTheRawRatingsOfThePlainRunBeside() throws Exception {
        LeaderboardJob.Result styled = run(SAMPLE, "styled", List.of("length", "markdown"), Ties.HALF, 20);
        LeaderboardJob.Result plain = run(SAMPLE, "plain", List.of(), Ties.HALF, 20);
        List<String> csv = Files.readAllLines(temp.resolve("styled/leaderboard.csv"));
        assertThat(csv.get(0)).isEqualTo("model,rating,lower,upper,battles,raw_rating,raw_lower,raw_upper");
        assertThat(Files.readAllLines(temp.resolve("plain/leaderboard.csv")).get(0)).isEqualTo("model,rating,lower,upper,battles");
        // the response_a-less row is a reject only under --style; else the raw figures are the plain run's, number for number
        assertThat(styled.figures().get("by_reason")).isEqualTo(java.util.Map.of(BattleTable.MISSING_STYLE, 1L));
        JsonNode json = SummaryJson.mapper().readTree(temp.resolve("styled/leaderboard.json").toFile());
        List<String> names = new ArrayList<>();
        json.get("style").get("features").forEach(feature -> names.add(feature.get("name").asText()));
        assertThat(names).containsExactly("length", "markdown_headers", "markdown_list_items", "markdown_bold");
        JsonNode length = json.get("style").get("features").get(0);
        // the generator favours longer answers: γ_length > 0, its interval around it
        assertThat(length.get("gamma").asDouble()).isPositive().isBetween(length.get("lower").asDouble(), length.get("upper").asDouble());
        for (Standing standing : styled.standings()) {
            Standing.RawRating raw = standing.raw().orElseThrow();
            assertThat(raw.lower()).isLessThan(raw.upper());
            assertThat(standing.lower()).isLessThan(standing.rating()).isLessThan(standing.upper());
        }
        // the weakest, most verbose model (ember-3b, θ = −0.6, twice the words) is lifted by length in the raw ratings
        Standing ember = styled.standings().stream().filter(standing -> standing.model().equals("ember-3b")).findFirst().orElseThrow();
        assertThat(ember.raw().orElseThrow().rating()).isGreaterThan(ember.rating());
        assertThat(json.get("models").get(0).has("raw_rating")).isTrue();
        assertThat(json.has("nu")).isFalse();
    }

    @Test
    void rawColumnsEqualThePlainRunWhenNoRowIsRejectedAndComponentStaysBeforeThem() throws Exception {
        // two groups that never met; numeric style columns a_len, b_len; every row valid
        List<Row> rows = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        String[][] pairs = {{"a1", "a2"}, {"a2", "a3"}, {"a3", "a1"}, {"b1", "b2"}};
        for (int i = 0; i < 160; i++) {
            String[] pair = pairs[i % pairs.length];
            double lengthA = 50 + random.nextInt(200);
            double lengthB = 50 + random.nextInt(200);
            double u = random.nextDouble();
            String winner = u < 0.15 ? "tie" : u < 0.15 + 0.85 * lengthA / (lengthA + lengthB) ? "model_a" : "model_b";
            rows.add(RowFactory.create(pair[0], pair[1], winner, lengthA, lengthB));
        }
        StructType schema = new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                .add("winner", DataTypes.StringType).add("a_len", DataTypes.DoubleType).add("b_len", DataTypes.DoubleType);
        String path = temp.resolve("numeric").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);

        LeaderboardJob.Result styled = run(path, "styled", List.of("len"), Ties.RAO_KUPPER, 10);
        run(path, "plain", List.of(), Ties.RAO_KUPPER, 10);
        List<String> csv = Files.readAllLines(temp.resolve("styled/leaderboard.csv"));
        List<String> plain = Files.readAllLines(temp.resolve("plain/leaderboard.csv"));
        assertThat(csv.get(0)).isEqualTo("model,rating,lower,upper,battles,component,raw_rating,raw_lower,raw_upper");
        assertThat(plain.get(0)).isEqualTo("model,rating,lower,upper,battles,component");
        java.util.Map<String, String> plainByModel = new java.util.HashMap<>();
        for (String line : plain.subList(1, plain.size())) {
            String[] cells = line.split(",", -1);
            plainByModel.put(cells[0], cells[1] + "," + cells[2] + "," + cells[3] + "," + cells[4] + "," + cells[5]);
        }
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",", -1);
            // raw_rating, raw_lower, raw_upper, with battles and component, are the plain run's row
            assertThat(cells[6] + "," + cells[7] + "," + cells[8] + "," + cells[4] + "," + cells[5]).isEqualTo(plainByModel.get(cells[0]));
        }
        JsonNode json = SummaryJson.mapper().readTree(temp.resolve("styled/leaderboard.json").toFile());
        assertThat(json.get("ties").asText()).isEqualTo("rao-kupper");
        JsonNode nu = json.get("nu");
        assertThat(nu.get("estimate").asDouble()).isGreaterThan(1).isBetween(nu.get("lower").asDouble(), nu.get("upper").asDouble());
        assertThat(json.get("style").get("features").get(0).get("name").asText()).isEqualTo("len");
        assertThat(styled.standings()).hasSize(5);
    }

    @Test
    void anUnknownStyleFeatureOrMissingTextColumnsExitWithTwo() {
        assertThatThrownBy(() -> run(SAMPLE, "unknown", List.of("emoji"), Ties.HALF, 0))
                .hasMessageContaining("Invalid --style 'emoji': the battles have no numeric columns a_emoji and b_emoji")
                .hasMessageContaining("valid: length, markdown, markdown_headers");
        assertThatThrownBy(() -> run("data-samples/battles.parquet", "no-text", List.of("length"), Ties.HALF, 0))
                .hasMessageContaining("--style length needs string columns response_a and response_b");
    }
}
