package io.alignloss.objective.expectedutility;

/**
 * The off-policy estimators of a target policy's expected utility V(π) from rows logged under a behaviour
 * policy μ, written once in plain Java for evaluate ({@link ExpectedUtilityObjective}, whose per-row sums
 * {@link ExpectedUtilityColumns} writes as columns) and for off-policy training ({@link LoggedPolicyLoss}).
 * Over logged rows with row weight ω, importance weight {@code w = π(a|x) / μ(a|x)} and utility U:
 * <pre>
 *   IPS         = Σ ω·w·U / Σ ω                       (Horvitz and Thompson 1952)
 *   SNIPS       = Σ ω·w·U / Σ ω·w                     (self-normalised; Swaminathan and Joachims 2015)
 *   clipped IPS = Σ ω·min(w, clip)·U / Σ ω            (Ionides 2008)
 * </pre>
 * each NaN where its denominator is 0.
 */
public final class OffPolicyEstimators {
    private OffPolicyEstimators() {
    }

    /** {@code w = π / μ}, from the two probabilities (evaluate reads both as columns). */
    public static double importanceWeight(double target, double behavior) {
        return target / behavior;
    }

    /** {@code w = π / μ = exp(log π − log μ)}, from log π (training holds the softmax as log-probabilities). */
    public static double importanceWeightFromLog(double logTarget, double behavior) {
        return Math.exp(logTarget - Math.log(behavior));
    }

    /** {@code min(w, clip)}, the weight of clipped IPS. */
    public static double clipped(double weight, double clip) {
        return Math.min(weight, clip);
    }

    /** {@code IPS = Σ ω·w·U / Σ ω}; NaN when Σ ω is 0. */
    public static double ips(double weightedUtility, double rowWeights) {
        return ratio(weightedUtility, rowWeights);
    }

    /** {@code SNIPS = Σ ω·w·U / Σ ω·w}; NaN when Σ ω·w is 0. */
    public static double snips(double weightedUtility, double importanceWeights) {
        return ratio(weightedUtility, importanceWeights);
    }

    /** {@code clipped IPS = Σ ω·min(w, clip)·U / Σ ω}; NaN when Σ ω is 0. */
    public static double clippedIps(double clippedWeightedUtility, double rowWeights) {
        return ratio(clippedWeightedUtility, rowWeights);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }
}
