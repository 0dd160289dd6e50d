package io.alignloss.diagnostics;

import org.apache.spark.sql.Column;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;

/**
 * Bucketed Poisson bootstrap and nested subsamples, both keyed by a seeded hash of each row's {@code id}.
 *
 * <p>Rows are hashed into {@link #BUCKETS} buckets; the scan keeps each bucket's sufficient statistics,
 * and a bootstrap replicate gives every bucket a Poisson(1) weight on the driver. Because the hash is a
 * uniform random assignment, buckets are i.i.d. clusters of random rows, and resampling them is a valid
 * bootstrap of the ratio estimator (a cluster bootstrap with exchangeable clusters); it costs nothing
 * per row beyond one hash, while a per-row Poisson bootstrap costs {@code bootstrap} random draws per row.
 * Independent bits of the same hash give a uniform {@code u} in [0, 1) that assigns rows to nested
 * subsample levels: the subsample at fraction f is every row with {@code u < f}.
 */
public final class Resampling {
    public static final int BUCKETS = 64;
    /** Fractions of the estimator learning curve; the subsample at fraction f_k is levels 0..k. */
    public static final double[] CURVE_FRACTIONS = {0.01, 0.03, 0.1, 0.3, 1.0};
    public static final int LEVELS = CURVE_FRACTIONS.length;

    private Resampling() {
    }

    // bucket = hash mod 256 (the low 8 bits)
    public static Column bucket(Column hash) {
        return pmod(hash, lit((long) BUCKETS)).cast("int");
    }

    // u = bits 8..31 of the hash / 2^24; level = first k with u < f_k
    public static Column level(Column hash) {
        Column u = pmod(shiftrightunsigned(hash, 8), lit(1L << 24)).cast("double").divide(1 << 24);
        Column level = lit(LEVELS - 1);
        for (int k = LEVELS - 2; k >= 0; k--) {
            level = when(u.lt(CURVE_FRACTIONS[k]), k).otherwise(level);
        }
        return level;
    }

    /** Poisson(1) weights, replicates × buckets, from the seed. */
    public static double[][] poissonWeights(int replicates, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] weights = new double[replicates][BUCKETS];
        for (double[] replicate : weights) {
            for (int b = 0; b < BUCKETS; b++) {
                replicate[b] = poisson1(random);
            }
        }
        return weights;
    }

    // Knuth: the number of uniforms whose running product stays above e^-1
    private static int poisson1(SplittableRandom random) {
        double limit = Math.exp(-1);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    /** Bootstrap replicates of a ratio from per-bucket sums: {@code L_r = Σ_b W_rb·wy_b / Σ_b W_rb·wx_b} (NaN when 0/0). */
    public static double[] replicateRatios(double[] wy, double[] wx, double[][] weights) {
        double[] ratios = new double[weights.length];
        for (int r = 0; r < weights.length; r++) {
            double numerator = 0;
            double denominator = 0;
            for (int b = 0; b < BUCKETS; b++) {
                numerator += weights[r][b] * wy[b];
                denominator += weights[r][b] * wx[b];
            }
            ratios[r] = denominator > 0 ? numerator / denominator : Double.NaN;
        }
        return ratios;
    }

    /**
     * The percentile interval of replicate values at the confidence level; null when the values are missing
     * or more than 5% of the replicates are undefined (NaN: a replicate that drew no weight for the slice).
     */
    public static double[] percentileInterval(double[] replicates, double confidence) {
        if (replicates == null || replicates.length == 0) {
            return null;
        }
        double[] defined = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
        if (defined.length < 2 || defined.length < 0.95 * replicates.length) {
            return null;
        }
        double alpha = (1 - confidence) / 2;
        return new double[] {quantile(defined, alpha), quantile(defined, 1 - alpha)};
    }

    // linear interpolation between order statistics (type 7)
    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
