package io.alignloss.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of feature rows stored compactly as floats: dense row-major {@code n × d}, or sparse rows in
 * compressed-row form. The two operations the losses need are a row's dot product with the weights and
 * adding a multiple of a row to a gradient.
 */
public abstract sealed class FeatureRows implements Serializable permits FeatureRows.Dense, FeatureRows.Sparse {
    /** Number of rows. */
    public abstract int size();

    // φ·f_i
    public abstract double dot(int row, double[] weights);

    // g ← g + α·f_i
    public abstract void addTo(int row, double alpha, double[] gradient);

    /** Bytes held (for the cache-size log line). */
    public abstract long bytes();

    static final class Dense extends FeatureRows {
        private final int dimension;
        private final float[] values;
        private final int size;

        Dense(int dimension, float[] values, int size) {
            this.dimension = dimension;
            this.values = values;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public double dot(int row, double[] weights) {
            return DenseKernels.INSTANCE.dot(values, row * dimension, weights, dimension);
        }

        @Override
        public void addTo(int row, double alpha, double[] gradient) {
            DenseKernels.INSTANCE.axpy(alpha, values, row * dimension, gradient, dimension);
        }

        @Override
        public long bytes() {
            return 4L * values.length;
        }
    }

    static final class Sparse extends FeatureRows {
        private final int[] starts;
        private final int[] indices;
        private final float[] values;

        Sparse(int[] starts, int[] indices, float[] values) {
            this.starts = starts;
            this.indices = indices;
            this.values = values;
        }

        @Override
        public int size() {
            return starts.length - 1;
        }

        @Override
        public double dot(int row, double[] weights) {
            double sum = 0;
            for (int k = starts[row]; k < starts[row + 1]; k++) {
                sum += weights[indices[k]] * values[k];
            }
            return sum;
        }

        @Override
        public void addTo(int row, double alpha, double[] gradient) {
            for (int k = starts[row]; k < starts[row + 1]; k++) {
                gradient[indices[k]] += alpha * values[k];
            }
        }

        @Override
        public long bytes() {
            return 4L * starts.length + 8L * values.length;
        }
    }

    /** Collects rows of one layout (all dense of one dimension, or all sparse). */
    static final class Builder {
        private final int dimension;
        private final boolean dense;
        private float[] values = new float[1024];
        private int[] indices = new int[1024];
        private int[] starts = new int[65];
        private int size;
        private int used;

        Builder(int dimension, boolean dense) {
            this.dimension = dimension;
            this.dense = dense;
        }

        void add(FeatureVector vector) {
            int length = vector.values.length;
            if (dense && length != dimension) {
                throw new IllegalArgumentException("feature vector of length " + length + ", expected " + dimension);
            }
            if (used + length > values.length) {
                int capacity = Math.max(values.length * 2, used + length);
                values = Arrays.copyOf(values, capacity);
                if (!dense) {
                    indices = Arrays.copyOf(indices, capacity);
                }
            }
            System.arraycopy(vector.values, 0, values, used, length);
            if (!dense) {
                System.arraycopy(vector.indices, 0, indices, used, length);
            }
            used += length;
            size++;
            if (size + 1 > starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[size] = used;
        }

        FeatureRows build() {
            if (dense) {
                return new Dense(dimension, Arrays.copyOf(values, used), size);
            }
            return new Sparse(Arrays.copyOf(starts, size + 1), Arrays.copyOf(indices, used), Arrays.copyOf(values, used));
        }
    }
}
