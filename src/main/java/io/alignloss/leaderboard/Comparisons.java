package io.alignloss.leaderboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Battles as indexed arrays: for each unique outcome k, models {@code a[k]}, {@code b[k]}, label {@code y[k]}
 * (1 a won, 0 b won, ½ tie) and its weight {@code count[k]} (number of battles). {@code total} is the divisor of
 * the mean loss; it may exceed the sum of counts when battles against unbounded models were left out.
 * Under style control each outcome also has its standardised style features {@code style[k]} (all of one length p;
 * p = 0 without style control), and outcomes are then per battle rather than unique by (a, b, y).
 */
final class Comparisons {
    final List<String> models;
    final int[] a;
    final int[] b;
    final double[] y;
    final double[] count;
    final double total;
    final double[][] style;
    private final int styleCount;

    Comparisons(List<String> models, int[] a, int[] b, double[] y, double[] count, double total) {
        this(models, a, b, y, count, total, new double[a.length][0], 0);
    }

    Comparisons(List<String> models, int[] a, int[] b, double[] y, double[] count, double total, double[][] style, int styleCount) {
        if (a.length != b.length || a.length != y.length || a.length != count.length || a.length != style.length) {
            throw new IllegalArgumentException("Cannot build comparisons: arrays of different lengths");
        }
        for (double[] features : style) {
            if (features.length != styleCount) {
                throw new IllegalArgumentException("Cannot build comparisons: " + features.length + " style features where "
                        + styleCount + " were expected");
            }
        }
        this.style = style;
        this.styleCount = styleCount;
        this.models = List.copyOf(models);
        this.a = a;
        this.b = b;
        this.y = y;
        this.count = count;
        this.total = total;
    }

    /** Indexes the models of the outcomes in name order. */
    static Comparisons of(List<Outcome> outcomes) {
        TreeMap<String, Integer> index = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            index.put(outcome.modelA(), 0);
            index.put(outcome.modelB(), 0);
        }
        List<String> models = new ArrayList<>(index.keySet());
        for (int i = 0; i < models.size(); i++) {
            index.put(models.get(i), i);
        }
        int size = outcomes.size();
        int[] a = new int[size];
        int[] b = new int[size];
        double[] y = new double[size];
        double[] count = new double[size];
        double total = 0;
        for (int k = 0; k < size; k++) {
            Outcome outcome = outcomes.get(k);
            a[k] = index.get(outcome.modelA());
            b[k] = index.get(outcome.modelB());
            y[k] = outcome.winner().label();
            count[k] = outcome.count();
            total += outcome.count();
        }
        return new Comparisons(models, a, b, y, count, total);
    }

    int modelCount() {
        return models.size();
    }

    int size() {
        return a.length;
    }

    /** p, the number of style features (0 without style control). */
    int styleCount() {
        return styleCount;
    }

    /** The same outcomes with {@code styleCount} style features {@code features[k]} per outcome. */
    Comparisons withStyle(double[][] features, int styleCount) {
        return new Comparisons(models, a, b, y, count, total, features, styleCount);
    }

    /** The same outcomes with other counts (a bootstrap replicate); the divisor becomes their sum. */
    Comparisons withCounts(double[] counts) {
        return new Comparisons(models, a, b, y, counts.clone(), Arrays.stream(counts).sum(), style, styleCount);
    }

    /** The battles that ended in a tie (label ½). */
    double tieCount() {
        double ties = 0;
        for (int k = 0; k < size(); k++) {
            if (y[k] == 0.5) {
                ties += count[k];
            }
        }
        return ties;
    }

    /**
     * Only the battles among the kept models, re-indexed in their order; the divisor stays {@link #total}, so the
     * objective is the infimum of the full one when the left-out models' ratings go to ±∞.
     */
    Comparisons restrictTo(boolean[] keep) {
        int[] newIndex = new int[modelCount()];
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < modelCount(); i++) {
            newIndex[i] = keep[i] ? kept.size() : -1;
            if (keep[i]) {
                kept.add(models.get(i));
            }
        }
        List<Integer> rows = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            if (keep[a[k]] && keep[b[k]] && count[k] > 0) {
                rows.add(k);
            }
        }
        int[] na = new int[rows.size()];
        int[] nb = new int[rows.size()];
        double[] ny = new double[rows.size()];
        double[] nc = new double[rows.size()];
        double[][] ns = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            int k = rows.get(r);
            na[r] = newIndex[a[k]];
            nb[r] = newIndex[b[k]];
            ny[r] = y[k];
            nc[r] = count[k];
            ns[r] = style[k];
        }
        return new Comparisons(kept, na, nb, ny, nc, total, ns, styleCount);
    }

    /** Per model: battles taken part in, wins, losses and ties. */
    Map<String, Tally> tallies() {
        long[][] sums = new long[modelCount()][4];
        for (int k = 0; k < size(); k++) {
            long n = Math.round(count[k]);
            sums[a[k]][0] += n;
            sums[b[k]][0] += n;
            if (y[k] == 1.0) {
                sums[a[k]][1] += n;
                sums[b[k]][2] += n;
            }
            else if (y[k] == 0.0) {
                sums[a[k]][2] += n;
                sums[b[k]][1] += n;
            }
            else {
                sums[a[k]][3] += n;
                sums[b[k]][3] += n;
            }
        }
        Map<String, Tally> tallies = new TreeMap<>();
        for (int i = 0; i < modelCount(); i++) {
            tallies.put(models.get(i), new Tally(sums[i][0], sums[i][1], sums[i][2], sums[i][3]));
        }
        return tallies;
    }

    /** One model's record. */
    record Tally(long battles, long wins, long losses, long ties) {
    }
}
