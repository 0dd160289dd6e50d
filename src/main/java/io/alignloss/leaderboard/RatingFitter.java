package io.alignloss.leaderboard;

import io.alignloss.leaderboard.ComparisonGraph.Bound;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.String.format;

/**
 * Fits Bradley-Terry strengths and turns them into ratings. With L2 > 0 the optimum is unique and finite for
 * every model, and is reported as is. Without L2, models whose MLE is infinite ({@link ComparisonGraph}) are
 * set aside as unbounded (rating ±∞), the rest are fitted on the battles among themselves and centred on
 * {@code base}. An anchor then shifts every finite rating by the same amount.
 */
final class RatingFitter {
    private RatingFitter() {
    }

    /**
     * One fit's ratings, by model index of the data: finite, ±∞ for unbounded models, NaN for an isolated one
     * (no battles, or only against unbounded models). {@code anchored} is false when the anchor model is not finite (no shift could be applied).
     */
    record Ratings(List<String> models, double[] ratings, Bound[] bounds, NewtonSolver.Fit fit, boolean anchored,
            List<String> warnings) {
        Optional<Integer> indexOf(String model) {
            int index = models.indexOf(model);
            return index < 0 ? Optional.empty() : Optional.of(index);
        }
    }

    static Ratings fit(Comparisons data, RatingScale scale) {
        int n = data.modelCount();
        List<String> warnings = new ArrayList<>();
        Bound[] bounds = new Bound[n];
        java.util.Arrays.fill(bounds, Bound.FINITE);
        if (scale.l2() == 0) {
            bounds = ComparisonGraph.bounds(data);
        }
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            keep[i] = bounds[i] == Bound.FINITE;
            if (bounds[i] == Bound.ABOVE || bounds[i] == Bound.BELOW) {
                warnings.add(format("model '%s' never %s (ties count half): its rating is unbounded (%s∞) without --l2; "
                                + "it is reported as unbounded and the others are fitted without it", data.models.get(i),
                        bounds[i] == Bound.ABOVE ? "lost" : "won", bounds[i] == Bound.ABOVE ? "+" : "−"));
            }
            if (bounds[i] == Bound.ISOLATED) {
                warnings.add(format("model '%s' only played models with unbounded ratings: its rating is not identified "
                        + "without --l2 and is reported as unbounded", data.models.get(i)));
            }
        }
        Comparisons fitted = data.restrictTo(keep);
        if (scale.l2() == 0 && !ComparisonGraph.stronglyConnected(fitted)) {
            warnings.add("the comparison graph of the bounded models is not strongly connected (some group of models never "
                    + "lost to, or never beat, the rest): ratings between such groups are not identified without --l2");
        }
        NewtonSolver.Fit fit = NewtonSolver.minimise(new BradleyTerryLoss(fitted, scale.l2()));
        if (!fit.converged()) {
            warnings.add(format("the fit did not converge in %d iterations (gradient norm %.3g)", fit.iterations(), fit.gradientNorm()));
        }

        double[] ratings = new double[n];
        double sum = 0;
        int j = 0;
        for (int i = 0; i < n; i++) {
            ratings[i] = switch (bounds[i]) {
                case FINITE -> scale.rating(fit.theta()[j++]);
                case ABOVE -> Double.POSITIVE_INFINITY;
                case BELOW -> Double.NEGATIVE_INFINITY;
                case ISOLATED -> Double.NaN;
            };
            if (bounds[i] == Bound.FINITE) {
                sum += ratings[i];
            }
        }
        if (scale.l2() == 0 && j > 0) {
            // centring: mean of the finite ratings = base
            shift(ratings, scale.base() - sum / j);
        }
        boolean anchored = true;
        if (scale.anchor().isPresent()) {
            Anchor anchor = scale.anchor().get();
            int index = data.models.indexOf(anchor.model());
            if (index < 0) {
                throw new IllegalArgumentException(format("Cannot anchor to model '%s': it is not among the models", anchor.model()));
            }
            anchored = bounds[index] == Bound.FINITE;
            if (anchored) {
                shift(ratings, anchor.rating() - ratings[index]);
            }
        }
        return new Ratings(data.models, ratings, bounds, fit, anchored, warnings);
    }

    private static void shift(double[] ratings, double by) {
        for (int i = 0; i < ratings.length; i++) {
            ratings[i] += by;
        }
    }
}
