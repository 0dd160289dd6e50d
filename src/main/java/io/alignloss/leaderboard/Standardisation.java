package io.alignloss.leaderboard;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The standardisation of the style features over the accepted battles: each feature's per-battle value s
 * ({@link StyleFeature#difference()}) becomes {@code (s − mean)/sd}, with the battle-weighted mean and population
 * standard deviation {@code sd = √(Σ c_k (s_k − mean)² / Σ c_k)} (as FastChat's style control). A feature with
 * sd = 0 (constant over every battle) cannot be told from the ratings and is left out ({@link #kept}).
 */
record Standardisation(List<String> names, double[] mean, double[] sd) {
    Standardisation {
        names = List.copyOf(requireNonNull(names, "names is null"));
        if (mean.length != names.size() || sd.length != names.size()) {
            throw new IllegalArgumentException("Cannot standardise: " + names.size() + " names, " + mean.length + " means, "
                    + sd.length + " standard deviations");
        }
    }

    /** Mean and sd of each feature over the outcomes' values {@code style[k]} weighted by their counts. */
    static Standardisation of(List<String> names, List<double[]> style, double[] count) {
        int p = names.size();
        double[] mean = new double[p];
        double[] sd = new double[p];
        double total = 0;
        for (int k = 0; k < style.size(); k++) {
            total += count[k];
            for (int j = 0; j < p; j++) {
                mean[j] += count[k] * style.get(k)[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= total;
        }
        for (int k = 0; k < style.size(); k++) {
            for (int j = 0; j < p; j++) {
                double deviation = style.get(k)[j] - mean[j];
                sd[j] += count[k] * deviation * deviation;
            }
        }
        for (int j = 0; j < p; j++) {
            sd[j] = Math.sqrt(sd[j] / total);
        }
        return new Standardisation(names, mean, sd);
    }

    /** The features that vary (sd > 0), by index into {@link #names}. */
    int[] kept() {
        List<Integer> kept = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (sd[j] > 0) {
                kept.add(j);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The kept features of each outcome, standardised: {@code (s_kj − mean_j)/sd_j}. */
    double[][] apply(List<double[]> style) {
        int[] kept = kept();
        double[][] standardised = new double[style.size()][kept.length];
        for (int k = 0; k < style.size(); k++) {
            for (int i = 0; i < kept.length; i++) {
                int j = kept[i];
                standardised[k][i] = (style.get(k)[j] - mean[j]) / sd[j];
            }
        }
        return standardised;
    }
}
