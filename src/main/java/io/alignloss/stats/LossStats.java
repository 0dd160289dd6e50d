package io.alignloss.stats;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Sufficient statistics of a weighted ratio loss {@code L̂ = Σ w·y / Σ w·x} over a set of examples, where
 * {@code y} is an example's loss numerator and {@code x} its denominator (1 for a mean over examples, a
 * token count for token-weighted means), plus named weighted sums {@code Σ w·v} that objectives use for
 * their own figures. Sums are additive, so the statistics of a union are the sum of the parts: per-group
 * figures and the overall figure come from the same per-cell sums.
 */
public final class LossStats {
    private long count;
    private double weightSum;
    private double wx;
    private double wy;
    private double w2x2;
    private double w2xy;
    private double w2y2;
    private final Map<String, Double> sums = new TreeMap<>();

    public static LossStats empty() {
        return new LossStats();
    }

    /** Adds one example; used by tests and by callers that accumulate on the driver. */
    public LossStats add(double weight, double numerator, double denominator) {
        count++;
        weightSum += weight;
        wx += weight * denominator;
        wy += weight * numerator;
        w2x2 += weight * weight * denominator * denominator;
        w2xy += weight * weight * denominator * numerator;
        w2y2 += weight * weight * numerator * numerator;
        return this;
    }

    /** Adds already summed statistics of a group of examples. */
    public LossStats addSums(long count, double weightSum, double wx, double wy, double w2x2, double w2xy, double w2y2) {
        this.count += count;
        this.weightSum += weightSum;
        this.wx += wx;
        this.wy += wy;
        this.w2x2 += w2x2;
        this.w2xy += w2xy;
        this.w2y2 += w2y2;
        return this;
    }

    public LossStats addSum(String name, double value) {
        sums.merge(name, value, Double::sum);
        return this;
    }

    public LossStats merge(LossStats other) {
        addSums(other.count, other.weightSum, other.wx, other.wy, other.w2x2, other.w2xy, other.w2y2);
        other.sums.forEach(this::addSum);
        return this;
    }

    /**
     * Adds {@code factor} copies of another set's statistics (a bootstrap replicate's integer Poisson weight
     * of a bucket); the count is rounded to the nearest whole number.
     */
    public LossStats addScaled(LossStats other, double factor) {
        addSums(Math.round(other.count * factor), factor * other.weightSum, factor * other.wx, factor * other.wy,
                factor * other.w2x2, factor * other.w2xy, factor * other.w2y2);
        other.sums.forEach((name, value) -> addSum(name, factor * value));
        return this;
    }

    public long count() {
        return count;
    }

    public double weightSum() {
        return weightSum;
    }

    /** {@code Σ w·x}: the loss denominator (weight sum, or weighted token count). */
    public double denominatorSum() {
        return wx;
    }

    /** {@code Σ w·y}. */
    public double numeratorSum() {
        return wy;
    }

    /** A named weighted sum {@code Σ w·v}; 0 when no example contributed. */
    public double sum(String name) {
        return sums.getOrDefault(name, 0.0);
    }

    public Map<String, Double> sums() {
        return Collections.unmodifiableMap(sums);
    }

    /** {@code L̂ = Σwy / Σwx}; empty when {@code Σwx = 0} (no examples, or only zero weights). */
    public OptionalDouble loss() {
        return wx > 0 ? OptionalDouble.of(wy / wx) : OptionalDouble.empty();
    }

    /**
     * Linearised (ratio-estimator) standard error of {@code L̂}: {@code sqrt(Σ w²(y − L̂·x)²) / Σwx}, with the
     * square expanded into the accumulated sums; empty below two examples.
     */
    public OptionalDouble stderr() {
        if (count < 2 || wx <= 0) {
            return OptionalDouble.empty();
        }
        double ratio = wy / wx;
        // Σ w²(y − R x)² = Σw²y² − 2R Σw²xy + R² Σw²x²
        double squares = w2y2 - 2 * ratio * w2xy + ratio * ratio * w2x2;
        return OptionalDouble.of(Math.sqrt(Math.max(squares, 0)) / wx);
    }

    /** A weighted mean {@code Σ w·a / Σ w·b} of two named sums; empty when the denominator is 0. */
    public OptionalDouble ratio(String numerator, String denominator) {
        double bottom = sum(denominator);
        return bottom > 0 ? OptionalDouble.of(sum(numerator) / bottom) : OptionalDouble.empty();
    }

    /** {@code Σ w·v / Σ w}; empty when the weight sum is 0. */
    public OptionalDouble weightedMean(String name) {
        return weightSum > 0 ? OptionalDouble.of(sum(name) / weightSum) : OptionalDouble.empty();
    }
}
