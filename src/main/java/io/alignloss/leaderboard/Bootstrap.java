package io.alignloss.leaderboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of the ratings: each round draws N battles with replacement from the N observed ones,
 * done as a multinomial draw over the unique (model_a, model_b, winner) outcomes with probabilities count/N,
 * refits, and gets the same centring and anchoring as the point estimate. The 95% interval is the 2.5% and
 * 97.5% quantiles (linear interpolation) of each model's replicate ratings; a replicate where the model is
 * unbounded counts as ±∞, one where it is isolated (no battles) is left out. The style coefficients γ and the
 * Rao-Kupper ν get the same percentile intervals from the same rounds (the style features keep the standardisation
 * of the whole data).
 */
final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    static final double LOWER = 0.025;
    static final double UPPER = 0.975;

    private Bootstrap() {
    }

    /**
     * Per-model interval ends (NaN when no replicate rated the model) and rounds in which the model was unbounded;
     * {@code skipped}: rounds left out because the anchor model was unbounded in them.
     */
    record Intervals(double[] lower, double[] upper, int[] unboundedRounds, int rounds, int skipped, double[] gammaLower,
            double[] gammaUpper, double nuLower, double nuUpper) {
    }

    static Intervals run(Comparisons data, RatingScale scale, int rounds, long seed) {
        return run(data, scale, Ties.HALF, rounds, seed);
    }

    static Intervals run(Comparisons data, RatingScale scale, Ties ties, int rounds, long seed) {
        int n = data.modelCount();
        int p = data.styleCount();
        double[][] replicates = new double[n][rounds];
        double[][] gammas = new double[p][rounds];
        double[] nus = new double[rounds];
        long total = Math.round(data.total);
        long[] cumulative = new long[data.size()];
        long running = 0;
        for (int k = 0; k < data.size(); k++) {
            running += Math.round(data.count[k]);
            cumulative[k] = running;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int kept = 0;
        int skipped = 0;
        int every = Math.max(1, rounds / 10);
        for (int round = 0; round < rounds; round++) {
            double[] counts = resample(cumulative, total, random);
            RatingFitter.Ratings ratings = RatingFitter.fit(data.withCounts(counts), scale, ties);
            if (!ratings.anchored()) {
                skipped++;
            }
            else {
                for (int i = 0; i < n; i++) {
                    replicates[i][kept] = ratings.ratings()[i];
                }
                for (int j = 0; j < p; j++) {
                    gammas[j][kept] = ratings.coefficients().gamma()[j];
                }
                nus[kept] = ratings.coefficients().nu();
                kept++;
            }
            if ((round + 1) % every == 0 || round + 1 == rounds) {
                LOG.info("bootstrap: {} of {} rounds", round + 1, rounds);
            }
        }
        int[] unboundedRounds = new int[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            double[] values = Arrays.stream(replicates[i], 0, kept).filter(value -> !Double.isNaN(value)).sorted().toArray();
            unboundedRounds[i] = (int) Arrays.stream(values).filter(Double::isInfinite).count();
            lower[i] = quantile(values, LOWER);
            upper[i] = quantile(values, UPPER);
        }
        double[] gammaLower = new double[p];
        double[] gammaUpper = new double[p];
        for (int j = 0; j < p; j++) {
            double[] values = Arrays.stream(gammas[j], 0, kept).sorted().toArray();
            gammaLower[j] = quantile(values, LOWER);
            gammaUpper[j] = quantile(values, UPPER);
        }
        double[] nuValues = Arrays.stream(nus, 0, kept).filter(value -> !Double.isNaN(value)).sorted().toArray();
        return new Intervals(lower, upper, unboundedRounds, rounds, skipped, gammaLower, gammaUpper, quantile(nuValues, LOWER),
                quantile(nuValues, UPPER));
    }

    // n_k ~ Multinomial(N, c_k / N): N uniform draws of a battle, each mapped to its outcome by binary search
    static double[] resample(long[] cumulative, long total, SplittableRandom random) {
        double[] counts = new double[cumulative.length];
        for (long draw = 0; draw < total; draw++) {
            long battle = random.nextLong(total);
            int index = Arrays.binarySearch(cumulative, battle + 1);
            if (index < 0) {
                index = -index - 1;
            }
            else {
                // several outcomes may share a cumulative value when some counts are 0: take the first
                while (index > 0 && cumulative[index - 1] == battle + 1) {
                    index--;
                }
            }
            counts[index]++;
        }
        return counts;
    }

    // q(p) = v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋+1] − v[⌊h⌋]), h = (m − 1)p, v sorted (numpy's default, type 7)
    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p;
        int low = (int) Math.floor(h);
        int high = Math.min(low + 1, sorted.length - 1);
        double fraction = h - low;
        double below = sorted[low];
        double above = sorted[high];
        if (fraction == 0 || below == above) {
            return below;
        }
        if (Double.isInfinite(below)) {
            return below;
        }
        if (Double.isInfinite(above)) {
            return above;
        }
        return below + fraction * (above - below);
    }
}
