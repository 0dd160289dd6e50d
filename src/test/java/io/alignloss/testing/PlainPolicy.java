package io.alignloss.testing;

/**
 * A linear softmax policy computed with plain loops, for checking the code's figures independently:
 * {@code π(y|x) = exp(s_y − m) / Σ_j exp(s_j − m)}, {@code s_y = θ·f(x, y)}, {@code m = max_j s_j}. The features are
 * rounded to float first, as the policy's feature vectors store them.
 */
public final class PlainPolicy {
    private PlainPolicy() {
    }

    /** π(·|x) over one prompt's candidates; {@code features[y]} is candidate y's feature vector. */
    public static double[] probabilities(double[] theta, double[][] features) {
        double[] scores = new double[features.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < features.length; y++) {
            double s = 0;
            for (int k = 0; k < theta.length; k++) {
                s += theta[k] * (float) features[y][k];
            }
            scores[y] = s;
            max = Math.max(max, s);
        }
        double total = 0;
        for (int y = 0; y < scores.length; y++) {
            scores[y] = Math.exp(scores[y] - max);
            total += scores[y];
        }
        for (int y = 0; y < scores.length; y++) {
            scores[y] /= total;
        }
        return scores;
    }

    /** E_π[U | x] = Σ_y π(y|x)·U(x, y). */
    public static double expectedUtility(double[] theta, double[][] features, double[] utilities) {
        double[] p = probabilities(theta, features);
        double value = 0;
        for (int y = 0; y < p.length; y++) {
            value += p[y] * utilities[y];
        }
        return value;
    }
}
