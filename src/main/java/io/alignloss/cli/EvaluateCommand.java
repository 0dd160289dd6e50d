package io.alignloss.cli;

import io.alignloss.job.EvaluateJob;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):",
                "  alignloss evaluate --config conf/samples.conf --out out/samples \\", "      --set objectives.lm.mode=joint"},
        description = "Evaluate the configured objectives from logged scores and log-probabilities; "
                + "writes summary.json, per_example/ and rejects/ to the output folder.")
final class EvaluateCommand extends JobCommand {
    @Override
    EvaluateJob.Mode mode() {
        return EvaluateJob.Mode.EVALUATE;
    }
}
