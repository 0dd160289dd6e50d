package io.alignloss.stats;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LossStatsTest {
    @Test
    void lossIsWeightedRatioAndStderrMatchesDirectFormula() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 500;
        double[] w = new double[n];
        double[] y = new double[n];
        double[] x = new double[n];
        LossStats stats = LossStats.empty();
        for (int i = 0; i < n; i++) {
            w[i] = random.nextDouble() * 2;
            x[i] = 1 + random.nextInt(20);
            y[i] = x[i] * (1 + random.nextDouble());
            stats.add(w[i], y[i], x[i]);
        }
        double swy = 0;
        double swx = 0;
        for (int i = 0; i < n; i++) {
            swy += w[i] * y[i];
            swx += w[i] * x[i];
        }
        double ratio = swy / swx;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            squares += w[i] * w[i] * (y[i] - ratio * x[i]) * (y[i] - ratio * x[i]);
        }
        assertThat(stats.loss().getAsDouble()).isCloseTo(ratio, within(1e-12));
        assertThat(stats.stderr().getAsDouble()).isCloseTo(Math.sqrt(squares) / swx, within(1e-12));
    }

    @Test
    void mergedStatsEqualStatsOfTheUnion() {
        LossStats left = LossStats.empty().add(1, 0.5, 1).add(2, 1.5, 1).addSum("a", 3);
        LossStats right = LossStats.empty().add(0.5, 2.0, 1).addSum("a", 1).addSum("b", 2);
        LossStats all = LossStats.empty().add(1, 0.5, 1).add(2, 1.5, 1).add(0.5, 2.0, 1);
        LossStats merged = LossStats.empty().merge(left).merge(right);
        assertThat(merged.loss().getAsDouble()).isCloseTo(all.loss().getAsDouble(), within(1e-15));
        assertThat(merged.stderr().getAsDouble()).isCloseTo(all.stderr().getAsDouble(), within(1e-15));
        assertThat(merged.count()).isEqualTo(3);
        assertThat(merged.sum("a")).isEqualTo(4.0);
        assertThat(merged.sum("b")).isEqualTo(2.0);
    }

    @Test
    void emptyStatsHaveNoLoss() {
        assertThat(LossStats.empty().loss()).isEmpty();
        assertThat(LossStats.empty().stderr()).isEmpty();
        assertThat(LossStats.empty().add(0, 1, 1).loss()).isEmpty();
        assertThat(LossStats.empty().add(1, 1, 1).stderr()).isEmpty();
    }
}
