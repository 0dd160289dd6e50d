package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.error.AlignLossException;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The leaderboard command: rejects, outputs and exit codes, run through a command line built like Main's. */
class LeaderboardCommandTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    /** Same error handling as Main.execute (AlignLossException → its code's exit status), without touching Main. */
    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new LeaderboardCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            if (error instanceof AlignLossException failure) {
                line.getErr().println("alignloss: " + failure.getMessage());
                return failure.code().exitStatus();
            }
            line.getErr().println("alignloss: unexpected error: " + error);
            return 1;
        });
        return commandLine.execute(args);
    }

    private static Row battle(String a, String b, String winner) {
        return RowFactory.create(a, b, winner);
    }

    private String writeBattles(String name, List<Row> rows) {
        StructType schema = new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                .add("winner", DataTypes.StringType);
        String path = temp.resolve(name).toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        return path;
    }

    /** Three models that all beat and lost to each other, plus four bad rows. */
    private String battlesWithRejects() {
        List<Row> rows = new ArrayList<>();
        String[][] pairs = {{"alpha", "bravo"}, {"bravo", "charlie"}, {"charlie", "alpha"}};
        for (String[] pair : pairs) {
            rows.add(battle(pair[0], pair[1], "model_a"));
            rows.add(battle(pair[0], pair[1], "model_a"));
            rows.add(battle(pair[0], pair[1], "model_b"));
            rows.add(battle(pair[0], pair[1], "tie (bothbad)"));
        }
        rows.add(battle("alpha", "bravo", "draw"));
        rows.add(battle("alpha", "alpha", "model_a"));
        rows.add(battle(null, "bravo", "tie"));
        rows.add(battle("  ", "bravo", "tie"));
        return writeBattles("battles", rows);
    }

    @Test
    void rejectsAreWrittenWithTheirReasonAndCounted() throws Exception {
        String battles = battlesWithRejects();
        Path out = temp.resolve("out");
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "10")).as(err.toString()).isEqualTo(0);

        Map<String, String> reasons = new TreeMap<>();
        for (Row row : spark.read().parquet(out.resolve("rejects").toString()).collectAsList()) {
            reasons.put(row.getAs("model_a") + "|" + row.getAs("model_b") + "|" + row.getAs("winner"), row.getAs("reason"));
        }
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alpha|bravo|draw", "unknown_winner",
                "alpha|alpha|model_a", "same_model",
                "null|bravo|tie", "missing_model",
                "  |bravo|tie", "missing_model"));

        JsonNode json = SummaryJson.mapper().readTree(out.resolve("leaderboard.json").toFile());
        assertThat(json.get("rows_read").asLong()).isEqualTo(16);
        assertThat(json.get("battles").asLong()).isEqualTo(12);
        assertThat(json.get("rejected").asLong()).isEqualTo(4);
        assertThat(json.get("by_reason").toString()).isEqualTo("{\"missing_model\":2,\"same_model\":1,\"unknown_winner\":1}");
        assertThat(json.get("bootstrap").asInt()).isEqualTo(10);
        assertThat(json.get("converged").asBoolean()).isTrue();
        assertThat(json.get("models")).hasSize(3);
        for (JsonNode model : json.get("models")) {
            // a cyclic round robin with the same record for every model: all equal at the base
            assertThat(model.get("rating").asDouble()).isBetween(1000 - 1e-6, 1000 + 1e-6);
            assertThat(model.get("battles").asLong()).isEqualTo(8);
            assertThat(model.get("wins").asLong() + model.get("losses").asLong() + model.get("ties").asLong()).isEqualTo(8);
            assertThat(model.get("unbounded").asBoolean()).isFalse();
        }
        assertThat(Files.readAllLines(out.resolve("leaderboard.csv")).get(0)).isEqualTo("model,rating,lower,upper,battles");
        assertThat(Files.exists(out.resolve("_SUCCESS"))).isTrue();
    }

    @Test
    void outputIsRefusedWithoutOverwriteAndReplacedWithIt() {
        String battles = battlesWithRejects();
        Path out = temp.resolve("twice");
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "0")).isEqualTo(0);
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("it exists (pass --overwrite to replace it)");
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "0", "--overwrite", "--anchor", "alpha=1500"))
                .as(err.toString()).isEqualTo(0);
    }

    @Test
    void overwriteRefusesAFolderAlignlossDidNotWriteAndForceOverwriteReplacesIt() throws Exception {
        String battles = battlesWithRejects();
        Path out = Files.createDirectories(temp.resolve("notes"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "0", "--overwrite")).isEqualTo(2);
        assertThat(err.toString()).contains("not an alignloss output");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(run("--battles", battles, "--out", out.toString(), "--bootstrap", "0", "--force-overwrite")).as(err.toString())
                .isEqualTo(0);
        assertThat(out.resolve("notes.txt")).doesNotExist();
        assertThat(Files.readString(out.resolve("_ALIGNLOSS"))).startsWith("command=leaderboard\n");
    }

    @Test
    void badFlagsAndInputsExitTwoWithAMessage() {
        String battles = battlesWithRejects();
        String out = temp.resolve("never").toString();
        assertThat(run("--battles", battles, "--out", out, "--l2", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --l2 -1.0 (must be finite and >= 0)");
        assertThat(run("--battles", battles, "--out", out, "--bootstrap", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --bootstrap -5");
        assertThat(run("--battles", battles, "--out", out, "--anchor", "alpha")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --anchor 'alpha': expected MODEL=RATING");
        assertThat(run("--battles", battles, "--out", out, "--anchor", "zulu=1000")).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot anchor to model 'zulu'");
        assertThat(run("--battles", battles)).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
        assertThat(run("--battles", battles, "--out", out, "--ties", "davidson")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --ties 'davidson' (valid: half, rao-kupper)");
        assertThat(run("--battles", battles, "--out", out, "--style", "length,length")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid --style length,length (comma-separated feature names, each once");
        assertThat(run("--battles", battles, "--out", out, "--style", "length")).isEqualTo(2);
        assertThat(err.toString()).contains("--style length needs string columns response_a and response_b");

        StructType schema = new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                .add("outcome", DataTypes.StringType);
        String noWinner = temp.resolve("no-winner").toString();
        spark.createDataFrame(List.of(RowFactory.create("a", "b", "model_a")), schema).write().parquet(noWinner);
        assertThat(run("--battles", noWinner, "--out", out)).isEqualTo(2);
        assertThat(err.toString()).contains("column 'winner' is missing");
        assertThat(Files.exists(Path.of(out))).isFalse();
        assertThat(temp.toFile().list()).noneMatch(name -> name.contains("staging"));
    }

    /**
     * {a, b} and {c, d} never met; each pair is 3 wins to 1 and z beat a once (so z never lost: unbounded). Without
     * --l2 each group is fitted alone and centred on the base: ratings 1000 ± 200·log10(3) (the MLE gap is ln 3 in
     * θ, 400·log10(3) in points). The CSV gets a component column last, rows go by component then rating, z (in no
     * group) last, and the groups warning is printed on stdout.
     */
    @Test
    void groupsThatNeverMetAreNamedInAComponentColumnAndWarnedAboutOnStdout() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String[] pair : new String[][] {{"c", "d"}, {"a", "b"}}) {
            for (int i = 0; i < 3; i++) {
                rows.add(battle(pair[0], pair[1], "model_a"));
            }
            rows.add(battle(pair[0], pair[1], "model_b"));
        }
        rows.add(battle("z", "a", "model_a"));
        String battles = writeBattles("islands", rows);
        Path folder = temp.resolve("islands-out");
        assertThat(run("--battles", battles, "--out", folder.toString(), "--bootstrap", "0")).as(err.toString()).isEqualTo(0);

        double half = 200 * Math.log10(3);
        List<String> csv = Files.readAllLines(folder.resolve("leaderboard.csv"));
        assertThat(csv.get(0)).isEqualTo("model,rating,lower,upper,battles,component");
        assertThat(csv.subList(1, csv.size())).extracting(line -> line.split(",", -1)[0]).containsExactly("a", "b", "c", "d", "z");
        assertThat(csv.subList(1, csv.size())).extracting(line -> line.split(",", -1)[5]).containsExactly("1", "1", "2", "2", "");
        assertThat(Double.parseDouble(csv.get(1).split(",")[1])).isCloseTo(1000 + half, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(Double.parseDouble(csv.get(2).split(",")[1])).isCloseTo(1000 - half, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(Double.parseDouble(csv.get(3).split(",")[1])).isCloseTo(1000 + half, org.assertj.core.api.Assertions.within(1e-3));

        JsonNode json = SummaryJson.mapper().readTree(folder.resolve("leaderboard.json").toFile());
        assertThat(json.get("components").asInt()).isEqualTo(2);
        assertThat(json.get("models").get(0).get("component").asInt()).isEqualTo(1);
        assertThat(json.get("models").get(4).get("component").isNull()).isTrue();
        assertThat(out.toString()).contains("alignloss: warning: the battles form 2 separate groups of models that never met "
                + "one another (a, b; c, d)").contains("alignloss: warning: model 'z' never lost")
                .contains("alignloss: leaderboard of 5 models published at");
    }

    @Test
    void oneGroupKeepsTheFiveColumns() throws Exception {
        Path folder = temp.resolve("one-group");
        assertThat(run("--battles", battlesWithRejects(), "--out", folder.toString(), "--bootstrap", "0")).isEqualTo(0);
        assertThat(Files.readAllLines(folder.resolve("leaderboard.csv")).get(0)).isEqualTo("model,rating,lower,upper,battles");
        assertThat(SummaryJson.mapper().readTree(folder.resolve("leaderboard.json").toFile()).get("models").get(0).has("component"))
                .isFalse();
        assertThat(out.toString()).doesNotContain("warning");
    }
}
