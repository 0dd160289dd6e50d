package io.alignloss.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Spark standalone cluster on 127.0.0.1 started from the jars Maven resolved: a SPARK_HOME whose jars/
 * links them, a Master and Workers as child JVMs on free ports, and spark-submit as Spark's own SparkSubmit.
 * {@link #close()} stops every process it started (and their children: the executors), also on failure.
 */
final class StandaloneCluster implements AutoCloseable {
    static final List<String> JAVA_FLAGS = List.of(System.getProperty("alignloss.sparkFlags", "").split(" "));

    private final Path home;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    private final int masterPort;

    private StandaloneCluster(Path home, Path logs, int masterPort) {
        this.home = home;
        this.logs = logs;
        this.masterPort = masterPort;
    }

    /** Lays out SPARK_HOME from the launcher's classpath file and starts a master and {@code workers} one-core workers. */
    static StandaloneCluster start(Path folder, Path classpathFile, int workers) throws Exception {
        Path home = Files.createDirectories(folder.resolve("spark"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : Files.readString(classpathFile).trim().split(File.pathSeparator)) {
            Path source = Path.of(jar);
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, source);
            }
        }
        Path logs = Files.createDirectories(folder.resolve("logs"));
        StandaloneCluster cluster = new StandaloneCluster(home, logs, freePort());
        try {
            Process master = cluster.java("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(cluster.masterPort), "--webui-port", String.valueOf(freePort())), "1g");
            cluster.waitForLog("master", line -> line.contains("I have been elected leader"), Duration.ofSeconds(60), master);
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(folder.resolve("work-" + w));
                cluster.java("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                        "--memory", "1536m", "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()),
                        cluster.masterUrl()), "512m");
            }
            cluster.waitForLog("master", line -> count(cluster.log("master"), "Registering worker") >= workers,
                    Duration.ofSeconds(60), master);
            return cluster;
        }
        catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts spark-submit of the shaded jar against this cluster (not waiting for it). */
    Process submit(String name, Path jar, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.task.maxFailures=4", "--class", "io.alignloss.cli.Main", jar.toString()));
        command.addAll(args);
        return java(name, command, "2g", true);
    }

    /**
     * Runs spark-submit to completion and returns its exit status; on timeout the driver (and its children) is stopped
     * before the failure is thrown, so that it does not hold the cluster's cores while the next test waits for them.
     */
    int submitAndWait(String name, Path jar, List<String> args, Duration timeout) throws Exception {
        Process process = submit(name, jar, args);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            stop(process);
            throw new AssertionError(name + " did not finish in " + timeout + "; log:\n" + tail(name));
        }
        return process.exitValue();
    }

    /** Stops a process this cluster started, and its children, and waits for it. */
    static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The executor JVMs the workers started. */
    List<ProcessHandle> executors() {
        return processes.stream().flatMap(Process::descendants)
                .filter(handle -> handle.info().arguments().map(a -> String.join(" ", a).contains("CoarseGrainedExecutorBackend")).orElse(false))
                .toList();
    }

    String log(String name) {
        try {
            Path file = logs.resolve(name + ".log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (IOException e) {
            return "";
        }
    }

    String tail(String name) {
        String text = log(name);
        return text.substring(Math.max(0, text.length() - 4000));
    }

    void waitForLog(String name, Predicate<String> condition, Duration timeout, Process process) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.test(log(name))) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(name));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + name + ":\n" + tail(name));
    }

    private Process java(String name, List<String> arguments, String heap) throws IOException {
        return java(name, arguments, heap, false);
    }

    /** Starts a JVM; the drivers log with the project's log4j2 config (our INFO lines), the daemons with Spark's defaults. */
    private Process java(String name, List<String> arguments, String heap, boolean driver) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA_FLAGS.stream().filter(flag -> !flag.isBlank()).toList());
        command.add("-Xmx" + heap);
        if (driver) {
            command.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
        }
        command.add("-cp");
        command.add(home.resolve("jars") + File.separator + "*");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SPARK_HOME", home.toString());
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("SPARK_SCALA_VERSION", "2.13");
        environment.put("SPARK_EXECUTOR_OPTS", String.join(" ", JAVA_FLAGS));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    static Optional<String> lineContaining(String text, String needle) {
        return text.lines().filter(line -> line.contains(needle)).reduce((first, second) -> second);
    }
}
