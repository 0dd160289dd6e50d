package io.alignloss.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jobs/alignloss bench samples} as users run it, on a one-objective config with {@code --repeat 1}: the launcher
 * times a warm-up and one run of the whole evaluate process, and its printed lines carry the numbers the bench promises.
 */
class SamplesBenchmarkIT {
    private static final String NUMBER = "([0-9]+\\.[0-9])";

    @TempDir
    Path temp;

    @Test
    void printsEachRunTheMedianAndTheGoal() throws Exception {
        Path config = temp.resolve("tiny.conf");
        Files.writeString(config, "inputs { prefs { path = \"data-samples/preferences.parquet\", kind = preference } }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\npreference-biases = false\nbootstrap = 0\n");
        Path stdout = temp.resolve("stdout");
        Path stderr = temp.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(List.of("jobs/alignloss", "bench", "samples", "--repeat", "1", "--config", config.toString()))
                .directory(new File(".")).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().remove("SPARK_HOME");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bench samples did not finish in 5 minutes");
        }
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text + Files.readString(stderr, StandardCharsets.UTF_8)).isZero();

        Matcher run = Pattern.compile("(?m)^  run 1 +" + NUMBER + " s wall, " + NUMBER + " s CPU \\(load average [0-9. ]+\\)$").matcher(text);
        assertThat(run.find()).as(text).isTrue();
        double wall = Double.parseDouble(run.group(1));
        double cpu = Double.parseDouble(run.group(2));
        // a JVM that starts Spark and runs a job: more than a second of each; CPU is the child's, not 0 nor this JVM's idle wait
        assertThat(wall).isGreaterThan(1);
        assertThat(cpu).isGreaterThan(1);
        assertThat(text).containsPattern("(?m)^  warm-up +" + NUMBER + " s wall");

        Matcher median = Pattern.compile("(?m)^median of 1: " + NUMBER + " s wall, " + NUMBER + " s CPU").matcher(text);
        assertThat(median.find()).as(text).isTrue();
        assertThat(median.group(1)).isEqualTo(run.group(1));
        assertThat(median.group(2)).isEqualTo(run.group(2));

        Matcher goal = Pattern.compile("(?m)^goal <= 10 s \\(issue 16: `evaluate conf/samples.conf`, warm, whole process\\): (met|NOT met) "
                + "\\(median " + NUMBER + " s\\)$").matcher(text);
        assertThat(goal.find()).as(text).isTrue();
        assertThat(goal.group(1)).isEqualTo(wall <= 10 ? "met" : "NOT met");
    }
}
