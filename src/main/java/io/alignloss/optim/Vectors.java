package io.alignloss.optim;

/** Dense vector arithmetic on {@code double[]} for the optimisers (dimensions up to a few million). */
public final class Vectors {
    private Vectors() {
    }

    // a·b
    public static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    // ||a||₂
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    // y ← y + α·x
    public static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    // x + α·d
    public static double[] plus(double[] x, double alpha, double[] d) {
        double[] result = x.clone();
        axpy(alpha, d, result);
        return result;
    }

    // a − b
    public static double[] minus(double[] a, double[] b) {
        double[] result = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = a[i] - b[i];
        }
        return result;
    }

    /**
     * sum ← sum + other where null stands for a vector not summed yet (a pass without the gradient, or no row):
     * {@code other}'s copy when {@code sum} is null, {@code sum} itself (added into) otherwise.
     */
    public static double[] addInto(double[] sum, double[] other) {
        if (other == null) {
            return sum;
        }
        if (sum == null) {
            return other.clone();
        }
        for (int i = 0; i < other.length; i++) {
            sum[i] += other[i];
        }
        return sum;
    }

    // α·a
    public static double[] scale(double alpha, double[] a) {
        double[] result = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = alpha * a[i];
        }
        return result;
    }
}
