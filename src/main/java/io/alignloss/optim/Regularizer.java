package io.alignloss.optim;

import java.io.Serializable;

/**
 * A penalty R(θ) on the parameters, added to a data loss. {@link Scale} says what it is added to; see
 * {@link RegularizedLoss} for the two objectives.
 */
public interface Regularizer extends Serializable {
    /** What the penalty is added to. */
    enum Scale {
        /**
         * To the mean loss: {@code J = Σ w·ℓ / Σ w + R(θ)} (MLlib's {@code regParam} convention; the reward model
         * and the policies). The penalty's weight against the data does not change with the amount of data.
         */
        MEAN,
        /**
         * To the total loss, before the division by the total weight: {@code J = (Σ w·ℓ + R(θ)) / Σ w}
         * (a Gaussian prior of precision λ on θ in a maximum a-posteriori fit; the language model). The penalty's
         * weight against the data shrinks as the data grows.
         */
        TOTAL
    }

    Scale scale();

    /** R(θ). */
    double value(double[] x);

    /** Adds ∇R(θ) to {@code gradient}. */
    void addGradient(double[] x, double[] gradient);
}
