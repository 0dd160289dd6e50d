package io.alignloss.optim;

/**
 * The L2 penalty {@code R(θ) = (λ/2)·||θ||²}, {@code ∇R = λ·θ}, added to the mean loss ({@link Scale#MEAN}:
 * λ is MLlib's {@code regParam}) or to the total loss ({@link Scale#TOTAL}: λ is the precision of a Gaussian prior
 * on θ). {@code train.l2} sets λ; the reward model and the policies use MEAN, the language model TOTAL.
 *
 * @param lambda λ ≥ 0
 * @param scale  what the penalty is added to
 */
public record L2Regularizer(double lambda, Scale scale) implements Regularizer {
    public L2Regularizer {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException(String.format("Invalid L2 coefficient: %s (must be finite and >= 0)", lambda));
        }
        if (scale == null) {
            throw new NullPointerException("scale is null");
        }
    }

    // (λ/2)·||θ||²
    @Override
    public double value(double[] x) {
        return lambda / 2 * Vectors.dot(x, x);
    }

    // + λ·θ
    @Override
    public void addGradient(double[] x, double[] gradient) {
        for (int j = 0; j < x.length; j++) {
            gradient[j] += lambda * x[j];
        }
    }
}
