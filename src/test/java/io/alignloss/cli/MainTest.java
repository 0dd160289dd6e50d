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

import static org.assertj.core.api.Assertions.assertThat;

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
}
