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
 * {@code base}, each connected group of models (models that met, directly or not) separately. An anchor then shifts every finite rating by the same amount.
 */
final class RatingFitter {
    private RatingFitter() {
    }

    /**
     * One fit's ratings, by model index of the data: finite, ±∞ for unbounded models, NaN for an isolated one
     * (no battles, or only against unbounded models). {@code anchored} is false when the anchor model is not finite (no shift could be applied).
     * {@code components[i]} numbers the connected group of finite models that model i was fitted in (1, 2, … by first
     * model in model order; ratings are comparable only within one), 0 for an unbounded model; {@code componentCount}
     * is the number of groups.
     */
    record Ratings(List<String> models, double[] ratings, Bound[] bounds, NewtonSolver.Fit fit, boolean anchored,
            List<String> warnings, int[] components, int componentCount, Coefficients coefficients) {
        Optional<Integer> indexOf(String model) {
            int index = models.indexOf(model);
            return index < 0 ? Optional.empty() : Optional.of(index);
        }
    }

    /**
     * What the fit gives beside the strengths: the style coefficients γ (per standard deviation of each standardised
     * feature; empty without style control) and the Rao-Kupper ν = e^α (1 when no battle was a tie; NaN under
     * {@link Ties#HALF}).
     */
    record Coefficients(double[] gamma, double nu) {
    }

    /** Ties as half a win, no style features: the plain Bradley-Terry fit. */
    static Ratings fit(Comparisons data, RatingScale scale) {
        return fit(data, scale, Ties.HALF);
    }

    static Ratings fit(Comparisons data, RatingScale scale, Ties ties) {
        return fit(data, scale, ties, Identification.WARN);
    }

    /**
     * A bootstrap replicate's fit: the same ratings, bounds and groups as {@link #fit}, without the check of the
     * comparison graph's strong connectivity, which only adds a warning (a replicate's warnings are not reported).
     */
    static Ratings refit(Comparisons data, RatingScale scale, Ties ties) {
        return fit(data, scale, ties, Identification.SKIP);
    }

    /** Whether a fit checks, for its warnings, that the ratings are identified within each group. */
    private enum Identification {
        WARN, SKIP
    }

