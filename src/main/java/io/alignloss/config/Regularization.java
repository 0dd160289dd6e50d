package io.alignloss.config;

/**
 * The penalty terms of the {@code train} block.
 *
 * @param l2            λ in {@code Σ w·ℓ / Σ w + (λ/2)·||φ||²} (MLlib's regParam; {@code train.l2}, {@link #DEFAULT_L2})
 * @param centerRewards c in TRL's reward-centring term {@code c·mean((r_w + r_l)²)} ({@code train.center-rewards}, 0)
 */
public record Regularization(double l2, double centerRewards) {
    public static final double DEFAULT_L2 = 1e-6;
}
