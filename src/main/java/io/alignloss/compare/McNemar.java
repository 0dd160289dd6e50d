package io.alignloss.compare;

/**
 * McNemar's exact test of two paired classifiers on the discordant pairs: with {@code n10} pairs that only run a got
 * right and {@code n01} that only run b got right, under H₀ (either run as likely to be the one that is right)
 * {@code n01 ~ Binomial(n10 + n01, 1/2)}, and the two-sided p-value is
 * {@code p = min(1, 2·Σ_{k=0}^{min(n10, n01)} C(n, k)·2⁻ⁿ)}, {@code n = n10 + n01}; 1 when there is no discordant pair.
 * The terms are summed in log space ({@code log C(n, k)} from log-gamma), so it stays finite for any n.
 */
public final class McNemar {
    private McNemar() {
    }

    /** The exact two-sided p-value from the two discordant counts. */
    public static double exactPValue(long onlyA, long onlyB) {
        if (onlyA < 0 || onlyB < 0) {
            throw new IllegalArgumentException("Cannot test discordant pairs: a negative count " + Math.min(onlyA, onlyB));
        }
        long n = onlyA + onlyB;
        if (n == 0) {
            return 1.0;
        }
        long smaller = Math.min(onlyA, onlyB);
        double logHalfPowerN = -n * Math.log(2);
        double logFactorialN = logFactorial(n);
        // tail = Σ_{k ≤ smaller} C(n,k)·2⁻ⁿ, summed from the largest term (k = smaller) down to stay exact in doubles
        double largest = logFactorialN - logFactorial(smaller) - logFactorial(n - smaller) + logHalfPowerN;
        double relative = 0;
        for (long k = smaller; k >= 0; k--) {
            double term = logFactorialN - logFactorial(k) - logFactorial(n - k) + logHalfPowerN - largest;
            if (term < -745) { // below the smallest double: the rest adds nothing
                break;
            }
            relative += Math.exp(term);
        }
        double tail = Math.exp(largest) * relative;
        return Math.min(1.0, 2 * tail);
    }

    private static double logFactorial(long n) {
        return org.apache.commons.math3.special.Gamma.logGamma(n + 1.0);
    }
}
