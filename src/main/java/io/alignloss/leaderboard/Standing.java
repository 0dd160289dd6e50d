package io.alignloss.leaderboard;

import java.util.OptionalInt;

/**
 * One leaderboard row. {@code rating} is +∞/−∞ for an unbounded model; {@code lower}/{@code upper} are NaN when no
 * bootstrap ran, and may be infinite when enough replicates left the model unbounded. {@code component} is the
 * connected group of models the rating was fitted in (ratings compare only within one); empty for an unbounded model.
 */
public record Standing(String model, double rating, double lower, double upper, long battles, long wins, long losses,
        long ties, boolean unbounded, OptionalInt component) {
}
