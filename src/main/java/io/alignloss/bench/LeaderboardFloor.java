package io.alignloss.bench;

import io.alignloss.leaderboard.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The floor of {@code bench leaderboard}: the work of the leaderboard job's fit and bootstrap (Bradley-Terry, ties as
 * half a win, no L2, ratings {@code 400·θ/ln 10} centred on 1000) as a plain single-thread Java loop over the
 * deduplicated outcomes (a, b, y, c), written apart from the job's code. The fit minimises
 * <pre>
 *   f(θ) = (1/N) Σ_k c_k [y_k·softplus(−d_k) + (1 − y_k)·softplus(d_k)],   d_k = θ_a − θ_b
 *   ∂f/∂θ_a = (1/N) Σ_k c_k (σ(d_k) − y_k) = −∂f/∂θ_b,   ∇²f = (1/N) Σ_k c_k σ(d_k)σ(−d_k) (e_a − e_b)(e_a − e_b)ᵀ
 * </pre>
 * by Newton's method with the last strength fixed at 0 (f is invariant to a common shift): per iteration one pass over
 * the outcomes for the gradient and the Hessian, a Cholesky solve of the (n − 1)² system and a full step, from θ = 0
 * until ||∇f|| &lt; 1e-10; then θ is centred. A bootstrap round draws N battles with {@code nextLong(N)} from one
 * generator seeded like the job's and maps each to its outcome through a table of N entries (outcomes in the order
 * given, each c_k times), then refits; the interval ends are numpy's default percentiles (type 7) at 2.5% and 97.5%.
 * No model may be unbounded (each must have won and lost something in every round); the floor refuses otherwise.
 * Public for its test, which checks it against the job's package-private fit ({@code LeaderboardFloorTest} in the
 * leaderboard package).
 */
public final class LeaderboardFloor {
    static final double TOLERANCE = 1e-10;
    static final int MAX_ITERATIONS = 100;
    private static final double SCALE = 400 / Math.log(10);
    private static final double BASE = 1000;

    private LeaderboardFloor() {
    }

    /** Outcomes with models numbered in name order: a[k], b[k], label y[k] (1, 0 or ½), count c[k]; N = Σ c. */
    public record Data(List<String> models, int[] a, int[] b, double[] y, double[] count, long total) {
        public static Data of(List<Outcome> outcomes) {
            List<String> models = new ArrayList<>(new TreeSet<>(outcomes.stream().flatMap(o -> java.util.stream.Stream.of(o.modelA(), o.modelB())).toList()));
            int size = outcomes.size();
            int[] a = new int[size];
            int[] b = new int[size];
            double[] y = new double[size];
            double[] count = new double[size];
            long total = 0;
            for (int k = 0; k < size; k++) {
                Outcome outcome = outcomes.get(k);
                a[k] = java.util.Collections.binarySearch(models, outcome.modelA());
                b[k] = java.util.Collections.binarySearch(models, outcome.modelB());
                y[k] = outcome.winner().label();
                count[k] = outcome.count();
                total += outcome.count();
            }
            return new Data(models, a, b, y, count, total);
        }
    }

    /** The ratings of the point fit and the bootstrap's interval ends, by model in name order. */
    public record Result(double[] ratings, double[] lower, double[] upper) {
    }

    /** The point fit and {@code rounds} bootstrap rounds from {@code seed}. */
    public static Result run(Data data, int rounds, long seed) {
        double[] ratings = ratings(data, data.count());
        double[][] ends = intervals(data, rounds, seed);
        return new Result(ratings, ends[0], ends[1]);
    }

