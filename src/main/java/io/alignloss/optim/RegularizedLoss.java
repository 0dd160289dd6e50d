package io.alignloss.optim;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The training objective J(θ) from the loss sums of one pass ({@code S = Σ w·ℓ}, {@code G = Σ w·∇ℓ} over the rows
 * the pass kept, of weight {@code W_p = Σ w}) and a regulariser R. With {@link Normalisation.PassWeight} the sums
 * are divided by {@code W = W_p} (S' = S); with {@link Normalisation.FixedTotal} by {@code W = T}, and a
 * mini-batch of fraction f estimates the total by {@code S' = S / f} (f = 1 for a full pass):
 * <pre>
 *   Scale.MEAN:    J = S' / W + R(θ)          ∇J = G' / W + ∇R(θ)
 *   Scale.TOTAL:   J = (S' + R(θ)) / W        ∇J = (G' + ∇R(θ)) / W
 * </pre>
 * The reward model and the policies use PassWeight with MEAN ({@code J = Σ w·ℓ / Σ w + (λ/2)·||θ||²}); the
 * language model FixedTotal(T) with TOTAL ({@code J = (Σ w·NLL / f + (λ/2)·||θ||²) / T}).
 *
 * @param normalisation what divides the sums
 * @param regularizer   the penalty and what it is added to
 */
public record RegularizedLoss(Normalisation normalisation, Regularizer regularizer) {
    public RegularizedLoss {
        requireNonNull(normalisation, "normalisation is null");
        requireNonNull(regularizer, "regularizer is null");
    }

    /**
     * The reward model's and the policies' objective: PassWeight with an L2 penalty on the mean loss,
     * {@code J = Σ w·ℓ / Σ w + (λ/2)·||θ||²}.
     */
    public static RegularizedLoss meanL2(double l2) {
        return new RegularizedLoss(Normalisation.passWeight(), new L2Regularizer(l2, Regularizer.Scale.MEAN));
    }

    /**
     * J and ∇J at {@code x} from the sums of a pass that kept each row with probability {@code fraction}.
     *
     * @param figures figures of the same pass, carried into the {@link Evaluation}
     */
    public Evaluation evaluate(double[] x, LossAggregator<?, ?> sums, double fraction, Map<String, Double> figures) {
        double value;
        double[] gradient;
        double weight;
        if (normalisation instanceof Normalisation.FixedTotal fixed) {
            weight = fixed.total();
            value = sums.lossSum() / fraction;
            gradient = sums.gradientSum();
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] /= fraction;
            }
            if (regularizer.scale() == Regularizer.Scale.MEAN) {
                value /= weight;
                divide(gradient, weight);
            }
        }
        else {
            weight = sums.weightSum();
            boolean empty = !(weight > 0);
            if (regularizer.scale() == Regularizer.Scale.TOTAL) {
                if (empty) {
                    throw new IllegalStateException("Cannot scale a regulariser on the total loss: the pass added no weight");
                }
                value = sums.lossSum();
                gradient = sums.gradientSum();
            }
            else {
                value = empty ? 0 : sums.loss();
                gradient = empty ? new double[x.length] : sums.gradient();
            }
        }
        value += regularizer.value(x);
        regularizer.addGradient(x, gradient);
        if (regularizer.scale() == Regularizer.Scale.TOTAL) {
            value /= weight;
            divide(gradient, weight);
        }
        return new Evaluation(value, gradient, figures);
    }

    private static void divide(double[] vector, double by) {
        for (int j = 0; j < vector.length; j++) {
            vector[j] /= by;
        }
    }
}
