package io.alignloss.cli;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.Failures;
import io.alignloss.output.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point: {@code alignloss <command> [options]}. Exit status 0 ok, 2 usage/config/input-schema error,
 * 3 reject fraction exceeded, 4 threshold exceeded, 1 anything else. A failure is one line on stderr
 * ({@code alignloss: Cannot <action>: <why>}, see {@link Failures}); its stack trace goes to the logger
 * {@code io.alignloss.trace} (the run's log file under the launcher) and, with {@code --verbose}, to stderr.
 */
@Command(name = "alignloss", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Training objectives of large language models over Parquet datasets, on Apache Spark.",
        footer = {"", "Example (from the project root; alignloss COMMAND --help shows each command's):",
                "  alignloss evaluate --config conf/samples.conf --out out/first-run"},
        subcommands = {EvaluateCommand.class, ValidateCommand.class, TrainCommand.class, NightlyCommand.class, EmbedCommand.class, ScoreCommand.class, LeaderboardCommand.class, CompareCommand.class, SampleCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    /** Full stack traces of failures; conf/log4j2.properties sends them to the log file only. */
    private static final Logger TRACE = LoggerFactory.getLogger("io.alignloss.trace");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On failure, print the full stack trace to stderr as well (it always goes to the log).")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit status (never calls System.exit). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Logs.quietSpark();
        Main main = new Main();
        CommandLine commandLine = new CommandLine(main);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((error, line, parsed) -> {
            AlignLossException failure = error instanceof AlignLossException known ? known : Failures.describe(error);
            line.getErr().println("alignloss: " + failure.getMessage());
            TRACE.error("alignloss: {}", failure.getMessage(), error);
            if (main.verbose) {
                error.printStackTrace(line.getErr());
            }
            return failure.code().exitStatus();
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: evaluate, validate, train, nightly, embed, score, leaderboard, compare, sample or bench");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"alignloss " + Version.alignloss(),
                    "built for Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version")};
        }
    }
}
