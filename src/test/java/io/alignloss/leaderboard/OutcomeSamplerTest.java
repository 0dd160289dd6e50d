package io.alignloss.leaderboard;

import io.alignloss.leaderboard.ComparisonGraph.Bound;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The bootstrap's draw and its fits: the same counts as the binary search it replaced, from the same random stream;
 * the battles grouped by pair of models give the same loss and ratings; the rounds give the same intervals on any number
 * of threads, and the same as refitting each round's outcome counts one after the other.
 */
class OutcomeSamplerTest {
    private static final RatingScale CENTRED = new RatingScale(0, 400, 1000, Optional.empty());

    // the reference: the smallest k with C_k > battle, by a plain scan of the cumulative counts
    private static double[] scanned(double[] counts, long[] battles) {
        double[] drawn = new double[counts.length];
        for (long battle : battles) {
            long cumulative = 0;
            for (int k = 0; k < counts.length; k++) {
                cumulative += Math.round(counts[k]);
                if (cumulative > battle) {
                    drawn[k]++;
                    break;
                }
            }
        }
        return drawn;
    }

    @Test
    void drawsTheSameBattlesAndCountsAsAPlainScanWithEmptyOutcomesNeverDrawn() {
        SplittableRandom shapes = new SplittableRandom(3);
        for (int trial = 0; trial < 40; trial++) {
            int outcomes = 1 + shapes.nextInt(trial < 20 ? 8 : 400);
            double[] counts = new double[outcomes];
            for (int k = 0; k < outcomes; k++) {
                // a third of the outcomes empty; some large counts, so blocks hold many outcomes or lie inside one
                counts[k] = shapes.nextInt(3) == 0 ? 0 : shapes.nextInt(shapes.nextBoolean() ? 3 : 200);
            }
            counts[shapes.nextInt(outcomes)] += 1;
            OutcomeSampler sampler = new OutcomeSampler(counts);
            long total = Math.round(Arrays.stream(counts).sum());
            assertThat(sampler.total()).isEqualTo(total);
            // the stream: one nextLong(N) per battle, from the generator as it was
            SplittableRandom reference = new SplittableRandom(100 + trial);
            long[] expected = new long[(int) total];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = reference.nextLong(total);
            }
            SplittableRandom random = new SplittableRandom(100 + trial);
            int[] battles = sampler.battles(random);
            assertThat(Arrays.stream(battles).asLongStream().toArray()).containsExactly(expected);
            assertThat(random.nextLong()).as("the generator is left where the reference is").isEqualTo(reference.nextLong());
            double[] drawn = sampler.counts(battles);
            assertThat(drawn).containsExactly(scanned(counts, expected));
            assertThat(Arrays.stream(drawn).sum()).isEqualTo((double) total);
            for (int k = 0; k < outcomes; k++) {
                if (counts[k] == 0) {
                    assertThat(drawn[k]).isZero();
                }
            }
        }
    }

    @Test
    void aRoundThatDrawsEveryBattleOnceGivesTheObservedCounts() {
        double[] counts = {2, 0, 5, 1, 0, 0, 9};
        int[] everyBattle = new int[17];
        for (int j = 0; j < everyBattle.length; j++) {
            everyBattle[j] = j;
        }
        assertThat(new OutcomeSampler(counts).counts(everyBattle)).containsExactly(counts);
    }

    @Test
    void refusesNegativeCountsAndAnEmptyDraw() {
        assertThatThrownBy(() -> new OutcomeSampler(new double[] {1, -1})).hasMessageContaining("negative count");
        assertThatThrownBy(() -> new OutcomeSampler(new double[] {0, 0}).battles(new SplittableRandom(1)))
                .hasMessage("Cannot draw battles: there are none");
    }

    @Test
    void battlesGroupedByPairHaveTheSameLossAndRatings() {
        Comparisons data = Comparisons.of(BradleyTerryFitTest.roundRobin(9));
        Comparisons pairs = ModelPairs.of(data).counted(data.count);
        // 5 models, 10 pairs of 4 outcomes each (one of them with model_a and model_b swapped)
        assertThat(data.size()).isEqualTo(40);
        assertThat(pairs.size()).isEqualTo(10);
        assertThat(pairs.total).isEqualTo(data.total);
        SplittableRandom random = new SplittableRandom(5);
        double[] theta = new double[data.modelCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = random.nextDouble(-2, 2);
        }
        // Σ_k c_k ℓ(d, y_k) over the raw outcomes, written out: a tie is half a win for each side
        double sum = 0;
        for (int k = 0; k < data.size(); k++) {
            double d = theta[data.a[k]] - theta[data.b[k]];
            sum += data.count[k] * (data.y[k] * Math.log1p(Math.exp(-d)) + (1 - data.y[k]) * Math.log1p(Math.exp(d)));
        }
        assertThat(new BradleyTerryLoss(pairs, 0).value(theta)).isCloseTo(sum / data.total, within(1e-14));
        double[] gradient = new BradleyTerryLoss(data, 0).gradient(theta);
        double[] pairGradient = new BradleyTerryLoss(pairs, 0).gradient(theta);
        for (int i = 0; i < theta.length; i++) {
            assertThat(pairGradient[i]).isCloseTo(gradient[i], within(1e-15));
        }
        RatingFitter.Ratings expected = RatingFitter.fit(data, CENTRED);
        RatingFitter.Ratings actual = RatingFitter.refit(pairs, CENTRED, Ties.HALF);
        assertThat(actual.ratings()).containsExactly(expected.ratings(), within(1e-9));
    }

    @Test
    void pairsKeepTheUnboundedModels() {
        // champion never lost (one battle with it as model_b), so bravo's only loss is to it: both unbounded above
        List<Outcome> outcomes = List.of(
                new Outcome("champion", "bravo", Winner.MODEL_A, 5),
                new Outcome("charlie", "champion", Winner.MODEL_B, 2),
                new Outcome("bravo", "charlie", Winner.MODEL_A, 3),
                new Outcome("charlie", "delta", Winner.TIE, 2),
                new Outcome("delta", "charlie", Winner.MODEL_A, 1));
        Comparisons data = Comparisons.of(outcomes);
        Comparisons pairs = ModelPairs.of(data).counted(data.count);
        assertThat(ComparisonGraph.bounds(pairs)).containsExactly(ComparisonGraph.bounds(data));
        assertThat(ComparisonGraph.bounds(data)).containsExactly(Bound.ABOVE, Bound.ABOVE, Bound.FINITE, Bound.FINITE);
        assertThat(RatingFitter.refit(pairs, CENTRED, Ties.HALF).ratings())
                .containsExactly(RatingFitter.fit(data, CENTRED).ratings(), within(1e-9));
        // a replicate where a pair (charlie, delta: outcomes 3 and 4) has no battle leaves it out
        double[] counts = data.count.clone();
        counts[3] = 0;
        counts[4] = 0;
        assertThat(ModelPairs.of(data).counted(counts).size()).isEqualTo(3);
    }

    @Test
    void roundsGiveTheSameIntervalsOnAnyNumberOfThreadsAndAsRefittingEachDrawInTurn() {
        List<Outcome> outcomes = new ArrayList<>(BradleyTerryFitTest.roundRobin(4));
        // a sixth model with 2 wins and 1 loss: unbounded in some rounds
        outcomes.add(new Outcome("foxtrot", "alpha", Winner.MODEL_A, 2));
        outcomes.add(new Outcome("bravo", "foxtrot", Winner.MODEL_A, 1));
        Comparisons data = Comparisons.of(outcomes);
        int rounds = 60;
        Bootstrap.Intervals one = Bootstrap.run(data, CENTRED, Ties.HALF, rounds, 42, 1);
        Bootstrap.Intervals three = Bootstrap.run(data, CENTRED, Ties.HALF, rounds, 42, 3);
        assertThat(three.lower()).containsExactly(one.lower());
        assertThat(three.upper()).containsExactly(one.upper());
        assertThat(three.unboundedRounds()).containsExactly(one.unboundedRounds());
        // the reference: round after round, N nextLong(N) battles from one generator, scanned to their outcomes, and
        // the full fit on the raw outcomes with these counts
        SplittableRandom random = new SplittableRandom(42);
        long total = Math.round(data.total);
        double[][] replicates = new double[data.modelCount()][rounds];
        for (int round = 0; round < rounds; round++) {
            long[] battles = new long[(int) total];
            for (int i = 0; i < battles.length; i++) {
                battles[i] = random.nextLong(total);
            }
            double[] ratings = RatingFitter.fit(data.withCounts(scanned(data.count, battles)), CENTRED).ratings();
            for (int i = 0; i < ratings.length; i++) {
                replicates[i][round] = ratings[i];
            }
        }
        int foxtrot = data.models.indexOf("foxtrot");
        assertThat(one.unboundedRounds()[foxtrot]).isPositive();
        for (int i = 0; i < data.modelCount(); i++) {
            double[] sorted = Arrays.stream(replicates[i]).filter(value -> !Double.isNaN(value)).sorted().toArray();
            assertThat(one.unboundedRounds()[i]).isEqualTo((int) Arrays.stream(sorted).filter(Double::isInfinite).count());
            assertThat(one.lower()[i]).isCloseTo(Bootstrap.quantile(sorted, Bootstrap.LOWER), within(1e-9));
            assertThat(one.upper()[i]).isCloseTo(Bootstrap.quantile(sorted, Bootstrap.UPPER), within(1e-9));
        }
    }
}
