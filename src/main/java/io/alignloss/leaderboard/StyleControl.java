package io.alignloss.leaderboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Style control ({@code --style}), as FastChat's: the battles with their standardised style features
 * ({@link Standardisation}) for the fit {@code P(a beats b) = σ(θ_a − θ_b + γᵀs)} ({@link BradleyTerryLoss}), and
 * the {@code style} block of leaderboard.json: per feature γ (log-odds per standard deviation of the feature's
 * standardised difference) with its interval, and the mean and sd it was standardised with.
 */
record StyleControl(Standardisation standardisation, Comparisons comparisons) {
    StyleControl {
        requireNonNull(standardisation, "standardisation is null");
        requireNonNull(comparisons, "comparisons is null");
    }

    /** Standardises the counted battles' features; a constant feature is left out with a warning. */
    static StyleControl of(List<String> names, BattleTable.Counts counts, List<String> warnings) {
        Comparisons battles = Comparisons.of(counts.outcomes());
        Standardisation standardisation = Standardisation.of(names, counts.styles(), battles.count);
        for (int j = 0; j < names.size(); j++) {
            if (!(standardisation.sd()[j] > 0)) {
                warnings.add(format("style feature '%s' is the same (%s) in every battle: it is left out of the style control",
                        names.get(j), standardisation.mean()[j]));
            }
        }
        int kept = standardisation.kept().length;
        return new StyleControl(standardisation, battles.withStyle(standardisation.apply(counts.styles()), kept));
    }

    /** The outcomes with equal (model_a, model_b, winner) summed into one, in the order of their first occurrence. */
    static List<Outcome> merged(List<Outcome> outcomes) {
        Map<List<Object>, Long> counts = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            counts.merge(List.of(outcome.modelA(), outcome.modelB(), outcome.winner()), outcome.count(), Long::sum);
        }
        List<Outcome> merged = new ArrayList<>();
        counts.forEach((key, count) -> merged.add(new Outcome((String) key.get(0), (String) key.get(1), (Winner) key.get(2), count)));
        return merged;
    }

    /** leaderboard.json's {@code style}: {@code features} (name, gamma, lower, upper, mean, sd) and {@code constant} (left out). */
    Map<String, Object> figures(RatingFitter.Ratings ratings, Bootstrap.Intervals intervals) {
        List<Map<String, Object>> features = new ArrayList<>();
        List<String> constant = new ArrayList<>();
        int[] kept = standardisation.kept();
        for (int j = 0; j < standardisation.names().size(); j++) {
            if (!(standardisation.sd()[j] > 0)) {
                constant.add(standardisation.names().get(j));
            }
        }
        for (int i = 0; i < kept.length; i++) {
            int j = kept[i];
            Map<String, Object> feature = new LinkedHashMap<>();
            feature.put("name", standardisation.names().get(j));
            feature.put("gamma", LeaderboardReport.finiteOrNull(ratings.coefficients().gamma()[i]));
            feature.put("lower", intervals == null ? null : LeaderboardReport.finiteOrNull(intervals.gammaLower()[i]));
            feature.put("upper", intervals == null ? null : LeaderboardReport.finiteOrNull(intervals.gammaUpper()[i]));
            feature.put("mean", standardisation.mean()[j]);
            feature.put("sd", standardisation.sd()[j]);
            features.add(feature);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("features", features);
        figures.put("constant", constant);
        return figures;
    }
}
