package io.alignloss.cli;

import io.alignloss.job.ScoreJob;
import io.alignloss.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):",
                "  alignloss score --input data-samples/preferences-embedded.parquet \\", "      --model out/reward/model --out out/scored"},
        description = "Write the input rows with a trained reward model's scores (chosen_score/rejected_score for "
                + "preference rows, score for sequence rows) to a Parquet dataset.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model folder (<train output>/model).")
    String model;

    @Mixin
    DatasetOptions dataset;

    @Override
    public Integer call() {
        try (SparkSessions session = SparkSessions.open("alignloss score")) {
            ScoreJob.run(session.spark(), model, dataset.input, dataset.out, dataset.overwrite.overwrite());
        }
        return 0;
    }
}
