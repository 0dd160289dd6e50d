package io.alignloss.cli;

import io.alignloss.job.EvaluateJob;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the config, the input schemas and the row rules; write rejects/ and a summary of them. "
                + "Evaluates nothing.")
final class ValidateCommand extends JobCommand {
    @Override
    EvaluateJob.Mode mode() {
        return EvaluateJob.Mode.VALIDATE;
    }
}
