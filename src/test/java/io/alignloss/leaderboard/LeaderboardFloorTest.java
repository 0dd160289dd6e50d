package io.alignloss.leaderboard;

import io.alignloss.bench.LeaderboardFloor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code bench leaderboard}'s floor ({@link LeaderboardFloor}, its own Newton loop, Cholesky and draw table) agrees with
 * the job's fit and bootstrap ({@link RatingFitter}, {@link Bootstrap}) on a small arena. It lives here, not beside the
 * floor in the bench package, because the job's fit is package-private.
 */
class LeaderboardFloorTest {
    private static final RatingScale CENTRED = new RatingScale(0, 400, 1000, Optional.empty());

    /** Six models, every ordered pair played 15–40 times, outcomes in the job's order (model_a, model_b, winner). */
    private static List<Outcome> arena() {
        SplittableRandom random = new SplittableRandom(17);
        double[] strength = {-1.0, -0.3, 0.0, 0.4, 0.9, 1.5};
        List<Outcome> outcomes = new ArrayList<>();
        for (int a = 0; a < strength.length; a++) {
            for (int b = 0; b < strength.length; b++) {
                if (a == b) {
                    continue;
                }
                long[] counts = new long[Winner.values().length];
                int battles = 15 + random.nextInt(26);
                for (int i = 0; i < battles; i++) {
                    double u = random.nextDouble();
                    double p = 1 / (1 + Math.exp(strength[b] - strength[a]));
                    counts[u < 0.1 ? 2 : u < 0.15 ? 3 : random.nextDouble() < p ? 0 : 1]++;
                }
                for (Winner winner : Winner.values()) {
                    if (counts[winner.ordinal()] > 0) {
                        outcomes.add(new Outcome("m" + a, "m" + b, winner, counts[winner.ordinal()]));
                    }
                }
            }
        }
        return outcomes;
    }

    @Test
    void theFloorsRatingsAndIntervalsAreTheJobs() {
        List<Outcome> outcomes = arena();
        Comparisons data = Comparisons.of(outcomes);
        LeaderboardFloor.Data floor = LeaderboardFloor.Data.of(outcomes);
        assertThat(floor.models()).isEqualTo(data.models);
        double[] expected = RatingFitter.fit(data, CENTRED).ratings();
        double[] ratings = LeaderboardFloor.ratings(floor, floor.count());
        assertThat(ratings).containsExactly(expected, within(1e-8));
        // the same seeded draws, so the same replicates and interval ends
        Bootstrap.Intervals intervals = Bootstrap.run(data, CENTRED, 40, 7);
        double[][] ends = LeaderboardFloor.intervals(floor, 40, 7);
        assertThat(intervals.skipped()).isZero();
        assertThat(ends[0]).containsExactly(intervals.lower(), within(1e-8));
        assertThat(ends[1]).containsExactly(intervals.upper(), within(1e-8));
        for (int i = 0; i < ratings.length; i++) {
            assertThat(ends[0][i]).isLessThan(ratings[i]);
            assertThat(ends[1][i]).isGreaterThan(ratings[i]);
        }
    }
}
