package io.alignloss.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of candidate sets as a linear softmax policy sees them: the features f(x, y) of every candidate
 * (candidates of one prompt adjacent), where each set starts, each candidate's utility U(x, y), and each
 * set's weight w_x and stable hash (for seeded mini-batches). Cached once; every optimiser pass reads it.
 */
public final class PolicyBlock implements Serializable {
    final FeatureRows features;
    /** Candidate rows of set s: starts[s] .. starts[s + 1] − 1. */
    final int[] starts;
    final double[] utility;
    final double[] weight;
    final long[] hash;
    /** Logged data: the behaviour policy's probability of each candidate that was shown; NaN for the others. */
    final double[] behavior;

    private PolicyBlock(FeatureRows features, int[] starts, double[] utility, double[] weight, long[] hash, double[] behavior) {
        this.features = features;
        this.starts = starts;
        this.utility = utility;
        this.weight = weight;
        this.hash = hash;
        this.behavior = behavior;
    }

    /** Number of candidate sets (prompts). */
    public int size() {
        return weight.length;
    }

    /** Number of candidates over all sets. */
    public int candidates() {
        return utility.length;
    }

    /** The features f(x, y) of every candidate, row = candidate index. */
    public FeatureRows features() {
        return features;
    }

    /** The first candidate of set s; its candidates are {@code start(s) .. start(s + 1) − 1}. */
    public int start(int set) {
        return starts[set];
    }

    /** Number of candidates of set s. */
    public int candidates(int set) {
        return starts[set + 1] - starts[set];
    }

    /** U(x, y) of every candidate: the block's own array, to be read and not written (the hot loops read it in place). */
    public double[] utilities() {
        return utility;
    }

    /** The behaviour policy's probability of a candidate that was shown; NaN for the others. */
    public double behavior(int candidate) {
        return behavior[candidate];
    }

    /** The weight w_x of set s. */
    public double weight(int set) {
        return weight[set];
    }

    /** The stable hash of set s (mini-batches, bootstrap buckets). */
    public long hash(int set) {
        return hash[set];
    }

    public long bytes() {
        return features.bytes() + 20L * utility.length + 20L * weight.length;
    }

    /** Builds a block set by set. */
    public static final class Builder {
        private final FeatureRows.Builder features;
        private int[] starts = new int[65];
        private double[] utility = new double[64];
        private double[] weight = new double[64];
        private long[] hash = new long[64];
        private double[] behavior = new double[64];
        private int sets;
        private int candidates;

        public Builder(int dimension, boolean dense) {
            this.features = new FeatureRows.Builder(dimension, dense);
        }

        /** Adds one prompt's candidates with their utilities. */
        public Builder add(FeatureVector[] candidateFeatures, double[] candidateUtility, double setWeight, long setHash) {
            double[] none = new double[candidateFeatures.length];
            Arrays.fill(none, Double.NaN);
            return add(candidateFeatures, candidateUtility, none, setWeight, setHash);
        }

        /**
         * Adds one prompt's logged candidates: {@code candidateBehavior} is the behaviour policy's probability of
         * each candidate that was shown (its utility observed) and NaN for the others (their utility is unused).
         */
        public Builder add(FeatureVector[] candidateFeatures, double[] candidateUtility, double[] candidateBehavior, double setWeight,
                long setHash) {
            if (candidateFeatures.length != candidateUtility.length || candidateFeatures.length != candidateBehavior.length
                    || candidateFeatures.length == 0) {
                throw new IllegalArgumentException("Cannot add a candidate set: " + candidateFeatures.length + " feature vectors and "
                        + candidateUtility.length + " utilities (need the same, at least one)");
            }
            for (int c = 0; c < candidateFeatures.length; c++) {
                features.add(candidateFeatures[c]);
                if (candidates == utility.length) {
                    utility = Arrays.copyOf(utility, candidates * 2);
                    behavior = Arrays.copyOf(behavior, candidates * 2);
                }
                behavior[candidates] = candidateBehavior[c];
                utility[candidates++] = candidateUtility[c];
            }
            if (sets == weight.length) {
                weight = Arrays.copyOf(weight, sets * 2);
                hash = Arrays.copyOf(hash, sets * 2);
                starts = Arrays.copyOf(starts, sets * 2 + 1);
            }
            weight[sets] = setWeight;
            hash[sets] = setHash;
            sets++;
            starts[sets] = candidates;
            return this;
        }

        public int size() {
            return sets;
        }

        public PolicyBlock build() {
            return new PolicyBlock(features.build(), Arrays.copyOf(starts, sets + 1), Arrays.copyOf(utility, candidates),
                    Arrays.copyOf(weight, sets), Arrays.copyOf(hash, sets), Arrays.copyOf(behavior, candidates));
        }
    }

    /**
     * The scores s_j = θ·f(x, y_j) of candidate set {@code set} into {@code scores[0..m)}, and their log-partition
     * {@code logsumexp(s) = max + log Σ exp(s_j − max)}, so that log π_j = s_j − logZ.
     */
    public double scores(int set, double[] theta, double[] scores) {
        int start = starts[set];
        int m = starts[set + 1] - start;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            scores[j] = features.dot(start + j, theta);
            max = Math.max(max, scores[j]);
        }
        double total = 0;
        for (int j = 0; j < m; j++) {
            total += Math.exp(scores[j] - max);
        }
        return max + Math.log(total);
    }
}
