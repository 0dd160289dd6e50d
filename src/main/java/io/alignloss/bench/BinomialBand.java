package io.alignloss.bench;

/**
 * Exact binomial quantiles: the band in which the number of covering intervals out of {@code n} falls with
 * probability at least {@code level} when each covers independently with probability {@code p}.
 *
 * <p>{@code lower = Q(α/2)} and {@code upper = Q(1 − α/2)} with {@code α = 1 − level} and
 * {@code Q(q) = min{k : P(X ≤ k) ≥ q}}, {@code X ~ Binomial(n, p)}; the probability mass function is built in
 * log space ({@code log P(X = k+1) = log P(X = k) + log((n−k)/(k+1)) + log(p/(1−p))}) so that large n does not
 * underflow. For n = 200, p = 0.95 and level 0.99 the band is 181–197.
 */
record BinomialBand(int n, double p, double level, int lower, int upper) {
    static BinomialBand of(int n, double p, double level) {
        if (n < 0 || !(p > 0 && p < 1) || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Invalid binomial band: n " + n + ", p " + p + ", level " + level);
        }
        double[] cdf = cdf(n, p);
        double alpha = 1 - level;
        return new BinomialBand(n, p, level, quantile(cdf, alpha / 2), quantile(cdf, 1 - alpha / 2));
    }

    /** P(X ≤ k) for k = 0 .. n. */
    static double[] cdf(int n, double p) {
        double[] log = new double[n + 1];
        log[0] = n * Math.log1p(-p);
        double odds = Math.log(p) - Math.log1p(-p);
        double max = log[0];
        for (int k = 0; k < n; k++) {
            log[k + 1] = log[k] + Math.log((double) (n - k) / (k + 1)) + odds;
            max = Math.max(max, log[k + 1]);
        }
        double[] cdf = new double[n + 1];
        double total = 0;
        for (int k = 0; k <= n; k++) {
            total += Math.exp(log[k] - max);
            cdf[k] = total;
        }
        for (int k = 0; k <= n; k++) {
            cdf[k] /= total;
        }
        cdf[n] = 1;
        return cdf;
    }

    /** Q(q) = the smallest k with P(X ≤ k) ≥ q. */
    static int quantile(double[] cdf, double q) {
        for (int k = 0; k < cdf.length; k++) {
            if (cdf[k] >= q) {
                return k;
            }
        }
        return cdf.length - 1;
    }

    boolean contains(int count) {
        return count >= lower && count <= upper;
    }
}
