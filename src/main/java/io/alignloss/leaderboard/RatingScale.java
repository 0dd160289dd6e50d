package io.alignloss.leaderboard;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How strengths θ become reported ratings: {@code rating = scale·θ/ln 10 + base} (the Elo scale: a gap of
 * {@code scale} points is 10:1 odds), then, without L2, centred so the finite ratings average {@code base}, then
 * shifted so the anchor model has its rating.
 */
record RatingScale(double l2, double scale, double base, Optional<Anchor> anchor) {
    RatingScale {
        requireNonNull(anchor, "anchor is null");
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("Invalid l2: " + l2 + " (must be finite and >= 0)");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Invalid scale: " + scale + " (must be finite and > 0)");
        }
        if (!Double.isFinite(base)) {
            throw new IllegalArgumentException("Invalid base: " + base + " (must be finite)");
        }
    }

    // rating = scale·θ / ln 10 + base
    double rating(double theta) {
        return scale * theta / Math.log(10) + base;
    }

    // θ = (rating − base)·ln 10 / scale
    double theta(double rating) {
        return (rating - base) * Math.log(10) / scale;
    }
}
