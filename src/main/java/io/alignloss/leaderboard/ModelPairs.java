package io.alignloss.leaderboard;

import java.util.HashMap;
import java.util.Map;

/**
 * The unique outcomes grouped by unordered pair of models, for fits with ties as half a win and no style features:
 * there the loss of a pair's battles depends on their outcomes only through the battles c and the wins of one side.
 * Pair p = {a &lt; b} holds the outcomes k between a and b, each oriented to a: {@code y'_k = y_k} when outcome k has a
 * as model_a, {@code 1 − y_k} when a is its model_b. With
 * <pre>
 *   c_p = Σ_k c_k,   W_p = Σ_k c_k y'_k   (a's wins, ties counting half),   y_p = W_p / c_p
 * </pre>
 * the pair's share of the summed loss, Σ_k c_k ℓ(d, y'_k) with d = θ_a − θ_b, is {@code c_p ℓ(d, y_p)}: ℓ(d, y) =
 * y·softplus(−d) + (1 − y)·softplus(d) is linear in y (ties as half a win, {@link BradleyTerryLoss}), and so are its
 * derivatives in d. The fit over the pairs has the same objective and optimum, with (for a full arena) a quarter to an
 * eighth of the terms. A pair's W_p is 0 (or c_p) exactly when a never won (or never lost), so the unbounded models
 * ({@link ComparisonGraph}) are the same.
 */
final class ModelPairs {
    private final Comparisons data;
    /** Per outcome k: its pair. */
    private final int[] pairOf;
    /** Per outcome k: true when its model_a is the pair's higher-index model (its label counts for the other side). */
    private final boolean[] flipped;
    private final int[] lower;
    private final int[] higher;

    private ModelPairs(Comparisons data, int[] pairOf, boolean[] flipped, int[] lower, int[] higher) {
        this.data = data;
        this.pairOf = pairOf;
        this.flipped = flipped;
        this.lower = lower;
        this.higher = higher;
    }

    /** The pairs of the outcomes of {@code data} (style features and the Rao-Kupper ties have no pair form). */
    static ModelPairs of(Comparisons data) {
        if (data.styleCount() > 0) {
            throw new IllegalArgumentException("Cannot group battles with style features by pair of models: each battle has its own features");
        }
        int n = data.modelCount();
        Map<Long, Integer> index = new HashMap<>();
        int[] pairOf = new int[data.size()];
        boolean[] flipped = new boolean[data.size()];
        int[] lower = new int[data.size()];
        int[] higher = new int[data.size()];
        for (int k = 0; k < data.size(); k++) {
            int low = Math.min(data.a[k], data.b[k]);
            int high = Math.max(data.a[k], data.b[k]);
            Integer pair = index.get((long) low * n + high);
            if (pair == null) {
                pair = index.size();
                index.put((long) low * n + high, pair);
                lower[pair] = low;
                higher[pair] = high;
            }
            pairOf[k] = pair;
            flipped[k] = data.a[k] != low;
        }
        int pairs = index.size();
        return new ModelPairs(data, pairOf, flipped, java.util.Arrays.copyOf(lower, pairs), java.util.Arrays.copyOf(higher, pairs));
    }

    /** Number of pairs of models that met. */
    int size() {
        return lower.length;
    }

    /**
     * The battles with outcome counts {@code counts} (by outcome of the data, e.g. a bootstrap replicate) as one outcome
     * per pair that has battles: (a, b, y_p) with count c_p; the divisor is Σ counts, as in {@link Comparisons#withCounts}.
     */
    Comparisons counted(double[] counts) {
        if (counts.length != data.size()) {
            throw new IllegalArgumentException("Cannot count pairs: " + counts.length + " counts for " + data.size() + " outcomes");
        }
        double[] battles = new double[size()];
        double[] wins = new double[size()];
        double total = 0;
        for (int k = 0; k < counts.length; k++) {
            int pair = pairOf[k];
            battles[pair] += counts[k];
            wins[pair] += counts[k] * (flipped[k] ? 1 - data.y[k] : data.y[k]);
            total += counts[k];
        }
        int met = 0;
        for (double count : battles) {
            if (count > 0) {
                met++;
            }
        }
        int[] a = new int[met];
        int[] b = new int[met];
        double[] y = new double[met];
        double[] count = new double[met];
        int row = 0;
        for (int pair = 0; pair < size(); pair++) {
            if (battles[pair] > 0) {
                a[row] = lower[pair];
                b[row] = higher[pair];
                // W/c, exactly 0 or 1 when a never won or never lost
                y[row] = wins[pair] == battles[pair] ? 1 : wins[pair] / battles[pair];
                count[row] = battles[pair];
                row++;
            }
        }
        return new Comparisons(data.models, a, b, y, count, total);
    }
}
