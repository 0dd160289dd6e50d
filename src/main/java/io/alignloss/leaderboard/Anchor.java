package io.alignloss.leaderboard;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/** {@code --anchor MODEL=RATING}: shift every rating so that MODEL has RATING. */
public record Anchor(String model, double rating) {
    public Anchor {
        requireNonNull(model, "model is null");
        if (model.isEmpty() || !Double.isFinite(rating)) {
            throw new IllegalArgumentException(format("Invalid anchor %s=%s", model, rating));
        }
    }

    /** Parses MODEL=RATING, splitting at the last '=' (a model name may contain one); exit 2 when it cannot. */
    public static Anchor parse(String text) {
        int split = text.lastIndexOf('=');
        if (split <= 0 || split == text.length() - 1) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --anchor '%s': expected MODEL=RATING, e.g. dall-e-3=1000", text));
        }
        String model = text.substring(0, split);
        String value = text.substring(split + 1).trim();
        double rating;
        try {
            rating = Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --anchor '%s': rating '%s' is not a number", text, value));
        }
        if (!Double.isFinite(rating)) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --anchor '%s': rating must be finite", text));
        }
        return new Anchor(model, rating);
    }

    @Override
    public String toString() {
        return model + "=" + rating;
    }
}
