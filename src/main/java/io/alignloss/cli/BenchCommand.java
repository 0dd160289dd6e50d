package io.alignloss.cli;

import io.alignloss.bench.CoverageBenchmark;
import io.alignloss.bench.EvaluateBenchmark;
import io.alignloss.bench.LeaderboardBenchmark;
import io.alignloss.bench.LmBenchmark;
import io.alignloss.bench.SamplesBenchmark;
import io.alignloss.bench.TrainBenchmark;
import io.alignloss.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Benchmarks, each timed against a baseline in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):", "  alignloss bench evaluate --rows 1000000 --repeat 2"},
        description = "Benchmarks. 'bench evaluate': the evaluate job against a hand-written Spark SQL aggregate of the same loss and "
                + "against DuckDB computing the same figures over the same Parquet (when its driver is on the classpath; checked to agree). "
                + "'bench train': the reward fit end to end (building the pair blocks, then L-BFGS to convergence) against MLlib "
                + "LogisticRegression from the same frame to the same optimum, alternated and repeated, with a plain Java loop per pass. "
                + "'bench scale': 20M rows evaluated and 10 L-BFGS iterations on 2M x 384 pairs, with a cluster projection. "
                + "'bench lm': language-model training tokens/s against the floor of its own arithmetic (FLOPs per token at the "
                + "machine's measured rate), with the ratio. "
                + "'bench coverage': the coverage of every reported 95%% interval over replicate datasets drawn from populations with a "
                + "known expected loss, run through the real evaluate and leaderboard jobs. "
                + "'bench leaderboard': the leaderboard job on generated battles (read and count, point fit, bootstrap) against the same "
                + "fit and bootstrap in a plain single-thread Java loop, and the whole process of jobs/alignloss leaderboard against "
                + "the goal (<= 15 s). "
                + "'bench samples': the whole process of jobs/alignloss evaluate on a config (default conf/samples.conf), warm, as a child "
                + "process, against the goal (<= 10 s), alternated with another project tree's launcher when --baseline names one.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Benchmark to run: evaluate, train, scale, lm, coverage, leaderboard or samples.")
    String name;

    @Option(names = "--rows", paramLabel = "N", description = "Generated rows (default: 5,000,000 for evaluate, 1,000,000 pairs for train; coverage: the shift case's data rows, 500,000; lm: every Alpaca row, "
            + "cycled when more are asked, or 5,000 synthetic rows).")
    Long rows;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions / Parquet files (default: 16; lm: the cores Spark uses; "
            + "leaderboard: 8).")
    Integer partitions;

    @Option(names = "--dimension", paramLabel = "D", defaultValue = "384", description = "train: embedding dimension (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--pairs", paramLabel = "M", defaultValue = "2000000", description = "scale: training pairs (default: ${DEFAULT-VALUE}).")
    long pairs;

    @Option(names = "--iterations", paramLabel = "K", description = "train: the iteration limit of both fits (default: 100; both stop at convergence first); lm: passes per round "
            + "and kind; Adam iterations timed = repeat x passes (default: 2).")
    Integer iterations;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "Timed repetitions after a warm-up (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--with-id", description = "evaluate: give the generated rows an id column (as logged data usually has); "
            + "without one, rows are identified and bucketed by hashing their text.")
    boolean withId;

    @Option(names = "--replicates", paramLabel = "R", defaultValue = "200", description = "coverage: replicate datasets per interval type "
            + "(default: ${DEFAULT-VALUE}; the shift case uses at most 50).")
    int replicates;

    @Option(names = "--cases", paramLabel = "A,B", split = ",", description = "coverage: the cases to run (default: all of "
            + "preference, sequence, leaderboard, drift, shift, clustered).")
    List<String> cases;

    @Option(names = "--out", paramLabel = "DIR", description = "coverage: folder for coverage.json (default: only the table on stdout).")
    Path out;

    @Option(names = "--battles", paramLabel = "N", defaultValue = "1580000", description = "leaderboard: generated battles (default: ${DEFAULT-VALUE}).")
    long battles;

    @Option(names = "--models", paramLabel = "M", defaultValue = "150", description = "leaderboard: models (default: ${DEFAULT-VALUE}).")
    int models;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "100", description = "leaderboard: bootstrap rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--tie-share", paramLabel = "S", defaultValue = "0.3", description = "leaderboard: share of battles that are ties, "
            + "half 'tie', half 'tie (bothbad)' (default: ${DEFAULT-VALUE}).")
    double tieShare;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/samples.conf", description = "samples: the config evaluated "
            + "(default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--baseline", paramLabel = "DIR", description = "samples: another project tree (e.g. a build of main) whose "
            + "jobs/alignloss runs alternately with this one's; prints the ratio of the medians.")
    Path baseline;

    @Option(names = "--keep", description = "Keep the generated data and outputs (in a temporary folder it names).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (!List.of("evaluate", "train", "scale", "lm", "coverage", "leaderboard", "samples").contains(name)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Unknown benchmark '" + name
                    + "' (valid: evaluate, train, scale, lm, coverage, leaderboard, samples)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (name.equals("samples")) {
            return samples(out);
        }
        if (name.equals("coverage")) {
            return coverage(out);
        }
        if (name.equals("leaderboard")) {
            return leaderboard(out);
        }
        if (name.equals("lm")) {
            Optional<Path> data = Files.isRegularFile(LmBenchmark.ALPACA) ? Optional.of(LmBenchmark.ALPACA) : Optional.empty();
            LmBenchmark.Settings settings = new LmBenchmark.Settings(rows == null ? 0 : rows, partitions == null ? 0 : partitions, repeat,
                    iterations == null ? 2 : iterations, seed, data, 1.0);
            try (SparkSessions session = SparkSessions.open("alignloss bench lm")) {
                LmBenchmark.run(session.spark(), settings, out);
            }
            return 0;
        }
        int partitions = this.partitions == null ? 16 : this.partitions;
        int iterations = this.iterations == null ? 10 : this.iterations;
        if (name.equals("train")) {
            try (SparkSessions session = SparkSessions.open("alignloss bench train")) {
                TrainBenchmark.run(session.spark(), rows == null ? 1_000_000 : rows, dimension, this.iterations == null ? 100 : this.iterations,
                        partitions, repeat, seed, out);
            }
            return 0;
        }
        if (name.equals("scale")) {
            Path scaleWork = EvaluateBenchmark.workFolder();
            try (SparkSessions session = SparkSessions.open("alignloss bench scale")) {
                io.alignloss.bench.ScaleBenchmark.run(session.spark(), rows == null ? 20_000_000 : rows, pairs, dimension, iterations,
                        partitions, seed, scaleWork, out);
            }
            finally {
                try (Stream<Path> paths = Files.walk(scaleWork)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            return 0;
        }
        long rows = this.rows == null ? 5_000_000 : this.rows;
        Path work = EvaluateBenchmark.workFolder();
        try (SparkSessions session = SparkSessions.open("alignloss bench evaluate")) {
            EvaluateBenchmark.Results results = EvaluateBenchmark.run(session.spark(), rows, partitions, repeat, seed, work, out, withId);
            EvaluateBenchmark.report(results, rows, out);
        }
        finally {
            removeUnlessKept(work, out);
        }
        return 0;
    }

    private int coverage(PrintWriter out) throws Exception {
        CoverageBenchmark.Settings settings;
        try {
            settings = new CoverageBenchmark.Settings(replicates, seed, cases == null ? CoverageBenchmark.Settings.allCases() : cases, 1.0,
                    rows == null ? 500_000 : rows);
        }
        catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = EvaluateBenchmark.workFolder();
        try (SparkSessions session = SparkSessions.open("alignloss bench coverage")) {
            CoverageBenchmark.Report report = CoverageBenchmark.run(session.spark(), settings, work, out);
            CoverageBenchmark.print(report, out);
            if (this.out != null) {
                out.println("wrote " + CoverageBenchmark.write(report, this.out));
            }
        }
        finally {
            removeUnlessKept(work, out);
        }
        return 0;
    }

    private int leaderboard(PrintWriter out) throws Exception {
        LeaderboardBenchmark.Settings settings;
        try {
            settings = new LeaderboardBenchmark.Settings(battles, models, rounds, tieShare, seed, partitions == null ? 8 : partitions, repeat);
        }
        catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = EvaluateBenchmark.workFolder();
        try (SparkSessions session = SparkSessions.open("alignloss bench leaderboard")) {
            LeaderboardBenchmark.run(session.spark(), settings, work, out);
        }
        finally {
            removeUnlessKept(work, out);
        }
        return 0;
    }

    private int samples(PrintWriter out) throws Exception {
        SamplesBenchmark.Settings settings;
        try {
            settings = new SamplesBenchmark.Settings(config, repeat, Optional.ofNullable(baseline));
        }
        catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = EvaluateBenchmark.workFolder();
        try {
            SamplesBenchmark.report(SamplesBenchmark.run(settings, work, out), out);
        }
        finally {
            removeUnlessKept(work, out);
        }
        return 0;
    }

    /** The benchmark's work folder is deleted after the run unless {@code --keep} asks to keep it. */
    private void removeUnlessKept(Path work, PrintWriter out) throws java.io.IOException {
        if (keep) {
            out.println("kept " + work);
            return;
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
