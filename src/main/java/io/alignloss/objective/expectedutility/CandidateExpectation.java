package io.alignloss.objective.expectedutility;

/**
 * The exact expected utility of a softmax policy over one candidate set, written once in plain Java for the
 * policy's training aggregator ({@link PolicyLossAggregate}) and its evaluation ({@link PolicyEvaluation}).
 * With scores {@code s_j} of the m candidates and utilities {@code U_j}:
 * <pre>
 *   log π_j = s_j − logsumexp(s)
 *   E_π[U]  = Σ_j π_j·U_j
 *   H(π)    = −Σ_j π_j·log π_j         (a candidate with π_j = 0 adds 0, not 0·(−∞))
 *   E_u[U]  = Σ_j U_j / m              (the uniform policy's)
 * </pre>
 * The candidate set's utilities are {@code utility[start .. start + m)}; its log-probabilities {@code logP[0 .. m)}.
 */
public final class CandidateExpectation {
    private CandidateExpectation() {
    }

    /** Turns the scores {@code s[0 .. m)} into {@code log π_j = s_j − logZ} in place, logZ = logsumexp(s). */
    public static void logProbabilities(double[] scores, double logZ, int m) {
        for (int j = 0; j < m; j++) {
            scores[j] -= logZ;
        }
    }

    /** {@code E_π[U] = Σ_j π_j·U_j}, π_j = exp(log π_j). */
    public static double expectation(double[] logP, double[] utility, int start, int m) {
        double expected = 0;
        for (int j = 0; j < m; j++) {
            expected += Math.exp(logP[j]) * utility[start + j];
        }
        return expected;
    }

    /** {@code H(π) = −Σ_j π_j·log π_j}, terms with π_j = 0 dropped. */
    public static double entropy(double[] logP, int m) {
        double h = 0;
        for (int j = 0; j < m; j++) {
            double p = Math.exp(logP[j]);
            h -= p > 0 ? p * logP[j] : 0;
        }
        return h;
    }

    /** {@code E_u[U] = Σ_j U_j / m}, the uniform policy's expected utility (summed as U_j / m, term by term). */
    public static double uniform(double[] utility, int start, int m) {
        double mean = 0;
        for (int j = 0; j < m; j++) {
            mean += utility[start + j] / m;
        }
        return mean;
    }
}
