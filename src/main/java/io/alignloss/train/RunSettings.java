package io.alignloss.train;

import io.alignloss.config.JobConfig;
import io.alignloss.output.Overwrite;

import static java.util.Objects.requireNonNull;

/** What a training run is told: the config, the output folder and its overwrite rule, the reject limit, the seed and --resume. */
public record RunSettings(JobConfig config, String out, Overwrite overwrite, double maxRejectFraction, long seed, boolean resume) {
    public RunSettings {
        requireNonNull(config, "config is null");
        requireNonNull(out, "out is null");
        requireNonNull(overwrite, "overwrite is null");
    }
}
