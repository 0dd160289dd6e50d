package io.alignloss.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.GoldenFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The jobs on a real Spark standalone cluster (a master and two one-core workers on 127.0.0.1, started
 * from the jars Maven resolved), submitted with spark-submit: the same numbers as local mode (the golden summaries
 * of {@code GoldenSummaryTest}), an executor killed mid-job, and a driver killed mid-training then resumed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
    private static final Path JAR = Path.of("target/alignloss.jar");
    private static final Path CLASSPATH = Path.of("target/spark-classpath.txt");

    @TempDir
    static Path temp;

    private StandaloneCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        // the launcher builds the jar and Spark's runtime classpath file when missing
        Process launcher = new ProcessBuilder("jobs/alignloss", "--version").redirectErrorStream(true)
                .redirectOutput(temp.resolve("launcher.log").toFile()).start();
        assertThat(launcher.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(launcher.exitValue()).as(Files.readString(temp.resolve("launcher.log"))).isEqualTo(0);
        cluster = StandaloneCluster.start(temp.resolve("cluster"), CLASSPATH, 2);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode summary(Path run) throws Exception {
        return SummaryJson.mapper().readTree(Files.readString(run.resolve("summary.json")));
    }

    /**
     * The local-mode summary of the same command: {@code GoldenSummaryTest} runs every {@code conf/*.conf} in local mode in
     * the same build and checks its numbers against these files, so the cluster runs compare with them instead of
     * running each command once more locally through the launcher.
     */
    private static JsonNode local(String goldenRun) throws Exception {
        return GoldenFiles.read(GoldenFiles.FOLDER.resolve(goldenRun + ".summary.json"));
    }

    /** The golden run {@code train-reward}: 8 L-BFGS iterations to tol 1e-9, each a pass over the cached pairs on the executors. */
    private static final List<String> TRAIN = List.of("train", "--config", "conf/train-reward.conf");

    @Test
    void evaluateOnTheClusterGivesTheLocalNumbers() throws Exception {
        Path out = temp.resolve("cluster-evaluate");
        int status = cluster.submitAndWait("evaluate", JAR, List.of("evaluate", "--config", "conf/samples-diagnostics.conf",
                "--out", out.toString()), Duration.ofMinutes(10)); // 10 min measured at load 12-14
        assertThat(status).as(cluster.tail("evaluate")).isEqualTo(0);
        JsonNode remote = summary(out);
        assertThat(remote.at("/run/spark_master").asText()).isEqualTo(cluster.masterUrl());
        JsonNode expected = local("samples-diagnostics");
        for (String objective : List.of("bt", "lm", "utility")) {
            for (String key : List.of("/loss", "/stderr", "/ci/0", "/ci/1", "/groups/language/de/loss")) {
                assertThat(remote.at("/objectives/" + objective + key).asDouble()).as(objective + key)
                        .isCloseTo(expected.at("/objectives/" + objective + key).asDouble(), within(1e-9));
            }
        }
        assertThat(remote.at("/run/task_failures").asLong()).isZero();
    }

    @Test
    void trainOnTheClusterSurvivesALostExecutorWithTheLocalObjective() throws Exception {
        Path out = temp.resolve("cluster-train");
        List<String> remoteArgs = new java.util.ArrayList<>(TRAIN);
        remoteArgs.addAll(List.of("--out", out.toString()));
        Process driver = cluster.submit("train", JAR, remoteArgs);
        try {
            cluster.waitForLog("train", log -> log.contains("iteration 2: objective"), Duration.ofMinutes(3), driver);
            List<ProcessHandle> executors = cluster.executors();
            assertThat(executors).as("executor JVMs").hasSize(2);
            executors.get(0).destroyForcibly();
            assertThat(driver.waitFor(5, TimeUnit.MINUTES)).as(cluster.tail("train")).isTrue();
        }
        finally {
            StandaloneCluster.stop(driver); // a no-op once it has exited; on failure it frees the cluster for the next test
        }
        assertThat(driver.exitValue()).as(cluster.tail("train")).isEqualTo(0);

        JsonNode remote = summary(out);
        double expected = local("train-reward").at("/train/final_objective").asDouble();
        assertThat(remote.at("/train/final_objective").asDouble()).isCloseTo(expected, within(1e-6 * expected));
        assertThat(remote.at("/train/executors_lost").asLong() + remote.at("/run/executors_lost").asLong())
                .as("the summary says an executor was lost").isGreaterThanOrEqualTo(1);
        assertThat(remote.at("/train/task_failures").isIntegralNumber()).isTrue();
    }

    @Test
    void aDriverKilledMidTrainingResumesFromItsLastCheckpoint() throws Exception {
        Path out = temp.resolve("cluster-resume");
        List<String> args = new java.util.ArrayList<>(TRAIN);
        args.addAll(List.of("--set", "train.checkpoint-every=2", "--out", out.toString()));
        Process driver = cluster.submit("killed-driver", JAR, args);
        Path checkpoints = temp.resolve("cluster-resume.checkpoints");
        try {
            cluster.waitForLog("killed-driver", log -> log.contains("checkpoint ") && log.contains("iteration 3: objective"),
                    Duration.ofMinutes(3), driver);
        }
        finally {
            StandaloneCluster.stop(driver); // the kill under test, and on failure it frees the cluster for the next test
        }
        assertThat(out).doesNotExist();
        assertThat(checkpoints).isDirectory();

        List<String> resume = new java.util.ArrayList<>(args);
        resume.add("--resume");
        int status = cluster.submitAndWait("resumed", JAR, resume, Duration.ofMinutes(5));
        assertThat(status).as(cluster.tail("resumed")).isEqualTo(0);
        JsonNode resumed = summary(out);
        // resumed from a checkpoint taken before the kill, and it iterated on from there
        assertThat(resumed.at("/train/resumed_from_iteration").asLong()).isGreaterThanOrEqualTo(2)
                .isLessThan(resumed.at("/train/iterations").asLong());

        // the uninterrupted local run (checkpoints do not change the trajectory)
        double expected = local("train-reward").at("/train/final_objective").asDouble();
        assertThat(resumed.at("/train/final_objective").asDouble()).isCloseTo(expected, within(1e-6 * expected));
    }
}
