package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.config.FeatureSpec;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.model.RewardModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output folder's lifecycle through the commands: an input with nothing to evaluate is exit 3 with nothing
 * published, --overwrite only replaces alignloss outputs, validate writes beside evaluate, dead runs' staging
 * folders are removed and failed folders are capped.
 */
class OutputLifecycleTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private Path good;
    private Path empty;
    private Path weightless;
    private Path allBad;
    private StringWriter err;

    @BeforeAll
    void writeInputs() throws Exception {
        Path data = Files.createTempDirectory("alignloss-lifecycle");
        good = data.resolve("good");
        empty = data.resolve("empty");
        weightless = data.resolve("weightless");
        allBad = data.resolve("all-bad");
        var prefs = spark.read().parquet("data-samples/preferences.parquet").limit(60);
        prefs.coalesce(1).write().parquet(good.toString());
        prefs.limit(0).coalesce(1).write().parquet(empty.toString());
        prefs.limit(50).withColumn("weight", lit(0.0)).coalesce(1).write().parquet(weightless.toString());
        prefs.limit(20).withColumn("chosen", lit(null).cast("string")).coalesce(1).write().parquet(allBad.toString());
    }

    /** A one-objective config on the given preference data, publishing at temp/run unless --out says otherwise. */
    private Path config(Path input, String extra) throws Exception {
        Path conf = Files.createTempFile(temp, "eval", ".conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + input + "\", kind = preference }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "preference-biases = false\nbootstrap = 20\n"
                + "output { path = \"" + temp.resolve("run") + "\", per-example = false }\n" + extra);
        return conf;
    }

    private int run(String... args) {
        err = new StringWriter();
        return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), args);
    }

    private List<String> siblings() throws Exception {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> !name.endsWith(".conf")).sorted().toList();
        }
    }

    private List<String> failedFolders() throws Exception {
        return siblings().stream().filter(name -> name.startsWith("run.failed-")).toList();
    }

    private static JsonNode summary(Path folder) throws Exception {
        return SummaryJson.mapper().readTree(Files.readString(folder.resolve("summary.json")));
    }

    @Test
    void anEmptyInputIsExit3AndTheOutputPublishedBeforeStaysAsItWas() throws Exception {
        Path out = temp.resolve("run");
        assertThat(run("evaluate", "--config", config(good, "").toString())).as(err.toString()).isEqualTo(0);
        String before = Files.readString(out.resolve("summary.json"));

        assertThat(run("evaluate", "--config", config(empty, "").toString(), "--overwrite")).isEqualTo(3);
        assertThat(err.toString()).startsWith("alignloss: Cannot evaluate: input 'prefs' has no rows to evaluate (0 rows read). "
                + "Nothing was published at ").contains("(set inputs.prefs.allow-empty = true to publish null losses instead)");
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(before);
        assertThat(failedFolders()).hasSize(1);
        JsonNode kept = summary(temp.resolve(failedFolders().get(0)));
        assertThat(kept.at("/inputs/prefs/rows").asLong()).isZero();
        assertThat(kept.at("/objectives/bt/loss").isNull()).isTrue();
        assertThat(siblings()).hasSize(2).contains("run");
    }

    @Test
    void zeroTotalWeightIsExit3AndNothingIsPublished() throws Exception {
        assertThat(run("evaluate", "--config", config(weightless, "").toString())).isEqualTo(3);
        assertThat(err.toString()).contains("input 'prefs' has no rows to evaluate (objective 'bt': its 50 rows weigh 0 in total)");
        assertThat(temp.resolve("run")).doesNotExist();
        assertThat(failedFolders()).hasSize(1);
    }

    @Test
    void allRowsRejectedUnderAPermissiveFractionIsExit3WithTheRejectsKept() throws Exception {
        assertThat(run("evaluate", "--config", config(allBad, "").toString(), "--max-reject-fraction", "1")).isEqualTo(3);
        assertThat(err.toString()).contains("input 'prefs' has no rows to evaluate (20 rows read, all rejected)");
        assertThat(temp.resolve("run")).doesNotExist();
        assertThat(temp.resolve(failedFolders().get(0)).resolve("rejects/prefs")).isDirectory();
    }

    @Test
    void allowEmptyPublishesANullLossWithAWarning() throws Exception {
        assertThat(run("evaluate", "--config", config(empty, "inputs.prefs.allow-empty = true").toString()))
                .as(err.toString()).isEqualTo(0);
        JsonNode summary = summary(temp.resolve("run"));
        assertThat(summary.at("/objectives/bt/loss").isNull()).isTrue();
        List<String> warnings = new ArrayList<>();
        summary.get("warnings").forEach(warning -> warnings.add(warning.asText()));
        assertThat(warnings).anyMatch(warning -> warning.startsWith("input 'prefs' has no rows to evaluate (0 rows read); "
                + "inputs.prefs.allow-empty = true"));
        assertThat(failedFolders()).isEmpty();
    }

    @Test
    void validateReportsAnEmptyInputWithTheSameExit() throws Exception {
        assertThat(run("validate", "--config", config(empty, "").toString(), "--out", temp.resolve("run").toString())).isEqualTo(3);
        assertThat(err.toString()).startsWith("alignloss: Cannot validate: input 'prefs' has no rows to evaluate (0 rows read)");
        assertThat(temp.resolve("run")).doesNotExist();
    }

    @Test
    void validateWithoutOutWritesBesideOutputPathAndNeverReplacesAnEvaluation() throws Exception {
        Path conf = config(good, "");
        assertThat(run("evaluate", "--config", conf.toString())).isEqualTo(0);
        String evaluation = Files.readString(temp.resolve("run/summary.json"));

        assertThat(run("validate", "--config", conf.toString())).as(err.toString()).isEqualTo(0);
        assertThat(summary(temp.resolve("run.validate")).get("command").asText()).isEqualTo("validate");
        assertThat(run("validate", "--config", conf.toString(), "--overwrite")).isEqualTo(0);
        assertThat(run("validate", "--config", conf.toString(), "--out", temp.resolve("run").toString(), "--force-overwrite"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("it holds the output of 'evaluate', which validate never replaces");
        assertThat(Files.readString(temp.resolve("run/summary.json"))).isEqualTo(evaluation);
        assertThat(siblings()).containsExactly("run", "run.validate");
    }

    @Test
    void overwriteRefusesAFolderAlignlossDidNotWriteUnlessForced() throws Exception {
        Path out = Files.createDirectories(temp.resolve("run"));
        Files.writeString(out.resolve("notes.txt"), "my notes");
        Path conf = config(good, "");

        assertThat(run("evaluate", "--config", conf.toString(), "--overwrite")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("alignloss: Cannot overwrite file:" + out + ": not an alignloss output (it has no "
                + "_ALIGNLOSS, summary.json or leaderboard.json); pass --force-overwrite to replace it anyway");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("notes.txt");
        }
        assertThat(siblings()).containsExactly("run");

        assertThat(run("evaluate", "--config", conf.toString(), "--force-overwrite")).isEqualTo(0);
        assertThat(out.resolve("notes.txt")).doesNotExist();
        assertThat(Files.readString(out.resolve("_ALIGNLOSS"))).startsWith("command=evaluate\n");
        // now an alignloss output: --overwrite replaces it
        assertThat(run("evaluate", "--config", conf.toString(), "--overwrite")).isEqualTo(0);
    }

    @Test
    void theNextRunRemovesADeadRunsStagingFolderAndLeavesALiveOne() throws Exception {
        Instant now = Instant.now();
        Path dead = Files.createDirectories(temp.resolve(".run.staging-20261201-010000-deadbeef"));
        Files.writeString(dead.resolve("part-00000.parquet"), "partial");
        Files.writeString(dead.resolve("_RUNNING"), "");
        Files.setLastModifiedTime(dead.resolve("_RUNNING"), FileTime.from(now.minus(Duration.ofMinutes(11))));
        Path live = Files.createDirectories(temp.resolve(".run.staging-20261201-020000-a11ce000"));
        Files.writeString(live.resolve("_RUNNING"), "");
        Files.setLastModifiedTime(live.resolve("_RUNNING"), FileTime.from(now.minus(Duration.ofMinutes(1))));

        assertThat(run("evaluate", "--config", config(good, "").toString())).as(err.toString()).isEqualTo(0);
        assertThat(dead).doesNotExist();
        assertThat(live.resolve("_RUNNING")).exists();
        assertThat(temp.resolve("run/_RUNNING")).doesNotExist();
        assertThat(siblings()).containsExactly(live.getFileName().toString(), "run");
    }

    @Test
    void onlyTheNewestFailedFoldersAreKept() throws Exception {
        // run ids start with the run's start time: these two failed before any run of today
        Files.createDirectories(temp.resolve("run.failed-20200101-000000-aaaaaaaa/rejects"));
        Files.createDirectories(temp.resolve("run.failed-20200102-000000-bbbbbbbb"));
        assertThat(run("evaluate", "--config", config(empty, "output.keep-failed = 2").toString())).isEqualTo(3);
        List<String> failed = failedFolders();
        assertThat(failed).hasSize(2).contains("run.failed-20200102-000000-bbbbbbbb");
        assertThat(err.toString()).contains(failed.get(1));
        assertThat(temp.resolve(failed.get(1)).resolve("summary.json")).exists();
    }

    @Test
    void trainOnAnEmptyInputIsExit3WithNothingTrainedOrPublished() throws Exception {
        Path conf = Files.createTempFile(temp, "train", ".conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + empty + "\", kind = preference }\n"
                + "objectives = [ { name = rm, type = bradley-terry, input = prefs, features { type = text-hash, bits = 8 } } ]\n"
                + "preference-biases = false\ntrain { max-iter = 3 }\n");
        assertThat(run("train", "--config", conf.toString(), "--out", temp.resolve("run").toString())).isEqualTo(3);
        assertThat(err.toString()).startsWith("alignloss: Cannot train: input 'prefs' has no rows to train on (0 rows read). "
                + "Nothing was trained or published at ");
        assertThat(temp.resolve("run")).doesNotExist();
        assertThat(failedFolders()).hasSize(1);
        assertThat(siblings().stream().filter(name -> name.startsWith("."))).isEmpty();
    }

    @Test
    void nightlyOnAnEmptyDateIsExit3AndLeavesEarlierDatesAlone() throws Exception {
        Path lake = temp.resolve("lake");
        spark.read().parquet(good.toString()).write().parquet(lake.resolve("2026-11-22").toString());
        spark.read().parquet(empty.toString()).write().parquet(lake.resolve("2026-11-23").toString());
        Path conf = Files.createTempFile(temp, "nightly", ".conf");
        Files.writeString(conf, "inputs.prefs { path = \"" + lake + "/${run_date}\", kind = preference }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\n"
                + "preference-biases = false\nbootstrap = 20\n"
                + "output { path = \"" + temp.resolve("evals") + "\", per-example = false }\n");
        assertThat(run("nightly", "--config", conf.toString(), "--date", "2026-11-22")).as(err.toString()).isEqualTo(0);
        String first = Files.readString(temp.resolve("evals/run_date=2026-11-22/summary.json"));

        assertThat(run("nightly", "--config", conf.toString(), "--date", "2026-11-23")).as(err.toString()).isEqualTo(3);
        assertThat(err.toString()).contains("input 'prefs' has no rows to evaluate (0 rows read)");
        assertThat(Files.readString(temp.resolve("evals/run_date=2026-11-22/summary.json"))).isEqualTo(first);
        try (Stream<Path> runs = Files.list(temp.resolve("evals"))) {
            assertThat(runs.map(path -> path.getFileName().toString()).filter(name -> !name.endsWith(".crc")))
                    .hasSize(2).contains("run_date=2026-11-22").anyMatch(name -> name.startsWith("run_date=2026-11-23.failed-"));
        }
    }

    @Test
    void anOffPolicyObjectiveWithNoLoggedRowIsExit3() throws Exception {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt_id", DataTypes.StringType)
                .add("prompt", DataTypes.StringType).add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
                .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)).add("behavior_prob", DataTypes.DoubleType)
                .add("logged", DataTypes.BooleanType);
        // candidate sets whose shown response was never logged
        List<Row> rows = List.of(RowFactory.create("p1-a", "p1", "q1", "a", 2.0, List.of(1.0, 0.0), 0.5, false),
                RowFactory.create("p1-b", "p1", "q1", "b", 1.0, List.of(0.0, 0.0), 0.5, false),
                RowFactory.create("p2-a", "p2", "q2", "a", 1.0, List.of(0.0, 1.0), 0.5, false));
        String path = temp.resolve("logged.parquet").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
        String model = temp.resolve("policy").toString();
        new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[] {Math.log(2), 0},
                Map.of("objective", Map.of("name", "eu", "type", "expected-utility")))
                .save(new org.apache.hadoop.fs.Path(model), spark.sparkContext().hadoopConfiguration());
        Path conf = Files.createTempFile(temp, "logged", ".conf");
        Files.writeString(conf, "inputs.logged { path = \"" + path + "\", kind = sequence }\n"
                + "objectives = [ { name = eu, type = expected-utility, input = logged, utility { reward = 1 }, model = \"" + model
                + "\" } ]\nbootstrap = 20\n");

        assertThat(run("evaluate", "--config", conf.toString(), "--out", temp.resolve("run").toString())).as(err.toString()).isEqualTo(3);
        assertThat(err.toString()).contains("input 'logged' has no rows to evaluate (no logged rows: no row has logged = true)");
        assertThat(temp.resolve("run")).doesNotExist();
        assertThat(failedFolders()).hasSize(1);
    }
}
