package io.alignloss.config;

import java.util.Locale;

/**
 * The loss of a {@code dpo} objective ({@code loss-type}), named as TRL's {@code DPOConfig.loss_type} names it, with
 * {@code Δ} the implicit reward margin and {@code Δ̄} the same with every log-probability divided by its response's
 * token count (the formulas are written once, in {@code objective.dpo.DpoLoss}).
 */
public enum DpoLossType implements ConfigName {
    /** {@code −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ)} (Rafailov et al. 2023; conservative DPO with ε > 0). */
    SIGMOID,
    /** {@code (−(1−ε)·log σ(βΔ) + ε·log σ(−βΔ)) / (1 − 2ε)}, 0 ≤ ε &lt; ½ (Chowdhury et al. 2024, robust DPO). */
    ROBUST,
    /** {@code max(0, 1 − βΔ)} (SLiC, Zhao et al. 2023). */
    HINGE,
    /** {@code (Δ̄ − 1/(2β))²} (IPO, Azar et al. 2023), on length-normalised log-probabilities. */
    IPO,
    /** {@code −log σ(βΔ̄)}: the sigmoid loss on length-normalised log-probabilities. */
    SIGMOID_NORM;

    /** TRL's name, lower case with {@code _} kept ({@code sigmoid_norm}). */
    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the loss reads {@code Δ̄}, and so the {@code chosen_tokens} and {@code rejected_tokens} columns. */
    public boolean lengthNormalised() {
        return this == IPO || this == SIGMOID_NORM;
    }

    /** Whether the loss has a label-smoothing term ε. */
    public boolean smoothed() {
        return this == SIGMOID || this == ROBUST;
    }

    /** The type named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static DpoLossType fromConfig(String value, String key) {
        return ConfigName.parse(DpoLossType.class, value, key);
    }
}