    /** The bootstrap: per model its lower (row 0) and upper (row 1) interval end over {@code rounds} rounds from {@code seed}. */
    public static double[][] intervals(Data data, int rounds, long seed) {
        int n = data.models().size();
        if (data.total() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot bootstrap " + data.total() + " battles in one table");
        }
        int[] outcomeOf = new int[(int) data.total()];
        int battle = 0;
        for (int k = 0; k < data.count().length; k++) {
            for (long i = 0; i < (long) data.count()[k]; i++) {
                outcomeOf[battle++] = k;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] replicates = new double[n][rounds];
        for (int round = 0; round < rounds; round++) {
            double[] counts = new double[data.count().length];
            for (int draw = 0; draw < outcomeOf.length; draw++) {
                counts[outcomeOf[(int) random.nextLong(data.total())]]++;
            }
            double[] replicate = ratings(data, counts);
            for (int i = 0; i < n; i++) {
                replicates[i][round] = replicate[i];
            }
        }
        double[][] ends = new double[2][n];
        for (int i = 0; i < n; i++) {
            double[] sorted = replicates[i].clone();
            Arrays.sort(sorted);
            ends[0][i] = percentile(sorted, 0.025);
            ends[1][i] = percentile(sorted, 0.975);
        }
        return ends;
    }

    /** The centred ratings fitted to the outcomes with counts {@code counts}. */
    public static double[] ratings(Data data, double[] counts) {
        int n = data.models().size();
        int m = n - 1;
        double total = 0;
        for (double count : counts) {
            total += count;
        }
        double[] theta = new double[n];
        for (int iteration = 0; ; iteration++) {
            double[] gradient = new double[m];
            double[][] hessian = new double[m][m];
            double squaredNorm = 0;
            double[] full = new double[n];
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] == 0) {
                    continue;
                }
                int a = data.a()[k];
                int b = data.b()[k];
                double d = theta[a] - theta[b];
                double p = d >= 0 ? 1 / (1 + Math.exp(-d)) : Math.exp(d) / (1 + Math.exp(d));
                double g = counts[k] * (p - data.y()[k]) / total;
                double h = counts[k] * p * (1 - p) / total;
                full[a] += g;
                full[b] -= g;
                if (a < m) {
                    hessian[a][a] += h;
                }
                if (b < m) {
                    hessian[b][b] += h;
                }
                if (a < m && b < m) {
                    hessian[a][b] -= h;
                    hessian[b][a] -= h;
                }
            }
            for (int i = 0; i < n; i++) {
                squaredNorm += full[i] * full[i];
            }
            if (Math.sqrt(squaredNorm) < TOLERANCE) {
                break;
            }
            if (iteration == MAX_ITERATIONS || !Double.isFinite(squaredNorm)) {
                throw new IllegalStateException("The floor's Newton fit did not converge: gradient norm " + Math.sqrt(squaredNorm)
                        + " after " + iteration + " iterations (a model without wins or losses?)");
            }
            System.arraycopy(full, 0, gradient, 0, m);
            double[] step = solve(hessian, gradient);
            for (int i = 0; i < m; i++) {
                theta[i] -= step[i];
            }
        }
        double mean = Arrays.stream(theta).sum() / n;
        double[] ratings = new double[n];
        for (int i = 0; i < n; i++) {
            ratings[i] = SCALE * (theta[i] - mean) + BASE;
        }
        return ratings;
    }

    // H = LLᵀ in place (lower triangle), then L z = g and Lᵀ x = z
    static double[] solve(double[][] h, double[] g) {
        int m = g.length;
        for (int j = 0; j < m; j++) {
            double diagonal = h[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= h[j][k] * h[j][k];
            }
            if (!(diagonal > 0)) {
                throw new IllegalStateException("The floor's Hessian is not positive definite (column " + j + ")");
            }
            double pivot = Math.sqrt(diagonal);
            h[j][j] = pivot;
            for (int i = j + 1; i < m; i++) {
                double sum = h[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= h[i][k] * h[j][k];
                }
                h[i][j] = sum / pivot;
            }
        }
        double[] x = g.clone();
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < i; k++) {
                x[i] -= h[i][k] * x[k];
            }
            x[i] /= h[i][i];
        }
        for (int i = m - 1; i >= 0; i--) {
            for (int k = i + 1; k < m; k++) {
                x[i] -= h[k][i] * x[k];
            }
            x[i] /= h[i][i];
        }
        return x;
    }

    // v[⌊h⌋] + (h − ⌊h⌋)(v[⌊h⌋ + 1] − v[⌊h⌋]), h = (m − 1)q
    static double percentile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int low = (int) Math.floor(h);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }
}
