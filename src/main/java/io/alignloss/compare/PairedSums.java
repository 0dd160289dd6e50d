package io.alignloss.compare;

import io.alignloss.stats.Resampling;

import java.util.Arrays;

/**
 * The sufficient statistics of one cell (all paired rows, or one group value) of a paired comparison. Per resampling
 * bucket, the four sums {@code v = (Σ w_a·y_a, Σ w_a·x_a, Σ w_b·y_b, Σ w_b·x_b)} of the rows of the clusters hashed
 * to it; over the clusters, the second moments {@code M = Σ_c v_c·v_cᵀ} of the clusters' own sums (for the exact
 * clustered standard error); and the unweighted McNemar counts.
 *
 * @param count        paired rows
 * @param clusters     distinct cluster keys among them
 * @param buckets      {@code [4][}{@link Resampling#BUCKETS}{@code ]}: the four sums per bucket, in the order above
 * @param moments      {@code [4][4]}: {@code M}
 * @param correctPairs rows where both runs have a non-null {@code correct}
 * @param onlyA        of those, rows only run a got right
 * @param onlyB        of those, rows only run b got right
 */
record PairedSums(long count, long clusters, double[][] buckets, double[][] moments, long correctPairs, long onlyA, long onlyB) {
    static final int NUMERATOR_A = 0;
    static final int DENOMINATOR_A = 1;
    static final int NUMERATOR_B = 2;
    static final int DENOMINATOR_B = 3;

    static PairedSums empty() {
        return new PairedSums(0, 0, new double[4][Resampling.BUCKETS], new double[4][4], 0, 0, 0);
    }

    /** Adds one bucket's part: its rows, clusters, sums, the sum of its clusters' moments and McNemar counts. */
    PairedSums plusBucket(int bucket, long rows, long bucketClusters, double[] sums, double[][] bucketMoments, long pairs,
            long bucketOnlyA, long bucketOnlyB) {
        double[][] newBuckets = Arrays.stream(buckets).map(double[]::clone).toArray(double[][]::new);
        double[][] newMoments = Arrays.stream(moments).map(double[]::clone).toArray(double[][]::new);
        for (int s = 0; s < 4; s++) {
            newBuckets[s][bucket] += sums[s];
            for (int t = 0; t < 4; t++) {
                newMoments[s][t] += bucketMoments[s][t];
            }
        }
        return new PairedSums(count + rows, clusters + bucketClusters, newBuckets, newMoments, correctPairs + pairs,
                onlyA + bucketOnlyA, onlyB + bucketOnlyB);
    }

    /** {@code Σ_b} of one of the four sums. */
    double total(int sum) {
        return Arrays.stream(buckets[sum]).sum();
    }
}
