package io.alignloss.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
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
 * from the jars Maven resolved), submitted with spark-submit: the same numbers as local mode, an executor
 * killed mid-job, and a driver killed mid-training then resumed.
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

    private static final List<String> TRAIN = List.of("train", "--config", "conf/train-reward.conf", "--set", "train.tol=1e-12",
            "--set", "train.max-iter=30", "--set", "train.l2=1e-5");
    private Double localTrain;

    /** The final objective of TRAIN in local mode, uninterrupted (computed once). */
    private synchronized double localTrainObjective() throws Exception {
        if (localTrain == null) {
            localTrain = summary(local("train", TRAIN.toArray(String[]::new))).at("/train/final_objective").asDouble();
        }
        return localTrain;
    }

    /** The same command in local mode, through the launcher. */
    private Path local(String name, String... args) throws Exception {
        Path out = temp.resolve("local-" + name);
        List<String> command = new java.util.ArrayList<>(List.of("jobs/alignloss"));
        command.addAll(List.of(args));
        command.addAll(List.of("--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(temp.resolve(name + "-local.log").toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(temp.resolve(name + "-local.log"))).isEqualTo(0);
        return out;
    }

    @Test
    void evaluateOnTheClusterGivesTheLocalNumbers() throws Exception {
        Path out = temp.resolve("cluster-evaluate");
        int status = cluster.submitAndWait("evaluate", JAR, List.of("evaluate", "--config", "conf/samples-diagnostics.conf",
                "--out", out.toString()), Duration.ofMinutes(5));
        assertThat(status).as(cluster.tail("evaluate")).isEqualTo(0);
        JsonNode remote = summary(out);
        assertThat(remote.at("/run/spark_master").asText()).isEqualTo(cluster.masterUrl());
        JsonNode expected = summary(local("evaluate", "evaluate", "--config", "conf/samples-diagnostics.conf"));
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
        cluster.waitForLog("train", log -> log.contains("iteration 2: objective"), Duration.ofMinutes(3), driver);
        List<ProcessHandle> executors = cluster.executors();
        assertThat(executors).as("executor JVMs").hasSize(2);
        executors.get(0).destroyForcibly();
        assertThat(driver.waitFor(5, TimeUnit.MINUTES)).as(cluster.tail("train")).isTrue();
        assertThat(driver.exitValue()).as(cluster.tail("train")).isEqualTo(0);

        JsonNode remote = summary(out);
        double expected = localTrainObjective();
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
        cluster.waitForLog("killed-driver", log -> log.contains("checkpoint ") && log.contains("iteration 3: objective"),
                Duration.ofMinutes(3), driver);
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly();
        driver.waitFor(30, TimeUnit.SECONDS);
        assertThat(out).doesNotExist();
        assertThat(checkpoints).isDirectory();

        List<String> resume = new java.util.ArrayList<>(args);
        resume.add("--resume");
        int status = cluster.submitAndWait("resumed", JAR, resume, Duration.ofMinutes(5));
        assertThat(status).as(cluster.tail("resumed")).isEqualTo(0);
        JsonNode resumed = summary(out);
        assertThat(resumed.at("/train/resumed_from_iteration").asLong()).isGreaterThanOrEqualTo(2);

        // the uninterrupted run (checkpoints do not change the trajectory)
        double expected = localTrainObjective();
        assertThat(resumed.at("/train/final_objective").asDouble()).isCloseTo(expected, within(1e-6 * expected));
    }
}
