package io.alignloss.cli;

import io.alignloss.config.JobConfig;
import io.alignloss.job.EvaluateJob;
import io.alignloss.job.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        JobConfig config = JobCommand.load(spec, options);
        String out = JobCommand.outputFolder(config, options);
        TrainJob.checkTrainable(config);
        TrainJob job = new TrainJob(new TrainJob.Settings(config, out, options.overwrite.overwrite(), options.run.maxRejectFraction,
                options.run.seed, resume));
        return JobCommand.finish(spec, "train", JobCommand.inSession("alignloss train", config, job::run));
    }
}
