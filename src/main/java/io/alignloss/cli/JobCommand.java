package io.alignloss.cli;

import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.EvaluateJob;
import io.alignloss.job.SparkSessions;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** evaluate and validate: load and check the config before Spark starts, then run the job. */
abstract class JobCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    abstract EvaluateJob.Mode mode();

    @Override
    public Integer call() {
        JobConfig config = ConfigLoader.load(options.config, options.overrides, Optional.ofNullable(options.out));
        RedactingWriter.install(spec.commandLine(), config.redaction());
        String out = config.outputPath().orElseThrow(() -> new AlignLossException(ErrorCode.USAGE,
                "No output folder: pass --out DIR or set output.path in " + options.config));
        if (mode() == EvaluateJob.Mode.VALIDATE && options.out == null) {
            out = validateFolder(out);
        }
        EvaluateJob.checkObjectives(config);
        EvaluateJob.Settings settings = new EvaluateJob.Settings(config, out, options.overwrite.overwrite(), options.maxRejectFraction,
                options.seed, mode());
        EvaluateJob job = new EvaluateJob(settings);
        EvaluateJob.Result result;
        try (SparkSessions session = SparkSessions.open("alignloss " + mode().name().toLowerCase())) {
            try {
                result = job.run(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.duringRun(e, inputPaths(config), session.spark().sparkContext().hadoopConfiguration());
            }
        }
        Headline.print(spec.commandLine().getOut(), mode().name().toLowerCase(), result.output(), result.summary());
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
