package io.alignloss.lm;

import java.io.Serializable;

/**
 * What one pass over sequence blocks adds up: the weighted NLL {@code Σ w·(−log Pr)}, the weighted and plain
 * counts of scored positions, the rows, and the gradient of the weighted NLL as a sparse vector (sorted
 * indices, values), so only the parameters the rows touched travel through the aggregation tree.
 */
public final class LmSums implements Serializable {
    double nll;
    double weightedTokens;
    long tokens;
    long rows;
    int[] index = new int[0];
    double[] value = new double[0];

    public double nll() {
        return nll;
    }

    public double weightedTokens() {
        return weightedTokens;
    }

    public long tokens() {
        return tokens;
    }

    public long rows() {
        return rows;
    }

    /** Non-zero gradient entries carried. */
    public int nonZeros() {
        return index.length;
    }

    /** Takes the non-zero entries of a dense gradient. */
    void setGradient(double[] dense) {
        int count = 0;
        for (double v : dense) {
            if (v != 0) {
                count++;
            }
        }
        index = new int[count];
        value = new double[count];
        int at = 0;
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] != 0) {
                index[at] = i;
                value[at++] = dense[i];
            }
        }
    }

    /** The gradient as a dense vector of {@code dimension}. */
    public double[] gradient(int dimension) {
        double[] dense = new double[dimension];
        for (int i = 0; i < index.length; i++) {
            dense[index[i]] += value[i];
        }
        return dense;
    }

    /** The sum of two partial sums (a merge of their sorted sparse gradients). */
    public static LmSums merge(LmSums a, LmSums b) {
        LmSums merged = new LmSums();
        merged.nll = a.nll + b.nll;
        merged.weightedTokens = a.weightedTokens + b.weightedTokens;
        merged.tokens = a.tokens + b.tokens;
        merged.rows = a.rows + b.rows;
        int[] index = new int[a.index.length + b.index.length];
        double[] value = new double[index.length];
        int i = 0;
        int j = 0;
        int at = 0;
        while (i < a.index.length || j < b.index.length) {
            if (j == b.index.length || (i < a.index.length && a.index[i] < b.index[j])) {
                index[at] = a.index[i];
                value[at++] = a.value[i++];
            }
            else if (i == a.index.length || b.index[j] < a.index[i]) {
                index[at] = b.index[j];
                value[at++] = b.value[j++];
            }
            else {
                index[at] = a.index[i];
                value[at++] = a.value[i++] + b.value[j++];
            }
        }
        merged.index = java.util.Arrays.copyOf(index, at);
        merged.value = java.util.Arrays.copyOf(value, at);
        return merged;
    }
}
