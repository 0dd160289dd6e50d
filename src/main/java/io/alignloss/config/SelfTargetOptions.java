package io.alignloss.config;

import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * The keys of a {@code self-target} objective.
 *
 * @param resampling      its own bootstrap and confidence
 * @param model           the language model folder that picks the targets and scores them
 * @param maxTargetTokens greedy decoding's target length, 1..4096; empty: the language model's default
 */
public record SelfTargetOptions(Resampling resampling, Optional<String> model, OptionalInt maxTargetTokens)
        implements ObjectiveOptions {
    public static final String MAX_TARGET_TOKENS = "max-target-tokens";

    public SelfTargetOptions {
        requireNonNull(resampling, "resampling is null");
        requireNonNull(model, "model is null");
        requireNonNull(maxTargetTokens, "maxTargetTokens is null");
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.SELF_TARGET;
    }
}
