package io.alignloss.cli;

import io.alignloss.job.EvaluateJob;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):", "  alignloss validate --config conf/samples.conf --out out/samples-checked"},
        description = "Check the config, the input schemas and the row rules; write rejects/ and a summary of them. "
                + "Evaluates nothing.")
final class ValidateCommand extends JobCommand {
    @Override
    EvaluateJob.Mode mode() {
        return EvaluateJob.Mode.VALIDATE;
    }
}
