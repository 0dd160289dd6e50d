package io.alignloss.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A feature vector f(x, y): dense ({@code indices == null}) or sparse with sorted distinct indices.
 */
public final class FeatureVector implements Serializable {
    final int[] indices;
    final float[] values;

    private FeatureVector(int[] indices, float[] values) {
        this.indices = indices;
        this.values = values;
    }

    public static FeatureVector dense(float[] values) {
        return new FeatureVector(null, values);
    }

    /** A sparse vector; {@code indices} must be sorted and distinct. */
    public static FeatureVector sparse(int[] indices, float[] values) {
        return new FeatureVector(indices, values);
    }

    public boolean isDense() {
        return indices == null;
    }

    // φ·f
    public double dot(double[] weights) {
        double sum = 0;
        if (indices == null) {
            for (int i = 0; i < values.length; i++) {
                sum += weights[i] * values[i];
            }
        }
        else {
            for (int k = 0; k < indices.length; k++) {
                sum += weights[indices[k]] * values[k];
            }
        }
        return sum;
    }

    // a·f + b·g for two vectors of the same layout (Δf = f_w − f_l with a = 1, b = −1)
    public static FeatureVector combine(double a, FeatureVector f, double b, FeatureVector g) {
        if (f.isDense()) {
            float[] values = new float[f.values.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (a * f.values[i] + b * g.values[i]);
            }
            return dense(values);
        }
        int[] indices = new int[f.indices.length + g.indices.length];
        float[] values = new float[indices.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < f.indices.length || j < g.indices.length) {
            int fi = i < f.indices.length ? f.indices[i] : Integer.MAX_VALUE;
            int gj = j < g.indices.length ? g.indices[j] : Integer.MAX_VALUE;
            double value;
            int index;
            if (fi == gj) {
                index = fi;
                value = a * f.values[i++] + b * g.values[j++];
            }
            else if (fi < gj) {
                index = fi;
                value = a * f.values[i++];
            }
            else {
                index = gj;
                value = b * g.values[j++];
            }
            if (value != 0) {
                indices[n] = index;
                values[n++] = (float) value;
            }
        }
        return sparse(Arrays.copyOf(indices, n), Arrays.copyOf(values, n));
    }

    public int[] indices() {
        return indices;
    }

    public float[] values() {
        return values;
    }
}
