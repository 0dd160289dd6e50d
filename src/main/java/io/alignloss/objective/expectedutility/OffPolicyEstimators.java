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
 * With a reward estimate q̂(x, a) on the utility scale for every candidate a of the logged row's set, the target
 * policy's π over the whole set, and {@code DM_x = Σ_a π(a|x)·q̂(x, a)} (the direct method's value of the set):
 * <pre>
 *   DM          = Σ ω·DM_x / Σ ω
 *   DR          = Σ ω·[DM_x + w·(U − q̂(x, a_logged))] / Σ ω                         (Dudík, Langford and Li 2011)
 *   SNDR        = Σ ω·DM_x / Σ ω + Σ ω·w·(U − q̂(x, a_logged)) / Σ ω·w              (self-normalised correction)
 *   switch-DR   = Σ ω·[DM_x + 1{w ≤ τ}·w·(U − q̂(x, a_logged))] / Σ ω               (Wang, Agarwal and Dudík 2017)
 * </pre>
 * each NaN where its denominator is 0. The sums they read are Σ ω·DM_x, Σ ω·w·(U − q̂) and Σ ω·1{w ≤ τ}·w·(U − q̂).
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

    /** {@code DM_x = Σ_a π(a|x)·q̂(x, a)} over one candidate set (π and q̂ of its candidates, in the same order). */
    public static double directTerm(double[] target, double[] qHat) {
        double total = 0;
        for (int a = 0; a < target.length; a++) {
            total += target[a] * qHat[a];
        }
        return total;
    }

    /** {@code 1{w ≤ τ}·w}, switch-DR's weight of the correction term: 0 above τ, where q̂ alone is used. */
    public static double switched(double weight, double tau) {
        return weight <= tau ? weight : 0;
    }

    /** {@code DM = Σ ω·DM_x / Σ ω}; NaN when Σ ω is 0. */
    public static double directMethod(double directSum, double rowWeights) {
        return ratio(directSum, rowWeights);
    }

    /** {@code DR = (Σ ω·DM_x + Σ ω·w·(U − q̂)) / Σ ω}; NaN when Σ ω is 0. */
    public static double doublyRobust(double directSum, double correctionSum, double rowWeights) {
        return ratio(directSum + correctionSum, rowWeights);
    }

    /** {@code SNDR = Σ ω·DM_x / Σ ω + Σ ω·w·(U − q̂) / Σ ω·w}; NaN when either denominator is 0. */
    public static double selfNormalisedDoublyRobust(double directSum, double correctionSum, double rowWeights, double importanceWeights) {
        return ratio(directSum, rowWeights) + ratio(correctionSum, importanceWeights);
    }

    /** {@code switch-DR = (Σ ω·DM_x + Σ ω·1{w ≤ τ}·w·(U − q̂)) / Σ ω}; NaN when Σ ω is 0. */
    public static double switchDoublyRobust(double directSum, double switchedCorrectionSum, double rowWeights) {
        return doublyRobust(directSum, switchedCorrectionSum, rowWeights);
    }

    private static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }
}
