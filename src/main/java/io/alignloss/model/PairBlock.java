package io.alignloss.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of preference pairs as a linear reward model sees them: {@code Δf = f(x, y_w) − f(x, y_l)} per
 * pair (all the pairwise loss needs), {@code f(x, y_w) + f(x, y_l)} when reward centring is on, and the
 * pair's soft label, weight, margin offset and stable row hash (for seeded mini-batches). Caching these
 * blocks instead of the raw rows is what makes each optimiser pass cheap.
 */
public final class PairBlock implements Serializable {
    final FeatureRows delta;
    final FeatureRows sum;
    final double[] label;
    final double[] weight;
    final double[] offset;
    final long[] hash;

    private PairBlock(FeatureRows delta, FeatureRows sum, double[] label, double[] weight, double[] offset, long[] hash) {
        this.delta = delta;
        this.sum = sum;
        this.label = label;
        this.weight = weight;
        this.offset = offset;
        this.hash = hash;
    }

    public int size() {
        return label.length;
    }

    /** The rows of {@code Δf = f(x, y_w) − f(x, y_l)}. */
    public FeatureRows delta() {
        return delta;
    }

    /** The rows of {@code f(x, y_w) + f(x, y_l)}, or null when reward centring is off. */
    public FeatureRows sum() {
        return sum;
    }

    /** Pair i's soft label: the probability that {@code chosen} is preferred. */
    public double label(int i) {
        return label[i];
    }

    public double weight(int i) {
        return weight[i];
    }

    /** Pair i's margin offset δ. */
    public double offset(int i) {
        return offset[i];
    }

    /** Pair i's stable row hash (seeded mini-batches). */
    public long hash(int i) {
        return hash[i];
    }

    public long bytes() {
        return delta.bytes() + (sum == null ? 0 : sum.bytes()) + 32L * label.length;
    }

    /** Builds a block row by row. */
    public static final class Builder {
        private final FeatureRows.Builder delta;
        private final FeatureRows.Builder sum;
        private double[] label = new double[64];
        private double[] weight = new double[64];
        private double[] offset = new double[64];
        private long[] hash = new long[64];
        private int size;

        public Builder(int dimension, boolean dense, boolean centred) {
            this.delta = new FeatureRows.Builder(dimension, dense);
            this.sum = centred ? new FeatureRows.Builder(dimension, dense) : null;
        }

        /** Adds a pair from its two feature vectors. */
        public void add(FeatureVector chosen, FeatureVector rejected, double label, double weight, double offset, long hash) {
            delta.add(FeatureVector.combine(1, chosen, -1, rejected));
            if (sum != null) {
                sum.add(FeatureVector.combine(1, chosen, 1, rejected));
            }
            if (size == this.label.length) {
                int capacity = size * 2;
                this.label = Arrays.copyOf(this.label, capacity);
                this.weight = Arrays.copyOf(this.weight, capacity);
                this.offset = Arrays.copyOf(this.offset, capacity);
                this.hash = Arrays.copyOf(this.hash, capacity);
            }
            this.label[size] = label;
            this.weight[size] = weight;
            this.offset[size] = offset;
            this.hash[size] = hash;
            size++;
        }

        public int size() {
            return size;
        }

        public PairBlock build() {
            return new PairBlock(delta.build(), sum == null ? null : sum.build(), Arrays.copyOf(label, size),
                    Arrays.copyOf(weight, size), Arrays.copyOf(offset, size), Arrays.copyOf(hash, size));
        }
    }
}
