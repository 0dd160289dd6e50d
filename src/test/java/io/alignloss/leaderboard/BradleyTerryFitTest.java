package io.alignloss.leaderboard;

import io.alignloss.leaderboard.ComparisonGraph.Bound;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The loss, the Newton fit and the rating conversions, without Spark. */
class BradleyTerryFitTest {
    private static final RatingScale CENTRED = new RatingScale(0, 400, 1000, Optional.empty());

    /** Five models, every pair played with all four outcomes, counts from a fixed seed. */
    static List<Outcome> roundRobin(long seed) {
        Random random = new Random(seed);
        List<String> models = List.of("alpha", "bravo", "charlie", "delta", "echo");
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            for (int j = i + 1; j < models.size(); j++) {
                int edge = models.size() - j + i;
                outcomes.add(new Outcome(models.get(i), models.get(j), Winner.MODEL_A, 10 + edge * 3 + random.nextInt(10)));
                outcomes.add(new Outcome(models.get(i), models.get(j), Winner.MODEL_B, 10 + random.nextInt(10)));
                outcomes.add(new Outcome(models.get(i), models.get(j), Winner.TIE, 1 + random.nextInt(5)));
                outcomes.add(new Outcome(models.get(j), models.get(i), Winner.TIE_BOTH_BAD, 1 + random.nextInt(3)));
            }
        }
        return outcomes;
    }

    @Test
    void gradientAndHessianMatchFiniteDifferencesWithAndWithoutL2() {
        Comparisons data = Comparisons.of(roundRobin(7));
        assertThat(data.y).contains(0.5);
        Random random = new Random(11);
        double[] theta = new double[data.modelCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = random.nextGaussian();
        }
        for (double l2 : new double[] {0, 0.05}) {
            BradleyTerryLoss loss = new BradleyTerryLoss(data, l2);
            double[] gradient = loss.gradient(theta);
            double[][] hessian = loss.hessian(theta);
            double h = 1e-5;
            for (int i = 0; i < theta.length; i++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[i] += h;
                minus[i] -= h;
                // central difference: ∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / 2h
                double numeric = (loss.value(plus) - loss.value(minus)) / (2 * h);
                assertThat(Math.abs(numeric - gradient[i]) / Math.abs(gradient[i])).as("gradient %d, l2 %s", i, l2).isLessThan(1e-6);
                double[] gradientPlus = loss.gradient(plus);
                double[] gradientMinus = loss.gradient(minus);
                for (int j = 0; j < theta.length; j++) {
                    double numericHessian = (gradientPlus[j] - gradientMinus[j]) / (2 * h);
                    assertThat(numericHessian).as("hessian %d,%d", i, j).isCloseTo(hessian[i][j], within(1e-6 * Math.abs(hessian[i][i])));
                }
            }
        }
    }

    @Test
    void twoModelsThreeWinsToOneGiveALogThreeGap() {
        // θ_a − θ_b = ln(3/1): the MLE of σ(d) is the observed win rate 3/4
        List<Outcome> outcomes = List.of(new Outcome("a", "b", Winner.MODEL_A, 3), new Outcome("b", "a", Winner.MODEL_A, 1));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED);
        double gap = 400 * Math.log(3) / Math.log(10);
        assertThat(gap).isCloseTo(190.85, within(0.01));
        assertThat(ratings.fit().converged()).isTrue();
        assertThat(ratings.ratings()[0] - ratings.ratings()[1]).isCloseTo(gap, within(1e-8));
        assertThat(ratings.ratings()[0]).isCloseTo(1000 + gap / 2, within(1e-8));
        assertThat(ratings.ratings()[1]).isCloseTo(1000 - gap / 2, within(1e-8));
        assertThat(ratings.warnings()).isEmpty();
    }

    @Test
    void aTieIsHalfAWin() {
        // a beats b twice, one tie: 2.5 wins of 3 → θ_a − θ_b = ln(2.5 / 0.5) = ln 5
        List<Outcome> outcomes = List.of(new Outcome("a", "b", Winner.MODEL_A, 2), new Outcome("a", "b", Winner.TIE, 1));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED);
        assertThat(ratings.ratings()[0] - ratings.ratings()[1]).isCloseTo(400 * Math.log(5) / Math.log(10), within(1e-8));
    }

    @Test
    void aModelThatNeverLostIsUnboundedAndTheOthersAreFitted() {
        List<Outcome> outcomes = List.of(
                new Outcome("champion", "bravo", Winner.MODEL_A, 5),
                new Outcome("charlie", "champion", Winner.MODEL_B, 2),
                new Outcome("bravo", "charlie", Winner.MODEL_A, 3),
                new Outcome("bravo", "charlie", Winner.MODEL_B, 1));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED);
        int champion = ratings.indexOf("champion").orElseThrow();
        int bravo = ratings.indexOf("bravo").orElseThrow();
        int charlie = ratings.indexOf("charlie").orElseThrow();
        assertThat(ratings.bounds()[champion]).isEqualTo(Bound.ABOVE);
        assertThat(ratings.ratings()[champion]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ratings.warnings()).singleElement().asString().contains("'champion' never lost");
        assertThat(ratings.ratings()[bravo]).isFinite();
        assertThat(ratings.ratings()[charlie]).isFinite();
        // the rest are fitted among themselves: 3 wins to 1, centred on the base
        assertThat(ratings.ratings()[bravo] - ratings.ratings()[charlie]).isCloseTo(400 * Math.log(3) / Math.log(10), within(1e-8));
        assertThat(ratings.ratings()[bravo] + ratings.ratings()[charlie]).isCloseTo(2000, within(1e-8));
        // with l2 the optimum is finite for everyone
        RatingFitter.Ratings penalised = RatingFitter.fit(Comparisons.of(outcomes), new RatingScale(0.01, 400, 1000, Optional.empty()));
        assertThat(java.util.Arrays.stream(penalised.ratings()).allMatch(Double::isFinite)).isTrue();
        assertThat(penalised.warnings()).isEmpty();
        assertThat(penalised.ratings()[champion]).isGreaterThan(penalised.ratings()[bravo]);
    }

    @Test
    void peelingGoesOnUntilEveryRemainingModelHasWinsAndLosses() {
        // top never lost; once it is set aside, second (whose only loss was to top) never lost either
        List<Outcome> outcomes = List.of(
                new Outcome("top", "second", Winner.MODEL_A, 2),
                new Outcome("second", "carol", Winner.MODEL_A, 2),
                new Outcome("second", "dave", Winner.MODEL_A, 1),
                new Outcome("carol", "dave", Winner.MODEL_A, 2),
                new Outcome("carol", "dave", Winner.TIE, 1),
                new Outcome("dave", "carol", Winner.MODEL_A, 1));
        // models in name order: carol, dave, second, top
        assertThat(ComparisonGraph.bounds(Comparisons.of(outcomes))).containsExactly(Bound.FINITE, Bound.FINITE, Bound.ABOVE, Bound.ABOVE);
    }

    @Test
    void aModelThatOnlyPlayedUnboundedModelsIsIsolated() {
        // top and loser are peeled together, leaving middle with no battle among finite models
        List<Outcome> outcomes = List.of(
                new Outcome("top", "middle", Winner.MODEL_A, 2),
                new Outcome("middle", "loser", Winner.MODEL_A, 2),
                new Outcome("top", "loser", Winner.MODEL_A, 1));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED);
        // models in name order: loser, middle, top
        assertThat(ratings.bounds()).containsExactly(Bound.BELOW, Bound.ISOLATED, Bound.ABOVE);
        assertThat(ratings.ratings()[1]).isNaN();
        assertThat(ratings.warnings()).hasSize(3).anyMatch(warning -> warning.contains("'middle' only played models with unbounded ratings"));
    }

    @Test
    void separateGroupsAreEachCentredAndNamedInAWarning() {
        // {a, b} and {c, d} never met: each pair is 3 wins to 1, and each group's mean is the base
        List<Outcome> outcomes = List.of(
                new Outcome("a", "b", Winner.MODEL_A, 3), new Outcome("a", "b", Winner.MODEL_B, 1),
                new Outcome("c", "d", Winner.MODEL_A, 3), new Outcome("c", "d", Winner.MODEL_B, 1));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED);
        double gap = 400 * Math.log(3) / Math.log(10);
        assertThat(ratings.ratings()).containsExactly(new double[] {1000 + gap / 2, 1000 - gap / 2, 1000 + gap / 2, 1000 - gap / 2},
                within(1e-8));
        assertThat(ratings.fit().converged()).isTrue();
        assertThat(ratings.warnings()).singleElement().asString()
                .startsWith("the battles form 2 separate groups of models that never met one another (a, b; c, d)");
    }

    @Test
    void anchorShiftsEveryRatingByTheSameAmount() {
        Comparisons data = Comparisons.of(roundRobin(3));
        RatingFitter.Ratings centred = RatingFitter.fit(data, CENTRED);
        RatingFitter.Ratings anchored = RatingFitter.fit(data, new RatingScale(0, 400, 1000, Optional.of(new Anchor("charlie", 1200))));
        int charlie = data.models.indexOf("charlie");
        assertThat(anchored.ratings()[charlie]).isCloseTo(1200, within(1e-9));
        double shift = anchored.ratings()[0] - centred.ratings()[0];
        for (int i = 0; i < data.modelCount(); i++) {
            assertThat(anchored.ratings()[i] - centred.ratings()[i]).isCloseTo(shift, within(1e-9));
        }
    }

    @Test
    void bootstrapIntervalsContainThePointEstimateAndRepeatWithTheSeed() {
        Comparisons data = Comparisons.of(roundRobin(5));
        RatingScale scale = new RatingScale(0, 400, 1000, Optional.of(new Anchor("alpha", 1000)));
        RatingFitter.Ratings point = RatingFitter.fit(data, scale);
        Bootstrap.Intervals first = Bootstrap.run(data, scale, 50, 42);
        Bootstrap.Intervals again = Bootstrap.run(data, scale, 50, 42);
        Bootstrap.Intervals other = Bootstrap.run(data, scale, 50, 43);
        assertThat(again.lower()).containsExactly(first.lower());
        assertThat(again.upper()).containsExactly(first.upper());
        assertThat(other.lower()).isNotEqualTo(first.lower());
        for (int i = 0; i < data.modelCount(); i++) {
            if (data.models.get(i).equals("alpha")) {
                // the anchor model is pinned in every replicate
                assertThat(first.lower()[i]).isCloseTo(1000, within(1e-9));
                assertThat(first.upper()[i]).isCloseTo(1000, within(1e-9));
                continue;
            }
            assertThat(first.lower()[i]).isLessThan(point.ratings()[i]);
            assertThat(first.upper()[i]).isGreaterThan(point.ratings()[i]);
        }
    }

    @Test
    void multinomialResampleKeepsTheTotalAndSkipsEmptyOutcomes() {
        double[] counts = new OutcomeSampler(new double[] {3, 0, 7}).draw(new java.util.SplittableRandom(1));
        assertThat(counts[0] + counts[1] + counts[2]).isEqualTo(10.0);
        assertThat(counts[1]).isEqualTo(0.0);
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertThat(Bootstrap.quantile(sorted, 0.025)).isCloseTo(1.1, within(1e-12));
        assertThat(Bootstrap.quantile(sorted, 0.975)).isCloseTo(4.9, within(1e-12));
        assertThat(Bootstrap.quantile(new double[] {1, Double.POSITIVE_INFINITY}, 0.975)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Bootstrap.quantile(new double[0], 0.5)).isNaN();
    }

    @Test
    void anchorParsing() {
        assertThat(Anchor.parse("gpt=4=1100.5")).isEqualTo(new Anchor("gpt=4", 1100.5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anchor.parse("dalle3"))
                .hasMessage("Invalid --anchor 'dalle3': expected MODEL=RATING, e.g. dall-e-3=1000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Anchor.parse("dalle3=high"))
                .hasMessage("Invalid --anchor 'dalle3=high': rating 'high' is not a number");
    }
}
