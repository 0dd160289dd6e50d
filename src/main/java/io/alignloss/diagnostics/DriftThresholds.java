package io.alignloss.diagnostics;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.OptionalDouble;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Limits on the change against the previous run; an absent limit is not checked.
 *
 * @param maxLossChange largest allowed {@code |loss_change|} of an objective
 * @param maxMixChange  largest allowed total variation distance between the group mixes of a group column
 */
public record DriftThresholds(OptionalDouble maxLossChange, OptionalDouble maxMixChange) {
    public DriftThresholds {
        requireNonNull(maxLossChange, "maxLossChange is null");
        requireNonNull(maxMixChange, "maxMixChange is null");
        check("max loss change", maxLossChange);
        check("max mix change", maxMixChange);
    }

    /** No limits: drift is reported, never exceeded. */
    public static DriftThresholds none() {
        return new DriftThresholds(OptionalDouble.empty(), OptionalDouble.empty());
    }

    private static void check(String name, OptionalDouble value) {
        if (value.isPresent() && !(Double.isFinite(value.getAsDouble()) && value.getAsDouble() >= 0)) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s: %s (must be a finite number >= 0)", name, value.getAsDouble()));
        }
    }
}