    private static Ratings fit(Comparisons data, RatingScale scale, Ties ties, Identification identification) {
        int n = data.modelCount();
        List<String> warnings = new ArrayList<>();
        Bound[] bounds = bounds(data, scale, warnings);
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            keep[i] = bounds[i] == Bound.FINITE;
        }
        Comparisons fitted = data.restrictTo(keep);
        int[] groups = ComparisonGraph.components(fitted);
        int groupCount = java.util.Arrays.stream(groups).max().orElse(-1) + 1;
        if (identification == Identification.WARN) {
            warnIdentification(fitted, groups, groupCount, scale, warnings);
        }
        BradleyTerryLoss loss = new BradleyTerryLoss(fitted, scale.l2(), ties);
        if (ties == Ties.RAO_KUPPER && !loss.fitsTieParameter()) {
            warnings.add("no battle between bounded models is a tie: the Rao-Kupper ν is 1 (the plain Bradley-Terry model)");
        }
        NewtonSolver.Fit fit = NewtonSolver.minimise(loss);
        if (!fit.converged()) {
            warnings.add(format("the fit did not converge in %d iterations (gradient norm %.3g)", fit.iterations(), fit.gradientNorm()));
        }
        double[] ratings = new double[n];
        int[] components = new int[n];
        placeRatings(fit.theta(), bounds, groups, groupCount, scale, ratings, components);
        boolean anchored = anchor(data, bounds, scale, ratings);
        return new Ratings(data.models, ratings, bounds, fit, anchored, warnings, components, groupCount, coefficients(loss, fit, ties));
    }

    // γ = β[n, n + p); ν = e^α with α = β[n + p] when fitted, 1 under Rao-Kupper without ties
    private static Coefficients coefficients(BradleyTerryLoss loss, NewtonSolver.Fit fit, Ties ties) {
        int n = loss.modelCount();
        double[] gamma = java.util.Arrays.copyOfRange(fit.theta(), n, n + loss.styleCount());
        double nu = ties == Ties.HALF ? Double.NaN : loss.fitsTieParameter() ? Math.exp(fit.theta()[n + loss.styleCount()]) : 1;
        return new Coefficients(gamma, nu);
    }

    /**
     * Every model finite with L2 > 0; without, each model's bound from the comparison graph, with a warning for each
     * unbounded or isolated model.
     */
    private static Bound[] bounds(Comparisons data, RatingScale scale, List<String> warnings) {
        Bound[] bounds = new Bound[data.modelCount()];
        java.util.Arrays.fill(bounds, Bound.FINITE);
        if (scale.l2() == 0) {
            bounds = ComparisonGraph.bounds(data);
        }
        for (int i = 0; i < bounds.length; i++) {
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
        return bounds;
    }

    /** Warnings for ratings that are comparable only within a group, or (without L2) not identified within one. */
    private static void warnIdentification(Comparisons fitted, int[] groups, int groupCount, RatingScale scale, List<String> warnings) {
        if (groupCount > 1) {
            warnings.add(format("the battles form %d separate groups of models that never met one another (%s): ratings are "
                    + "comparable only within a group%s", groupCount, describe(fitted.models, groups, groupCount),
                    scale.l2() == 0 ? "; each group is centred on the base" : ""));
        }
        if (scale.l2() == 0 && !ComparisonGraph.stronglyConnected(fitted)) {
            warnings.add("within a group of bounded models, some models never lost to, or never beat, the rest of the group: "
                    + "the ratings between them are not identified without --l2 (the fit drives their gap up until it stops)");
        }
    }

    /**
     * Fills {@code ratings} (by model index of the data) from the fitted strengths {@code theta} of the finite models,
     * ±∞ or NaN for the others, and {@code components} with each finite model's group (1, 2, …); without L2, centres
     * each group's finite ratings on the base.
     */
    private static void placeRatings(double[] theta, Bound[] bounds, int[] groups, int groupCount, RatingScale scale,
            double[] ratings, int[] components) {
        int n = bounds.length;
        int[] groupOf = new int[n];
        double[] groupSum = new double[Math.max(groupCount, 1)];
        int[] groupSize = new int[Math.max(groupCount, 1)];
        int j = 0;
        for (int i = 0; i < n; i++) {
            ratings[i] = switch (bounds[i]) {
                case FINITE -> scale.rating(theta[j]);
                case ABOVE -> Double.POSITIVE_INFINITY;
                case BELOW -> Double.NEGATIVE_INFINITY;
                case ISOLATED -> Double.NaN;
            };
            if (bounds[i] == Bound.FINITE) {
                groupOf[i] = groups[j];
                components[i] = groups[j] + 1;
                groupSum[groups[j]] += ratings[i];
                groupSize[groups[j]]++;
                j++;
            }
        }
        if (scale.l2() == 0) {
            // centring: the mean of the finite ratings of each connected group = base
            for (int i = 0; i < n; i++) {
                if (bounds[i] == Bound.FINITE) {
                    ratings[i] += scale.base() - groupSum[groupOf[i]] / groupSize[groupOf[i]];
                }
            }
        }
    }

    /** Shifts every rating so that the anchor model (if any) has its rating; false when the anchor is not finite. */
    private static boolean anchor(Comparisons data, Bound[] bounds, RatingScale scale, double[] ratings) {
        if (scale.anchor().isEmpty()) {
            return true;
        }
        Anchor anchor = scale.anchor().get();
        int index = data.models.indexOf(anchor.model());
        if (index < 0) {
            throw new IllegalArgumentException(format("Cannot anchor to model '%s': it is not among the models", anchor.model()));
        }
        boolean anchored = bounds[index] == Bound.FINITE;
        if (anchored) {
            shift(ratings, anchor.rating() - ratings[index]);
        }
        return anchored;
    }

    private static String describe(List<String> models, int[] groups, int groupCount) {
        List<String> parts = new ArrayList<>();
        for (int group = 0; group < groupCount; group++) {
            List<String> members = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                if (groups[i] == group) {
                    members.add(models.get(i));
                }
            }
            parts.add(members.size() <= 3 ? String.join(", ", members)
                    : format("%s, %s and %d more", members.get(0), members.get(1), members.size() - 2));
        }
        return String.join("; ", parts);
    }

    private static void shift(double[] ratings, double by) {
        for (int i = 0; i < ratings.length; i++) {
            ratings[i] += by;
        }
    }
}
