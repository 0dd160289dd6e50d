package io.alignloss.stats;

import org.apache.spark.sql.Column;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

/**
 * Bucketed Poisson bootstrap and nested subsamples, both keyed by a seeded hash of each row's {@code id}.
 *
 * <p>Rows are hashed into {@link #BUCKETS} buckets; the scan keeps each bucket's sufficient statistics,
 * and a bootstrap replicate gives every bucket a Poisson(1) weight on the driver. Because the hash is a
 * uniform random assignment, buckets are i.i.d. clusters of random rows, and resampling them is a valid
 * bootstrap of the ratio estimator (a cluster bootstrap with exchangeable clusters); it costs nothing
 * per row beyond one hash, while a per-row Poisson bootstrap costs {@code bootstrap} random draws per row.
 * With 100 buckets the same key also gives the nested subsamples of the learning curve: the subsample at
 * fraction f is buckets 0 .. 100·f − 1 (1% = bucket 0, 3% = buckets 0–2, …), so the scan needs no second key.
 */
public final class Resampling {
    public static final int BUCKETS = 100;
    /** Fractions of the estimator learning curve; the subsample at fraction f is the buckets below 100·f. */
    public static final double[] CURVE_FRACTIONS = {0.01, 0.03, 0.1, 0.3, 1.0};

    private Resampling() {
    }

    // bucket = hash mod 100
    public static Column bucket(Column hash) {
        return pmod(hash, lit((long) BUCKETS)).cast("int");
    }

    /** {@link #bucket(Column)} in Java: the bucket of a hash already computed (non-negative, as {@code pmod}). */
    public static int bucketOf(long hash) {
        return (int) Math.floorMod(hash, (long) BUCKETS);
    }

    /** The number of buckets, 0 .. n − 1, that make up the subsample at a curve fraction. */
    public static int bucketsIn(double fraction) {
        return (int) Math.round(fraction * BUCKETS);
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
     * The sum of squared cluster residuals {@code Σ_c e_c²}, {@code e_c = Σ_{i∈c} w_i(y_i − L̂·x_i)}, estimated
     * from per-bucket sums when every cluster lies in one bucket:
     * {@code B/(B−1) · Σ_b S_b²} with {@code S_b = wy_b − L̂·wx_b} and {@code B = }{@link #BUCKETS}. With the
     * clusters hashed uniformly into the B buckets and {@code Σ_c e_c = 0} at {@code L̂}, the cross terms of
     * two clusters sharing a bucket have expectation {@code −Σ_c e_c²/B}, so the estimate is unbiased; it is
     * noisier than the exact sum (about B − 1 degrees of freedom when G ≫ B).
     *
     * @param ratio the L̂ the residuals are taken at
     */
    public static double clusterSquares(double[] wy, double[] wx, double ratio) {
        double squares = 0;
        for (int b = 0; b < BUCKETS; b++) {
            double residual = wy[b] - ratio * wx[b];
            squares += residual * residual;
        }
        return (double) BUCKETS / (BUCKETS - 1) * squares;
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
