package io.alignloss.leaderboard;

import io.alignloss.objective.bradleyterry.BradleyTerry;

/**
 * The Rao-Kupper loss of one battle, written once (Rao and Kupper 1967). With strengths π = e^θ, the margin
 * {@code d = θ_a − θ_b} (plus the style term under style control) and {@code α = ln ν ≥ 0}:
 * <pre>
 *   P(a beats b) = π_a/(π_a + ν·π_b) = σ(d − α)
 *   P(b beats a) = π_b/(π_b + ν·π_a) = σ(−d − α)
 *   P(tie)       = (ν² − 1)·π_a·π_b / ((π_a + ν·π_b)(π_b + ν·π_a)) = (ν² − 1)·σ(d − α)·σ(−d − α)
 * </pre>
 * so the negative log-likelihood is
 * <pre>
 *   a won: ℓ = softplus(α − d)
 *   b won: ℓ = softplus(α + d)
 *   tie:   ℓ = softplus(α − d) + softplus(α + d) − L(α),   L(α) = ln(ν² − 1) = 2α + ln(1 − e^−2α)
 * </pre>
 * Each term is convex in (d, α) (a softplus of a linear form; −L has {@code −L''(α) = 4e^−2α/(1 − e^−2α)² > 0}),
 * so the fit is convex in (θ, γ, α) on α > 0; −L(α) → +∞ as α → 0, which keeps a line search inside the domain
 * whenever some battle is a tie. Without ties the maximum is at the boundary ν = 1, the plain Bradley-Terry model.
 *
 * <p>With {@code p = σ(α − d)} and {@code q = σ(α + d)} the derivatives are
 * <pre>
 *   a won: ℓ_d = −p,      ℓ_α = p,              ℓ_dd = p(1−p),          ℓ_dα = −p(1−p),          ℓ_αα = p(1−p)
 *   b won: ℓ_d = q,       ℓ_α = q,              ℓ_dd = q(1−q),          ℓ_dα = q(1−q),           ℓ_αα = q(1−q)
 *   tie:   ℓ_d = q − p,   ℓ_α = p + q − L'(α),  ℓ_dd = p(1−p) + q(1−q), ℓ_dα = q(1−q) − p(1−p),  ℓ_αα = p(1−p) + q(1−q) − L''(α)
 * </pre>
 * with {@code L'(α) = 2/(1 − e^−2α)} and {@code L''(α) = −4e^−2α/(1 − e^−2α)²}.
 */
final class RaoKupper {
    private RaoKupper() {
    }

    /** First and second derivatives of one battle's loss in (d, α). */
    record Derivatives(double d, double alpha, double dd, double dAlpha, double alphaAlpha) {
    }

    /** ℓ(d, α) for the outcome of label y (1 a won, 0 b won, ½ tie); +∞ for a tie when α ≤ 0 (ν = 1 gives P(tie) = 0). */
    static double loss(double margin, double alpha, double label) {
        if (label == 1.0) {
            return BradleyTerry.softplus(alpha - margin);
        }
        if (label == 0.0) {
            return BradleyTerry.softplus(alpha + margin);
        }
        if (!(alpha > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        return BradleyTerry.softplus(alpha - margin) + BradleyTerry.softplus(alpha + margin) - logNuSquaredMinusOne(alpha);
    }

    static Derivatives derivatives(double margin, double alpha, double label) {
        double p = BradleyTerry.sigmoid(alpha - margin);
        double pp = BradleyTerry.curvature(alpha - margin);
        if (label == 1.0) {
            return new Derivatives(-p, p, pp, -pp, pp);
        }
        double q = BradleyTerry.sigmoid(alpha + margin);
        double qq = BradleyTerry.curvature(alpha + margin);
        if (label == 0.0) {
            return new Derivatives(q, q, qq, qq, qq);
        }
        // 1 − e^−2α = −expm1(−2α), exact for small α
        double oneMinus = -Math.expm1(-2 * alpha);
        double first = 2 / oneMinus;
        double second = -4 * Math.exp(-2 * alpha) / (oneMinus * oneMinus);
        return new Derivatives(q - p, p + q - first, pp + qq, qq - pp, pp + qq - second);
    }

    /** L(α) = ln(ν² − 1) = ln(e^2α − 1) = 2α + ln(−expm1(−2α)), α > 0. */
    static double logNuSquaredMinusOne(double alpha) {
        return 2 * alpha + Math.log(-Math.expm1(-2 * alpha));
    }

    /**
     * α where, at d = 0, P(tie) equals the share t of ties: (ν − 1)/(ν + 1) = t, α = ln((1 + t)/(1 − t)); the
     * starting point of the fit (t in (0, 1)).
     */
    static double alphaForTieShare(double share) {
        return Math.log1p(share) - Math.log1p(-share);
    }
}
