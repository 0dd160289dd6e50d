package io.alignloss.cli;

import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.EvaluateJob;
import io.alignloss.job.SparkSessions;
import io.alignloss.job.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):",
                "  alignloss train --config conf/train-reward.conf --out out/reward \\", "      --set train.max-iter=20"},
        description = "Fit a linear Bradley-Terry reward model (phi-hat = argmin of the regularised empirical loss) with "
                + "distributed L-BFGS or Adam; checkpoints to <out>.checkpoints, writes <out>/model, then evaluates the "
                + "objective with it (summary.json with a train block, report.html).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in <out>.checkpoints (starts afresh when there is none).")
    boolean resume;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JobConfig config = ConfigLoader.load(options.config, options.overrides, Optional.ofNullable(options.out));
        RedactingWriter.install(spec.commandLine(), config.redaction());
        String out = config.outputPath().orElseThrow(() -> new AlignLossException(ErrorCode.USAGE,
                "No output folder: pass --out DIR or set output.path in " + options.config));
        EvaluateJob.checkObjectives(config);
        TrainJob.checkTrainable(config);
        TrainJob job = new TrainJob(new TrainJob.Settings(config, out, options.overwrite.overwrite(), options.maxRejectFraction, options.seed, resume));
        EvaluateJob.Result result;
        try (SparkSessions session = SparkSessions.open("alignloss train")) {
            try {
                result = job.run(session.spark());
            }
            catch (Exception e) { // SparkException is checked; Scala throws it undeclared
                throw Failures.duringRun(e, JobCommand.inputPaths(config), session.spark().sparkContext().hadoopConfiguration());
            }
        }
        Headline.print(spec.commandLine().getOut(), "train", result.output(), result.summary());
        if (!result.exceededThresholds().isEmpty()) {
            spec.commandLine().getErr().println("alignloss: threshold exceeded (output published at " + result.output() + "): "
                    + String.join("; ", result.exceededThresholds()));
            return ErrorCode.THRESHOLD_EXCEEDED.exitStatus();
        }
        return 0;
    }
}
