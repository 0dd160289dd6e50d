package io.alignloss.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg (1995) adjusted p-values, which control the false discovery rate over m tests: with the
 * p-values sorted ascending {@code p_(1) ≤ … ≤ p_(m)}, {@code q_(i) = min_{j ≥ i} min(1, m·p_(j) / j)}; a test is a
 * discovery at FDR α when {@code q ≤ α}. Missing p-values (NaN) are not tests: they keep NaN and do not count in m.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** The adjusted p-values, in the order of the given ones. */
    public static double[] adjust(double[] pValues) {
        double[] adjusted = new double[pValues.length];
        Arrays.fill(adjusted, Double.NaN);
        Integer[] order = IntStream.range(0, pValues.length).filter(i -> !Double.isNaN(pValues[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> pValues[i])).toArray(Integer[]::new);
        int m = order.length;
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, Math.min(1.0, m * pValues[i] / rank));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
