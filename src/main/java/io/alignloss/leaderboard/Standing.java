package io.alignloss.leaderboard;

/**
 * One leaderboard row. {@code rating} is +∞/−∞ for an unbounded model; {@code lower}/{@code upper} are NaN when no
 * bootstrap ran, and may be infinite when enough replicates left the model unbounded.
 */
public record Standing(String model, double rating, double lower, double upper, long battles, long wins, long losses,
        long ties, boolean unbounded) {
}
