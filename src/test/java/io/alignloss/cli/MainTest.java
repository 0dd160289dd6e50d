package io.alignloss.cli;

import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Exit codes and messages of the command line. */
class MainTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private String config(String prefsPath) throws Exception {
        Path file = temp.resolve("job.conf");
        Files.writeString(file, """
                inputs.prefs { path = "%s", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                groups = [ language, nowhere ]
                """.formatted(prefsPath));
        return file.toString();
    }

    @Test
    void versionAndHelpExitZero() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out.toString()).contains("alignloss 0.1.0").contains("Spark 4.1.0");
        assertThat(run("evaluate", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--max-reject-fraction").contains("--set");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("evaluate")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
        assertThat(run("evaluate", "--config", "conf/samples.conf", "--bogus")).isEqualTo(2);
        assertThat(run("evaluate", "--config", temp.resolve("absent.conf").toString(), "--out", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("absent.conf: no such file");
        assertThat(run("evaluate", "--config", "conf/samples.conf", "--max-reject-fraction", "2", "--out",
                temp.resolve("o").toString())).isEqualTo(2);
        assertThat(run("bench", "nonsense")).isEqualTo(2);
    }

    @Test
    void missingRequiredColumnExitsTwoNamingColumnTypeAndColumnsPresent() throws Exception {
        String prefs = temp.resolve("noscores").toString();
        spark.read().parquet("data-samples/preferences.parquet").drop("rejected_score").write().parquet(prefs);
        assertThat(run("evaluate", "--config", config(prefs), "--out", temp.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("required column 'rejected_score' (double (or float, integer, decimal), needed by objective bt) is missing")
                .contains("columns present: id: string, prompt: string");
        assertThat(temp.resolve("o")).doesNotExist();
    }

    @Test
    void columnOfTheWrongTypeExitsTwo() throws Exception {
        String prefs = temp.resolve("stringscores").toString();
        spark.read().parquet("data-samples/preferences.parquet").withColumn("chosen_score",
                org.apache.spark.sql.functions.col("chosen_score").cast("string")).write().parquet(prefs);
        assertThat(run("evaluate", "--config", config(prefs), "--out", temp.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("column 'chosen_score' has type string, expected double");
    }

    @Test
    void missingAndCorruptFilesExitTwoNamingThePath() throws Exception {
        String absent = temp.resolve("absent.parquet").toString();
        assertThat(run("evaluate", "--config", config(absent), "--out", temp.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read input 'prefs': file:" + absent + " does not exist");
        Path corrupt = temp.resolve("corrupt.parquet");
        Files.writeString(corrupt, "this is not parquet");
        assertThat(run("evaluate", "--config", config(corrupt.toString()), "--out", temp.resolve("o").toString())).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read input 'prefs': file:" + corrupt + " is not a Parquet file");
    }

    @Test
    void narrowTypesWidenAndAbsentGroupColumnsWarn() throws Exception {
        String prefs = temp.resolve("narrow").toString();
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType).add("chosen_score", DataTypes.FloatType)
                .add("rejected_score", DataTypes.IntegerType).add("id", DataTypes.LongType).add("language", DataTypes.StringType);
        spark.createDataFrame(List.of(RowFactory.create("p", "c", "r", 1.5f, 0, 7L, "en"),
                RowFactory.create("p2", "c2", "r2", -0.5f, 1, 8L, "de")), schema).write().mode(SaveMode.Overwrite).parquet(prefs);
        Path o = temp.resolve("o");
        assertThat(run("evaluate", "--config", config(prefs), "--out", o.toString())).isEqualTo(0);
        String summary = Files.readString(o.resolve("summary.json"));
        assertThat(summary).contains("group column 'nowhere' is not in input 'prefs'");
        // losses: softplus(-1.5) and softplus(1.5), mean of the two
        double expected = (Math.log1p(Math.exp(-1.5)) + 1.5 + Math.log1p(Math.exp(-1.5))) / 2;
        assertThat(summary).contains("\"loss\" : " + expected);
    }

    private String twoRows() {
        String prefs = temp.resolve("two").toString();
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType).add("chosen_score", DataTypes.DoubleType)
                .add("rejected_score", DataTypes.DoubleType).add("language", DataTypes.StringType);
        spark.createDataFrame(List.of(RowFactory.create("p", "c", "r", 1.5, 0.0, "en"),
                RowFactory.create("p2", "c2", "r2", -0.5, 1.0, "de")), schema).write().mode(SaveMode.Overwrite).parquet(prefs);
        return prefs;
    }

    /** A cron mail of a successful run says what happened: the losses with intervals, the rejects, where to look. */
    @Test
    void evaluatePrintsTheHeadlineOnStdout() throws Exception {
        Path o = temp.resolve("headline");
        assertThat(run("evaluate", "--config", config(twoRows()), "--out", o.toString())).as(err.toString()).isEqualTo(0);
        // softplus(-(1.5 - 0)) and softplus(-(-0.5 - 1)), mean of the two
        double loss = (Math.log1p(Math.exp(-1.5)) + 1.5 + Math.log1p(Math.exp(-1.5))) / 2;
        String stdout = out.toString();
        assertThat(stdout).contains("alignloss: evaluate published ").contains(o.toString())
                // two rows are too few for a bootstrap interval: the summary has none, so the line has none
                .contains(String.format(java.util.Locale.ROOT, "  objective bt (bradley-terry on prefs): loss %.4g (2 rows)%n", loss))
                .contains("  input prefs: 2 rows, 0 rejected (0.00%)")
                .contains("  warning: group column 'nowhere' is not in input 'prefs'")
                .contains("  report: ").contains(o + "/report.html");
        assertThat(o.resolve("report.html")).isRegularFile();
    }

    /**
     * A path built from an environment variable (PWD, set by the shell that started the build) is used to read the
     * data but shown as *** in summary.json and on stdout; in a failure message it is masked too.
     */
    @Test
    void aPathFromTheEnvironmentIsUsedButNotShown() throws Exception {
        String pwd = System.getenv("PWD");
        assumeTrue(pwd != null && Files.exists(Path.of(pwd, "data-samples/preferences.parquet")), "PWD is the project root");
        Path file = temp.resolve("env.conf");
        Files.writeString(file, """
                inputs.prefs { path = ${PWD}"/data-samples/preferences.parquet", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                bootstrap = 20
                """);
        Path o = temp.resolve("env-out");
        assertThat(run("evaluate", "--config", file.toString(), "--out", o.toString())).as(err.toString()).isEqualTo(0);
        String summary = Files.readString(o.resolve("summary.json"));
        assertThat(summary).doesNotContain(pwd + "/data-samples");
        com.fasterxml.jackson.databind.JsonNode json = io.alignloss.summary.SummaryJson.mapper().readTree(summary);
        assertThat(json.at("/inputs/prefs/path").asText()).isEqualTo("***");
        assertThat(json.at("/config/inputs/prefs/path").asText()).isEqualTo("***");
        assertThat(json.at("/inputs/prefs/rows").asLong()).isEqualTo(3000);
        assertThat(out.toString()).doesNotContain(pwd + "/data-samples");
        // with 3000 rows the headline has the bootstrap interval, around the loss
        Matcher line = Pattern.compile("objective bt \\(bradley-terry on prefs\\): loss (\\S+) \\(95% CI (\\S+) to (\\S+), 3000 rows\\)")
                .matcher(out.toString());
        assertThat(line.find()).as(out.toString()).isTrue();
        assertThat(Double.parseDouble(line.group(1))).isCloseTo(json.at("/objectives/bt/loss").asDouble(), within(1e-3))
                .isBetween(Double.parseDouble(line.group(2)), Double.parseDouble(line.group(3)));

        Files.writeString(file, Files.readString(file).replace("preferences.parquet", "absent.parquet"));
        assertThat(run("evaluate", "--config", file.toString(), "--out", temp.resolve("env-absent").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read input 'prefs'").contains("***").doesNotContain(pwd + "/data-samples");
    }
}
