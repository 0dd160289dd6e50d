package io.alignloss.leaderboard;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One leaderboard row. {@code rating} is +∞/−∞ for an unbounded model; {@code lower}/{@code upper} are NaN when no
 * bootstrap ran, and may be infinite when enough replicates left the model unbounded. {@code component} is the
 * connected group of models the rating was fitted in (ratings compare only within one); empty for an unbounded model.
 * With style control, rating/lower/upper are the style-controlled figures and {@code raw} the rating without it.
 */
public record Standing(String model, double rating, double lower, double upper, long battles, long wins, long losses,
        long ties, boolean unbounded, OptionalInt component, Optional<RawRating> raw) {

    public Standing(String model, double rating, double lower, double upper, long battles, long wins, long losses, long ties,
            boolean unbounded, OptionalInt component) {
        this(model, rating, lower, upper, battles, wins, losses, ties, unbounded, component, Optional.empty());
    }

    /** Under style control: the model's rating and interval fitted on the same battles without the style features. */
    public record RawRating(double rating, double lower, double upper) {
    }
}
