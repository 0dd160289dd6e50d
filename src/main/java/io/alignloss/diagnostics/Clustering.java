package io.alignloss.diagnostics;

import static java.util.Objects.requireNonNull;

/**
 * The clusters an objective's bootstrap resamples: the input's cluster column and the exact number G of its
 * distinct values among the accepted rows (a null value counts as one cluster, as it hashes to one bucket).
 * The bucket hash is taken of the cluster value, so a cluster lies in one of the {@link io.alignloss.stats.Resampling#BUCKETS}
 * buckets and all its rows move together in every replicate.
 *
 * @param column   the cluster column
 * @param clusters G, the number of distinct values
 */
public record Clustering(String column, long clusters) {
    /** Below this many clusters the interval and stderr are reported with a warning that they are unreliable. */
    public static final long MIN_RELIABLE = 30;

    public Clustering {
        requireNonNull(column, "column is null");
        if (clusters < 0) {
            throw new IllegalArgumentException("Cannot describe clusters: a negative count " + clusters);
        }
    }

    public boolean reliable() {
        return clusters >= MIN_RELIABLE;
    }
}
