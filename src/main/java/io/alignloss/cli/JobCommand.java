package io.alignloss.cli;

import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.EvaluateJob;
import io.alignloss.job.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * evaluate and validate: load and check the config before Spark starts, then run the job. Its steps (load, outputFolder,
 * inSession, finish) are shared with train and nightly.
 */
abstract class JobCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    abstract EvaluateJob.Mode mode();

    @Override
    public Integer call() {
        JobConfig config = load(spec, options);
        String out = outputFolder(config, options);
        if (mode() == EvaluateJob.Mode.VALIDATE && options.out == null) {
            out = validateFolder(out);
        }
        EvaluateJob.Settings settings = new EvaluateJob.Settings(config, out, options.overwrite.overwrite(), options.run.maxRejectFraction,
                options.run.seed, mode());
        EvaluateJob job = new EvaluateJob(settings);
        String command = mode().name().toLowerCase();
        return finish(spec, command, inSession("alignloss " + command, config, job::run));
    }

    /** The config file with the --set overrides and --out; installs its redaction on the command's output. */
    static JobConfig load(CommandSpec spec, CommonOptions options) {
        JobConfig config = ConfigLoader.load(options.config, options.overrides, Optional.ofNullable(options.out));
        RedactingWriter.install(spec.commandLine(), config.redaction());
        return config;
    }

    /** --out, else output.path; a usage error when neither is given. */
    static String outputFolder(JobConfig config, CommonOptions options) {
        return config.outputPath().orElseThrow(() -> new AlignLossException(ErrorCode.USAGE,
                "No output folder: pass --out DIR or set output.path in " + options.config));
    }

    /** Runs {@code job} in a Spark session named {@code appName}; a failure names the configured input it came from. */
    static EvaluateJob.Result inSession(String appName, JobConfig config, Function<SparkSession, EvaluateJob.Result> job) {
        try (SparkSessions session = SparkSessions.open(appName, config.spark())) {
            try {
                return job.apply(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.duringRun(e, inputPaths(config), session.spark().sparkContext().hadoopConfiguration());
            }
        }
    }

    /** Prints the headline of a published run; its exit status: 4 when a threshold was exceeded, else 0. */
    static int finish(CommandSpec spec, String command, EvaluateJob.Result result) {
        Headline.print(spec.commandLine().getOut(), command, result.output(), result.summary());
        if (!result.exceededThresholds().isEmpty()) {
            spec.commandLine().getErr().println("alignloss: threshold exceeded (output published at " + result.output() + "): "
                    + String.join("; ", result.exceededThresholds()));
            return ErrorCode.THRESHOLD_EXCEEDED.exitStatus();
        }
        return 0;
    }

    /** Where validate writes without --out: the sibling {@code <output.path>.validate}, so evaluate's folder stays free. */
    static String validateFolder(String outputPath) {
        String trimmed = outputPath.replaceAll("/+$", "");
        return trimmed + ".validate";
    }

    /** The configured inputs' paths by name, to name the input a failing file belongs to. */
    static Map<String, String> inputPaths(JobConfig config) {
        Map<String, String> paths = new LinkedHashMap<>();
        config.inputs().forEach((name, input) -> paths.put(name, input.path()));
        return paths;
    }
}
