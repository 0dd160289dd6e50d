package io.alignloss.compare;

import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;
import io.alignloss.summary.McNemarFigures;
import io.alignloss.summary.PairedComparison;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.List;

import static io.alignloss.compare.PairedSums.DENOMINATOR_A;
import static io.alignloss.compare.PairedSums.DENOMINATOR_B;
import static io.alignloss.compare.PairedSums.NUMERATOR_A;
import static io.alignloss.compare.PairedSums.NUMERATOR_B;

/**
 * The paired difference of two ratio estimators on the same rows, {@code D = L_b − L_a} with
 * {@code L_s = Σ w_s·y_s / Σ w_s·x_s} ({@code x = 1} for a mean over examples, a token count for token-weighted
 * objectives).
 *
 * <p>Standard error: linearised per example (the delta method), {@code D − D₀ ≈ Σ_i u_i} with
 * {@code u_i = w_b,i(y_b,i − L_b·x_b,i)/X_b − w_a,i(y_a,i − L_a·x_a,i)/X_a}, {@code X_s = Σ w_s·x_s}; rows of a
 * cluster are dependent, so {@code stderr² = Σ_c (Σ_{i∈c} u_i)² = αᵀ·M·α} with the cluster sums' second moments
 * {@code M} and {@code α = (−1/X_a, L_a/X_a, 1/X_b, −L_b/X_b)} (the same form as evaluate's stderr of one run, without
 * a small-sample factor). {@code z = D / stderr}, two-sided {@code p = 2·Φ(−|z|)}.
 *
 * <p>Interval: the paired cluster bootstrap of {@link Resampling}: each replicate gives every bucket (a random set of
 * whole clusters) one Poisson(1) weight, the same for both runs, and {@code D_r = L_b,r − L_a,r}; the percentile
 * interval of the {@code D_r} at {@code confidence}.
 */
final class PairedDifference {
    private PairedDifference() {
    }

    /**
     * The figures of one cell; p-values unadjusted.
     *
     * @param weights the replicates' bucket weights ({@link Resampling#poissonWeights}), the same for every cell
     * @param mcnemar whether the objective has {@code correct} (McNemar's test is added)
     */
    static PairedComparison of(PairedSums sums, double[][] weights, double confidence, boolean mcnemar) {
        double xa = sums.total(DENOMINATOR_A);
        double xb = sums.total(DENOMINATOR_B);
        double lossA = xa > 0 ? sums.total(NUMERATOR_A) / xa : Double.NaN;
        double lossB = xb > 0 ? sums.total(NUMERATOR_B) / xb : Double.NaN;
        double difference = lossB - lossA;
        double stderr = Double.NaN;
        if (sums.clusters() >= 2 && Double.isFinite(difference)) {
            double[] alpha = {-1 / xa, lossA / xa, 1 / xb, -lossB / xb};
            double variance = 0;
            for (int s = 0; s < 4; s++) {
                for (int t = 0; t < 4; t++) {
                    variance += alpha[s] * sums.moments()[s][t] * alpha[t];
                }
            }
            stderr = Math.sqrt(Math.max(variance, 0));
        }
        double z = stderr > 0 ? difference / stderr : Double.NaN;
        double pValue = Double.isFinite(z) ? 2 * new NormalDistribution().cumulativeProbability(-Math.abs(z)) : Double.NaN;
        List<Double> ci = null;
        if (weights.length > 0) {
            double[] replicatesA = Resampling.replicateRatios(sums.buckets()[NUMERATOR_A], sums.buckets()[DENOMINATOR_A], weights);
            double[] replicatesB = Resampling.replicateRatios(sums.buckets()[NUMERATOR_B], sums.buckets()[DENOMINATOR_B], weights);
            double[] differences = new double[weights.length];
            for (int r = 0; r < weights.length; r++) {
                differences[r] = replicatesB[r] - replicatesA[r];
            }
            double[] interval = Resampling.percentileInterval(differences, confidence);
            ci = interval == null ? null : List.of(interval[0], interval[1]);
        }
        McNemarFigures test = mcnemar ? new McNemarFigures(sums.correctPairs(), sums.onlyA(), sums.onlyB(),
                McNemar.exactPValue(sums.onlyA(), sums.onlyB()), null) : null;
        return new PairedComparison(sums.count(), sums.clusters(), Json.number(lossA), Json.number(lossB), Json.number(difference),
                Json.number(stderr), ci, Json.number(z), Json.number(pValue), null, null, test);
    }
}
