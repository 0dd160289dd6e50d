package io.alignloss.ml;

import io.alignloss.config.JobConfig;
import io.alignloss.config.OptimizerSettings;
import io.alignloss.config.TrainConfig;

/**
 * The defaults of {@code alignloss train}, read from the config loader itself (a config with no {@code train} block),
 * so the Spark ML Params' defaults cannot drift from the CLI's; {@link #SEED} and {@link #MAX_REJECT_FRACTION} are the
 * defaults of {@code --seed} and {@code --max-reject-fraction}.
 */
final class CliDefaults {
    /** {@code --seed}'s default. */
    static final long SEED = 42;
    /** {@code --max-reject-fraction}'s default. */
    static final double MAX_REJECT_FRACTION = 0.01;
    /** The {@code train} block of a config that sets none of its keys. */
    static final TrainConfig TRAIN = JobConfig.parse("inputs.pairs { path = \"unused\", kind = preference }\n"
            + "objectives = [ { name = model, type = bradley-terry, input = pairs } ]").train();

    private CliDefaults() {
    }

    static OptimizerSettings optimization() {
        return TRAIN.optimization();
    }
}
