package io.alignloss.objective.dpo;

import io.alignloss.config.DpoLossType;
import io.alignloss.stats.Expressions;

/**
 * The DPO-family losses of one preference pair, written once in plain Java (the tests' and driver-side reference;
 * {@link DpoColumns} is the same arithmetic as Spark {@code Column}s). With the summed response log-probabilities
 * under the policy ({@code c}, {@code r}) and the reference ({@code c₀}, {@code r₀}; 0 without a reference):
 * <pre>
 *   Δ  = (c − c₀) − (r − r₀)                     the implicit reward margin over β
 *   Δ̄  = (c − c₀)/n_c − (r − r₀)/n_r             the same per response token (n_c, n_r the token counts)
 *   sigmoid:      ℓ = −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)                 (Rafailov et al. 2023)
 *   robust:       ℓ = (−(1−ε)·log σ(βΔ) + ε·log σ(−βΔ)) / (1 − 2ε)     (Chowdhury et al. 2024)
 *   hinge:        ℓ = max(0, 1 − βΔ)                                   (Zhao et al. 2023, SLiC)
 *   ipo:          ℓ = (Δ̄ − 1/(2β))²                                    (Azar et al. 2023)
 *   sigmoid_norm: ℓ = −log σ(βΔ̄)
 * </pre>
 * {@code log σ(z) = −softplus(−z)} with the stable softplus {@code max(z, 0) + log1p(e^−|z|)}, so every loss is finite
 * for every finite margin. The implicit rewards are {@code β·(c − c₀)} and {@code β·(r − r₀)} (TRL's
 * {@code rewards/chosen} and {@code rewards/rejected}), always from the summed log-probabilities.
 */
public final class DpoLoss {
    private DpoLoss() {
    }

    /** An implicit reward {@code β·(logp − ref_logp)}. */
    public static double reward(double beta, double logp, double refLogp) {
        return beta * (logp - refLogp);
    }

    /** {@code Δ = (c − c₀) − (r − r₀)}. */
    public static double delta(double chosen, double refChosen, double rejected, double refRejected) {
        return (chosen - refChosen) - (rejected - refRejected);
    }

    /** {@code Δ̄ = (c − c₀)/n_c − (r − r₀)/n_r}. */
    public static double normalisedDelta(double chosen, double refChosen, double chosenTokens, double rejected, double refRejected,
            double rejectedTokens) {
        return (chosen - refChosen) / chosenTokens - (rejected - refRejected) / rejectedTokens;
    }

    /**
     * The loss of {@code type} at margin {@code delta} (Δ̄ for the length-normalised types, Δ for the others), with
     * label smoothing ε {@code smoothing} (0 for the types without it).
     */
    public static double loss(DpoLossType type, double beta, double smoothing, double delta) {
        double z = beta * delta;
        return switch (type) {
            // −(1−ε)·log σ(z) − ε·log σ(−z) = (1−ε)·softplus(−z) + ε·softplus(z)
            case SIGMOID -> (1 - smoothing) * Expressions.softplus(-z) + smoothing * Expressions.softplus(z);
            // (−(1−ε)·log σ(z) + ε·log σ(−z)) / (1−2ε) = ((1−ε)·softplus(−z) − ε·softplus(z)) / (1−2ε)
            case ROBUST -> ((1 - smoothing) * Expressions.softplus(-z) - smoothing * Expressions.softplus(z)) / (1 - 2 * smoothing);
            case HINGE -> Math.max(0.0, 1 - z);
            case IPO -> square(delta - 1 / (2 * beta));
            // −log σ(βΔ̄) = softplus(−βΔ̄)
            case SIGMOID_NORM -> Expressions.softplus(-z);
        };
    }

    /** The pair counts as correct for {@code rewards/accuracies} when βΔ &gt; 0, strictly: a tie is wrong. */
    public static boolean correct(double beta, double delta) {
        return beta * delta > 0;
    }

    /** Both implicit rewards below 0. */
    public static boolean bothNegative(double chosenReward, double rejectedReward) {
        return chosenReward < 0 && rejectedReward < 0;
    }

    private static double square(double value) {
        return value * value;
    }
}
