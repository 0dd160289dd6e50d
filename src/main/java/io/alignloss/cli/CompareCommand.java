package io.alignloss.cli;

import io.alignloss.compare.CompareJob;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.SparkSessions;
import io.alignloss.summary.ObjectiveComparison;
import io.alignloss.summary.PairedComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/** {@code alignloss compare}: paired comparisons of two finished runs, example by example (docs/compare.md). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root, after the evaluate examples of alignloss --help and evaluate --help):",
                "  alignloss compare --a out/first-run --b out/samples --out out/compare \\", "      --max-regression 0.5"},
        description = "Compare two finished runs (two models or checkpoints scored on the same data) example by example: "
                + "joins their per_example/<objective>/ rows on id and writes, per objective and group, the paired difference "
                + "of the loss (b - a) with a paired cluster-bootstrap interval, z test, McNemar's exact test on `correct` and "
                + "Benjamini-Hochberg adjusted p-values to compare.json and report.html. Exit 4 when the lower bound of an "
                + "objective's interval exceeds --max-regression.")
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--a", paramLabel = "DIR", required = true, description = "The baseline run's output folder.")
    String a;

    @Option(names = "--b", paramLabel = "DIR", required = true, description = "The candidate run's output folder.")
    String b;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--objective", paramLabel = "NAME", description = "Compare this objective only (default: every objective both runs evaluated).")
    String objective;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
            description = "False discovery rate of the group verdicts; the intervals are at 1 - A (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--max-regression", paramLabel = "X",
            description = "Exit 4 (after publishing) when the lower bound of an objective's interval of L_b - L_a exceeds X.")
    Double maxRegression;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "1000",
            description = "Paired bootstrap replicates; 0 disables the intervals (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed of the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OverwriteOptions overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CompareJob.Settings settings = new CompareJob.Settings(a, b, out, Optional.ofNullable(objective), alpha,
                maxRegression == null ? OptionalDouble.empty() : OptionalDouble.of(maxRegression), bootstrap, seed, overwrite.overwrite());
        CompareJob.Result result;
        try (SparkSessions session = SparkSessions.open("alignloss compare")) {
            try {
                result = new CompareJob(settings).run(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.reading("per-example rows", e);
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (Map.Entry<String, ObjectiveComparison> objective : result.summary().objectives().entrySet()) {
            PairedComparison overall = objective.getValue().overall();
            stdout.println(String.format(Locale.ROOT, "alignloss: %s: L_b - L_a = %s, %.0f%% interval %s, p = %s (%d paired rows; %d only in a, "
                            + "%d only in b)", objective.getKey(), number(overall.difference()), 100 * settings.confidence(),
                    interval(overall), number(overall.pValue()), overall.count(), objective.getValue().onlyInA(),
                    objective.getValue().onlyInB()));
        }
        result.summary().warnings().forEach(warning -> stdout.println("alignloss: warning: " + warning));
        stdout.println("alignloss: comparison published at " + result.output());
        if (result.regressed()) {
            spec.commandLine().getErr().println("alignloss: threshold exceeded (output published at " + result.output() + "): "
                    + String.join("; ", result.summary().regressions()));
            return ErrorCode.THRESHOLD_EXCEEDED.exitStatus();
        }
        return 0;
    }

    private static String number(Double value) {
        return value != null ? String.format(Locale.ROOT, "%.4g", value) : "null";
    }

    private static String interval(PairedComparison figures) {
        return figures.ci() == null ? "n/a" : "[" + number(figures.ci().get(0)) + ", " + number(figures.ci().get(1)) + "]";
    }
}
