package io.alignloss.leaderboard;

import static java.util.Objects.requireNonNull;

/** How many battles between {@code modelA} and {@code modelB} ended with {@code winner}. */
public record Outcome(String modelA, String modelB, Winner winner, long count) {
    public Outcome {
        requireNonNull(modelA, "modelA is null");
        requireNonNull(modelB, "modelB is null");
        requireNonNull(winner, "winner is null");
        if (modelA.equals(modelB)) {
            throw new IllegalArgumentException("Cannot count a battle of a model against itself: " + modelA);
        }
        if (count < 0) {
            throw new IllegalArgumentException("Cannot count " + count + " battles (must be >= 0)");
        }
    }
}
