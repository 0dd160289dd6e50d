package io.alignloss.cli;

import io.alignloss.config.FeatureSpec;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.job.EmbedJob;
import io.alignloss.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "embed", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):",
                "  alignloss embed --input data-samples/preferences.parquet \\", "      --out out/preferences-embedded"},
        description = "Write the input rows with all-MiniLM-L6-v2 embeddings (chosen_embedding/rejected_embedding for "
                + "preference rows, embedding for sequence rows) to a Parquet dataset, computed once in the executors.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    DatasetOptions dataset;

    @Option(names = "--text", paramLabel = "WHAT", defaultValue = FeatureSpec.PROMPT_RESPONSE,
            description = "What the encoder reads: prompt-response (prompt and response joined by a blank line) or response "
                    + "(default: ${DEFAULT-VALUE}).")
    String text;

    @Override
    public Integer call() {
        if (!text.equals(FeatureSpec.PROMPT_RESPONSE) && !text.equals(FeatureSpec.RESPONSE)) {
            throw new AlignLossException(ErrorCode.USAGE, "Invalid --text '" + text + "' (valid: prompt-response, response)");
        }
        try (SparkSessions session = SparkSessions.open("alignloss embed")) {
            EmbedJob.run(session.spark(), dataset.input, dataset.out, dataset.overwrite.overwrite(), text);
        }
        return 0;
    }
}
