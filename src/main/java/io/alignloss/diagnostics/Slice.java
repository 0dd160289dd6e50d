package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;

import java.util.OptionalDouble;

/** Sums of a subset of the rows, per bucket and in total. */
final class Slice {
    private static final int BUCKETS = Resampling.BUCKETS;

    final double[] wy = new double[BUCKETS];
    final double[] wx = new double[BUCKETS];
    final double[] w = new double[BUCKETS];
    final LossStats stats = LossStats.empty();
    final LossStats[] buckets = new LossStats[BUCKETS];

    void add(Cell cell) {
        if (buckets[cell.bucket()] == null) {
            buckets[cell.bucket()] = LossStats.empty();
        }
        buckets[cell.bucket()].merge(cell.stats());
        wy[cell.bucket()] += cell.stats().numeratorSum();
        wx[cell.bucket()] += cell.stats().denominatorSum();
        w[cell.bucket()] += cell.stats().weightSum();
        stats.merge(cell.stats());
    }

    double loss() {
        return stats.loss().orElse(Double.NaN);
    }

    double[] replicates(double[][] weights) {
        return Resampling.replicateRatios(wy, wx, weights);
    }

    /** {@code Σ_c e_c²} of the slice's clusters at its own L̂, from its buckets ({@link Resampling#clusterSquares}). */
    double clusterSquares() {
        return Resampling.clusterSquares(wy, wx, stats.numeratorSum() / stats.denominatorSum());
    }

    /** Whether the slice has a loss and rows in at least two buckets (one bucket has no spread to measure). */
    boolean spread() {
        int filled = 0;
        for (LossStats bucket : buckets) {
            filled += bucket == null ? 0 : 1;
        }
        return stats.denominatorSum() > 0 && filled >= 2;
    }

    /**
     * Cluster-robust linearised standard error of the slice's loss from its buckets:
     * {@code sqrt(B/(B−1)·Σ_b (wy_b − L̂·wx_b)²) / Σwx}; empty without {@link #spread()}.
     */
    OptionalDouble clusterStderr() {
        return spread() ? OptionalDouble.of(Math.sqrt(clusterSquares()) / stats.denominatorSum()) : OptionalDouble.empty();
    }

    /** The statistics of replicate r: Σ_b W_rb·stats_b. */
    LossStats replicate(double[] bucketWeights) {
        LossStats replicate = LossStats.empty();
        for (int b = 0; b < BUCKETS; b++) {
            if (buckets[b] != null && bucketWeights[b] > 0) {
                replicate.addScaled(buckets[b], bucketWeights[b]);
            }
        }
        return replicate;
    }
}
