package io.alignloss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher jobs/alignloss as users run it: through Spark's own SparkSubmit from the jars Maven resolved
 * (the README's first command), and through $SPARK_HOME/bin/spark-submit when SPARK_HOME is set.
 */
class LauncherIT {
    @TempDir
    Path temp;

    record Outcome(int status, String stdout, String stderr) {
    }

    private Outcome launch(Map<String, String> environment, String... args) throws Exception {
        return run("jobs/alignloss", environment, args);
    }

    private Outcome run(String script, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(script);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("."));
        builder.environment().remove("SPARK_HOME");
        builder.environment().putAll(environment);
        File stdout = temp.resolve("stdout-" + System.nanoTime()).toFile();
        File stderr = temp.resolve("stderr-" + System.nanoTime()).toFile();
        builder.redirectOutput(stdout).redirectError(stderr);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("launcher did not finish in 5 minutes");
        }
        return new Outcome(process.exitValue(), Files.readString(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
    }

    @Test
    void readmeFirstCommandEvaluatesTheSamplesInLocalMode() throws Exception {
        Path out = temp.resolve("samples");
        Outcome outcome = launch(Map.of(), "evaluate", "--config", "conf/samples.conf", "--out", out.toString());
        assertThat(outcome.status()).as(outcome.stderr()).isEqualTo(0);
        assertThat(out.resolve("summary.json")).isRegularFile();
        assertThat(out.resolve("_SUCCESS")).exists();
        assertThat(outcome.stderr()).contains("summary: file:" + out.toAbsolutePath() + "/summary.json")
                .contains("stage scan input prefs").doesNotContain("INFO SparkContext");
        assertThat(outcome.stdout()).startsWith("alignloss: evaluate published").doesNotContain("[warning]");

        // the run above wrote (or used) the class-data-sharing archive; the next launch maps it
        Path classLoading = temp.resolve("class-load.log");
        Outcome version = launch(Map.of("ALIGNLOSS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLoading), "--version");
        assertThat(version.status()).as(version.stderr()).isEqualTo(0);
        try (var archives = Files.list(Path.of("target/cds"))) {
            assertThat(archives.map(path -> path.getFileName().toString())).singleElement().asString().matches("[0-9]+\\.jsa");
        }
        assertThat(Files.readString(classLoading)).containsPattern("org\\.apache\\.spark\\.deploy\\.SparkSubmit source: shared objects file");
    }

    /**
     * The launcher's build and classpath steps run Maven; Maven 3.8 prints a colour reset (ESC[0m) on each
     * stream at exit even with -B -q. Run on a copy of the launcher beside an empty pom project (so the build
     * takes seconds), whatever fails after Maven, its stderr holds no escape character.
     */
    @Test
    void theBuildStepsPrintNoColourCodes() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.createDirectories(root.resolve("jobs"));
        Files.createDirectories(root.resolve("src/main"));
        Files.copy(Path.of("jobs/alignloss"), root.resolve("jobs/alignloss"));
        Files.writeString(root.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>test</groupId><artifactId>empty</artifactId><version>1</version><packaging>pom</packaging>
                </project>
                """);
        Outcome outcome = run(root.resolve("jobs/alignloss").toString(), Map.of(), "--version");
        assertThat(outcome.stderr()).contains("alignloss: building").contains("alignloss: resolving Spark's jars")
                .doesNotContain("\u001b");
        assertThat(outcome.stdout()).doesNotContain("\u001b");
    }

    @Test
    void exitCodesPassThroughSparkSubmit() throws Exception {
        assertThat(launch(Map.of(), "--version").stdout()).contains("alignloss 0.1.0");
        Outcome usage = launch(Map.of(), "evaluate", "--config", temp.resolve("absent.conf").toString(), "--out", "x");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.stderr()).contains("absent.conf: no such file");
        Outcome rejects = launch(Map.of(), "evaluate", "--config", "conf/samples-bad.conf", "--out", temp.resolve("bad").toString());
        assertThat(rejects.status()).isEqualTo(3);
    }

    @Test
    void withSparkHomeItRunsThatSparkSubmitWithTheShadedJar() throws Exception {
        Path bin = Files.createDirectories(temp.resolve("spark/bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, """
                #!/usr/bin/env bash
                if [[ "$1" == "--version" ]]; then echo "Welcome to Spark version 4.1.0" >&2; exit 0; fi
                echo "submitted: $*"
                exit 0
                """);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Outcome outcome = launch(Map.of("SPARK_HOME", temp.resolve("spark").toString(),
                "ALIGNLOSS_SUBMIT_OPTS", "--master spark://127.0.0.1:7077"), "evaluate", "--config", "conf/samples.conf");
        assertThat(outcome.status()).isEqualTo(0);
        assertThat(outcome.stderr()).contains("(Spark 4.1.0)");
        assertThat(outcome.stdout()).contains("submitted: --class io.alignloss.cli.Main --master spark://127.0.0.1:7077 ")
                .contains("target/alignloss.jar evaluate --config conf/samples.conf");
    }

    @Test
    void trainOnTheSamplesShowsProgressAndWritesAModel() throws Exception {
        Path out = temp.resolve("reward");
        Outcome outcome = launch(Map.of(), "train", "--config", "conf/train-reward.conf", "--out", out.toString());
        assertThat(outcome.status()).as(outcome.stderr()).isEqualTo(0);
        assertThat(outcome.stderr()).contains("iteration 1: objective").contains("train accuracy").contains("validation loss");
        assertThat(out.resolve("model/model.json")).isRegularFile();
        assertThat(out.resolve("model/weights.f64")).isRegularFile();
        assertThat(temp.resolve("reward.checkpoints")).doesNotExist();
    }

    @Test
    void theNightlyScriptChecksItsDateAndRunsTheNightlyCommand() throws Exception {
        Outcome bad = run("jobs/nightly-eval.sh", Map.of(), "--config", "conf/nightly-samples.conf", "--date", "24.11.2026");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.stderr()).contains("invalid --date");
        assertThat(run("jobs/nightly-eval.sh", Map.of(), "--date", "2026-11-24").status()).isEqualTo(2);

        Path bin = Files.createDirectories(temp.resolve("spark/bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, """
                #!/usr/bin/env bash
                if [[ "$1" == "--version" ]]; then echo "Welcome to Spark version 4.1.0" >&2; exit 0; fi
                echo "submitted: $*"
                exit 4
                """);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Outcome outcome = run("jobs/nightly-eval.sh", Map.of("SPARK_HOME", temp.resolve("spark").toString()),
                "--config", "conf/nightly-samples.conf", "--date", "2026-11-24", "--set", "bootstrap=0");
        assertThat(outcome.status()).as("the job's exit code reaches the scheduler").isEqualTo(4);
        assertThat(outcome.stdout()).contains("alignloss.jar nightly --config conf/nightly-samples.conf --date 2026-11-24 --set bootstrap=0");
    }

    /**
     * Three read failures of issue 14 through the launcher: exit 2 and the one-line message on stderr, no stack
     * frame there, and the full trace in the run's log file.
     */
    @Test
    void readFailuresAreOneLineWithoutStackFramesAndTheirTraceIsInTheLogFile() throws Exception {
        Path logs = temp.resolve("logs");
        Map<String, String> environment = Map.of("ALIGNLOSS_LOG_DIR", logs.toString());

        Path folder = Files.createDirectories(temp.resolve("prefs"));
        Files.copy(Path.of("data-samples/preferences.parquet"), folder.resolve("part-00000.parquet"));
        byte[] sample = Files.readAllBytes(Path.of("data-samples/preferences.parquet"));
        Path truncated = Files.write(folder.resolve("part-00003.parquet"), java.util.Arrays.copyOf(sample, sample.length / 3));
        Path absent = temp.resolve("absent.parquet");
        Path csv = Files.writeString(temp.resolve("battles.csv"), "model_a,model_b,winner\nalpha,bravo,model_a\n");

        Outcome truncatedRun = launch(environment, "evaluate", "--config", config(folder), "--out", temp.resolve("o1").toString());
        assertOneLineFailure(truncatedRun, "alignloss: Cannot read input 'prefs': file:" + truncated.toAbsolutePath()
                + " is not a Parquet file (too short, or another format: no footer at its end)");
        Outcome absentRun = launch(environment, "evaluate", "--config", config(absent), "--out", temp.resolve("o2").toString());
        assertOneLineFailure(absentRun, "alignloss: Cannot read input 'prefs': file:" + absent.toAbsolutePath() + " does not exist");
        Outcome leaderboard = launch(environment, "leaderboard", "--battles", csv.toString(), "--out", temp.resolve("o3").toString());
        assertOneLineFailure(leaderboard, "alignloss: Cannot read battles: file:" + csv.toAbsolutePath()
                + " is not a Parquet file (too short, or another format: no footer at its end)");

        List<String> logText = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                logText.add(Files.readString(log));
            }
        }
        assertThat(logText).hasSize(3).allMatch(text -> text.contains("ERROR io.alignloss.trace: alignloss: Cannot read")
                && text.contains("\tat org.apache.spark."));
        assertThat(temp.resolve("o1")).doesNotExist();
    }

    private String config(Path input) throws Exception {
        Path file = temp.resolve("job-" + System.nanoTime() + ".conf");
        Files.writeString(file, """
                inputs.prefs { path = "%s", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                """.formatted(input.toAbsolutePath()));
        return file.toString();
    }

    private static void assertOneLineFailure(Outcome outcome, String line) {
        assertThat(outcome.status()).as(outcome.stderr()).isEqualTo(2);
        List<String> lines = outcome.stderr().lines().toList();
        assertThat(lines).as(outcome.stderr()).contains(line)
                .noneMatch(text -> text.startsWith("\tat ") || text.startsWith("Caused by") || text.contains("Exception"));
        assertThat(lines.stream().filter(text -> text.startsWith("alignloss: ")).toList()).containsExactly(line);
    }
}
