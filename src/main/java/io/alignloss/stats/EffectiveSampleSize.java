package io.alignloss.stats;

import java.util.OptionalDouble;

/**
 * Kish's effective sample size of weighted rows, {@code ESS = (Σ v)² / Σ v²}, where {@code v = ω·w} is each
 * row's combined weight: its importance weight ω times its row weight w. It is the number of equally weighted
 * rows whose mean has the variance of the weighted mean (for rows of equal variance); the design effect is
 * {@code n / ESS}. Both the off-policy {@code ess} and the covariate-shift {@code ess} use it.
 *
 * @param sum          Σ v over the rows
 * @param sumOfSquares Σ v² over the rows
 */
public record EffectiveSampleSize(double sum, double sumOfSquares) {
    /** The sums of the combined weights {@code v_i}. */
    public static EffectiveSampleSize of(double... combinedWeights) {
        double sum = 0;
        double squares = 0;
        for (double v : combinedWeights) {
            sum += v;
            squares += v * v;
        }
        return new EffectiveSampleSize(sum, squares);
    }

    /** The square of one row's combined weight, {@code v² = (ω·w)²}: what {@link #sumOfSquares()} adds up. */
    public static double square(double importanceWeight, double rowWeight) {
        double v = importanceWeight * rowWeight;
        return v * v;
    }

    /** {@code (Σ v)² / Σ v²}; empty when Σ v² = 0 (no row, or every weight 0). */
    public OptionalDouble value() {
        return sumOfSquares > 0 ? OptionalDouble.of(sum * sum / sumOfSquares) : OptionalDouble.empty();
    }

    /** {@code n / ESS} for n rows; empty when the ESS is undefined or 0. */
    public OptionalDouble designEffect(long rows) {
        OptionalDouble ess = value();
        return ess.isPresent() && ess.getAsDouble() > 0 ? OptionalDouble.of(rows / ess.getAsDouble()) : OptionalDouble.empty();
    }
}
