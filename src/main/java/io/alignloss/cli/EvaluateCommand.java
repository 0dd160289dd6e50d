package io.alignloss.cli;

import io.alignloss.job.EvaluateJob;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate the configured objectives from logged scores and log-probabilities; "
                + "writes summary.json, per_example/ and rejects/ to the output folder.")
final class EvaluateCommand extends JobCommand {
    @Override
    EvaluateJob.Mode mode() {
        return EvaluateJob.Mode.EVALUATE;
    }
}
