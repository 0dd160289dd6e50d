package io.alignloss.leaderboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

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
    private static final long PENDING_BYTES = 256L << 20;

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
        return run(data, scale, ties, rounds, seed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The rounds' draws are made in order from one generator seeded with {@code seed} (N {@code nextLong(N)} per round,
     * {@link OutcomeSampler}); their fits run on {@code threads} threads of the driver. Each round's ratings depend on
     * its draw alone, so the intervals are the same for any number of threads. With ties as half a win and no style
     * features a round is fitted on its battles grouped by pair of models ({@link ModelPairs}: the same objective with
     * fewer terms).
     */
    static Intervals run(Comparisons data, RatingScale scale, Ties ties, int rounds, long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Cannot bootstrap on " + threads + " threads (must be >= 1)");
        }
        int n = data.modelCount();
        int p = data.styleCount();
        OutcomeSampler sampler = new OutcomeSampler(data.count);
        Optional<ModelPairs> pairs = ties == Ties.HALF && p == 0 ? Optional.of(ModelPairs.of(data)) : Optional.empty();
        SplittableRandom random = new SplittableRandom(seed);
        Replicate[] replicates = new Replicate[rounds];
        AtomicInteger done = new AtomicInteger();
        int every = Math.max(1, rounds / 10);
        IntFunction<Runnable> fit = round -> {
            int[] battles = sampler.battles(random);
            return () -> {
                double[] counts = sampler.counts(battles);
                Comparisons drawn = pairs.map(grouped -> grouped.counted(counts)).orElseGet(() -> data.withCounts(counts));
                replicates[round] = Replicate.of(RatingFitter.refit(drawn, scale, ties));
                int finished = done.incrementAndGet();
                if (finished % every == 0 || finished == rounds) {
                    LOG.info("bootstrap: {} of {} rounds", finished, rounds);
                }
            };
        };
        if (threads == 1 || rounds <= 1) {
            for (int round = 0; round < rounds; round++) {
                fit.apply(round).run();
            }
        }
        else {
            // a drawn round waiting for its fit holds N ints: at most 2 per thread and ~256 MB of them
            int pending = (int) Math.max(1, Math.min(2L * threads, PENDING_BYTES / (4 * sampler.total())));
            inParallel(fit, rounds, Math.min(threads, rounds), pending);
        }
        double[][] ratings = new double[n][rounds];
        double[][] gammas = new double[p][rounds];
        double[] nus = new double[rounds];
        int kept = 0;
        int skipped = 0;
        for (Replicate replicate : replicates) {
            if (!replicate.anchored()) {
                skipped++;
                continue;
            }
            for (int i = 0; i < n; i++) {
                ratings[i][kept] = replicate.ratings()[i];
            }
            for (int j = 0; j < p; j++) {
                gammas[j][kept] = replicate.gamma()[j];
            }
            nus[kept] = replicate.nu();
            kept++;
        }
        int[] unboundedRounds = new int[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            double[] values = Arrays.stream(ratings[i], 0, kept).filter(value -> !Double.isNaN(value)).sorted().toArray();
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

    /** What a round keeps of its fit: whether the anchor was finite, the ratings, γ and ν. */
    private record Replicate(boolean anchored, double[] ratings, double[] gamma, double nu) {
        static Replicate of(RatingFitter.Ratings fitted) {
            return new Replicate(fitted.anchored(), fitted.ratings(), fitted.coefficients().gamma(), fitted.coefficients().nu());
        }
    }

    /**
     * Draws round 0, 1, … in order on this thread ({@code draw.apply(round)}) and runs each round's fit on a pool of
     * {@code threads}; at most {@code pending} rounds are drawn and not yet fitted.
     */
    private static void inParallel(IntFunction<Runnable> draw, int rounds, int threads, int pending) {
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "alignloss-bootstrap-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Semaphore waiting = new Semaphore(pending);
        List<Future<?>> fits = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                waiting.acquireUninterruptibly();
                Runnable fit = draw.apply(round);
                fits.add(pool.submit(() -> {
                    try {
                        fit.run();
                    }
                    finally {
                        waiting.release();
                    }
                }));
            }
            for (Future<?> future : fits) {
                future.get();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Cannot finish the bootstrap: interrupted", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Cannot finish the bootstrap: " + e.getCause(), e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
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
