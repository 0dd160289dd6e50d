package io.alignloss.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;

/**
 * {@code bench samples}: the whole process of {@code jobs/alignloss evaluate --config <config> --out <tmp> --overwrite}, as a
 * user runs it (JVM and Spark start included), timed as a child process: one warm-up run (it may write the launcher's
 * class-data archive), then {@code repeat} timed runs. Each run's wall time, its CPU time and the load average are
 * printed, then the medians beside the goal of issue 16 (warm, whole process, at most {@value #GOAL_SECONDS} s).
 *
 * <p>With a baseline (another project tree, e.g. a build of {@code main}), the two launchers alternate after a warm-up
 * of each — baseline, this, this, baseline, … — in the same working directory and on the same config, and the ratio
 * of the medians (this / baseline) is printed: on a loaded machine only that ratio is comparable between runs.
 *
 * <p>A child's CPU time is the growth of this process's {@code cutime + cstime} in {@code /proc/self/stat} across
 * the run: the CPU of the children this JVM has waited for (the launcher execs {@code java}, so that is the job's
 * JVM), in clock ticks of 1/100 s (Linux's USER_HZ). Without {@code /proc} it is not printed.
 */
public final class SamplesBenchmark {
    /** Issue 16: {@code evaluate conf/samples.conf}, warm, whole process. */
    static final double GOAL_SECONDS = 10;
    static final Path LAUNCHER = Path.of("jobs", "alignloss");
    /** Linux's USER_HZ: the unit of the CPU times in /proc. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;

    private SamplesBenchmark() {
    }

    /**
     * The command line: the config to evaluate, timed runs per launcher, and an optional baseline project tree.
     *
     * @param baseline the root of another project tree whose {@code jobs/alignloss} is timed alternately
     */
    public record Settings(Path config, int repeat, Optional<Path> baseline) {
        public Settings {
            if (repeat < 1) {
                throw new IllegalArgumentException(format("Invalid --repeat %d (must be >= 1)", repeat));
            }
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException(format("Invalid --config %s (no such file)", config));
            }
            if (baseline.isPresent() && !Files.isExecutable(baseline.get().resolve(LAUNCHER))) {
                throw new IllegalArgumentException(format("Invalid --baseline %s (no executable %s in it)", baseline.get(), LAUNCHER));
            }
        }
    }

    /** One whole-process run: wall seconds, CPU seconds of the child (when /proc tells), the load average after it. */
    public record Run(String launcher, double seconds, OptionalDouble cpuSeconds, String load, boolean built) {
    }

    /** The timed runs of this tree's launcher and, with a baseline, of the baseline's (empty without one). */
    public record Results(List<Run> runs, List<Run> baselineRuns) {
        /** The median wall seconds of this tree's runs. */
        public double seconds() {
            return BenchSupport.median(runs.stream().mapToDouble(Run::seconds));
        }
    }

    /** Runs the warm-ups and the timed runs, printing each run as it ends. */
    public static Results run(Settings settings, Path work, PrintWriter out) throws IOException, InterruptedException {
        Path self = LAUNCHER;
        if (!Files.isExecutable(self)) {
            throw new IllegalStateException(format("No executable %s here: run the bench from the project root", LAUNCHER));
        }
        Optional<Path> other = settings.baseline().map(root -> root.resolve(LAUNCHER));
        out.printf("bench samples: `%s evaluate --config %s --out <tmp> --overwrite`, whole process, 1 warm-up then %d timed run(s)%s "
                + "(load average %s)%n", LAUNCHER, settings.config(), settings.repeat(),
                other.map(path -> ", alternating with the baseline " + path).orElse(""), BenchSupport.loadAverage());
        out.flush();
        if (other.isPresent()) {
            print("warm-up baseline", process(other.get(), settings.config(), work, "warm-baseline"), out);
        }
        print("warm-up", process(self, settings.config(), work, "warm"), out);
        List<Run> runs = new ArrayList<>();
        List<Run> baselineRuns = new ArrayList<>();
        for (int i = 0; i < settings.repeat(); i++) {
            // baseline, this, this, baseline, …: neither side always runs first
            boolean baselineFirst = i % 2 == 0;
            if (other.isPresent() && baselineFirst) {
                baselineRuns.add(print("baseline " + (i + 1), process(other.get(), settings.config(), work, "baseline-" + i), out));
            }
            runs.add(print("run " + (i + 1), process(self, settings.config(), work, "run-" + i), out));
            if (other.isPresent() && !baselineFirst) {
                baselineRuns.add(print("baseline " + (i + 1), process(other.get(), settings.config(), work, "baseline-" + i), out));
            }
        }
        return new Results(runs, baselineRuns);
    }

    /** The medians, the ratio to the baseline when there is one, and the goal. */
    public static void report(Results results, PrintWriter out) {
        out.printf("median of %d: %.1f s wall, %s CPU (load average now %s)%n", results.runs().size(), results.seconds(),
                cpu(results.runs()), BenchSupport.loadAverage());
        if (!results.baselineRuns().isEmpty()) {
            double baseline = BenchSupport.median(results.baselineRuns().stream().mapToDouble(Run::seconds));
            out.printf("baseline median of %d: %.1f s wall, %s CPU%n", results.baselineRuns().size(), baseline, cpu(results.baselineRuns()));
            out.printf("ratio this / baseline: %.2f wall", results.seconds() / baseline);
            OptionalDouble cpu = medianCpu(results.runs());
            OptionalDouble baselineCpu = medianCpu(results.baselineRuns());
            if (cpu.isPresent() && baselineCpu.isPresent()) {
                out.printf(", %.2f CPU", cpu.getAsDouble() / baselineCpu.getAsDouble());
            }
            out.println();
        }
        if (results.runs().stream().anyMatch(Run::built)) {
            out.println("  note: the launcher built the jar or resolved the classpath during a timed run: that run's time includes it");
        }
        out.printf("goal <= %.0f s (issue 16: `evaluate conf/samples.conf`, warm, whole process): %s (median %.1f s)%n", GOAL_SECONDS,
                results.seconds() <= GOAL_SECONDS ? "met" : "NOT met", results.seconds());
        out.flush();
    }

    private static Run print(String label, Run run, PrintWriter out) {
        out.printf("  %-16s %6.1f s wall, %s CPU (load average %s)%s%n", label, run.seconds(),
                run.cpuSeconds().isPresent() ? format("%.1f s", run.cpuSeconds().getAsDouble()) : "?", run.load(),
                run.built() ? " [the launcher built the jar or resolved the classpath first]" : "");
        out.flush();
        return run;
    }

    private static String cpu(List<Run> runs) {
        OptionalDouble cpu = medianCpu(runs);
        return cpu.isPresent() ? format("%.1f s", cpu.getAsDouble()) : "? s";
    }

    private static OptionalDouble medianCpu(List<Run> runs) {
        if (runs.stream().anyMatch(run -> run.cpuSeconds().isEmpty())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(BenchSupport.median(runs.stream().mapToDouble(run -> run.cpuSeconds().getAsDouble())));
    }

    private static Run process(Path launcher, Path config, Path work, String name) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".log");
        List<String> command = List.of(launcher.toString(), "evaluate", "--config", config.toString(), "--out",
                work.resolve(name).toString(), "--overwrite");
        OptionalDouble before = childrenCpuSeconds();
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int status = child.waitFor();
        double seconds = BenchSupport.seconds(start);
        OptionalDouble after = childrenCpuSeconds();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException(format("%s exited with %d:%n%s", String.join(" ", command), status, text));
        }
        OptionalDouble cpu = before.isPresent() && after.isPresent() ? OptionalDouble.of(after.getAsDouble() - before.getAsDouble())
                : OptionalDouble.empty();
        return new Run(launcher.toString(), seconds, cpu, BenchSupport.loadAverage(),
                text.contains("alignloss: building") || text.contains("alignloss: resolving"));
    }

    /** {@code cutime + cstime} of this process (the CPU of its waited-for children), in seconds; empty without /proc. */
    static OptionalDouble childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // fields after the command name (which may hold spaces) start at field 3 (state); cutime is field 16, cstime 17
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return OptionalDouble.of((Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / CLOCK_TICKS_PER_SECOND);
        }
        catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
