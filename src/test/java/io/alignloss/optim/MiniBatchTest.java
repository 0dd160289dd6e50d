package io.alignloss.optim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MiniBatchTest {
    @Test
    void uniformIsSplitMix64sFirstDouble() {
        // SplittableRandom(s).nextDouble() is the SplitMix64 finaliser of s + γ, top 53 bits: an independent implementation
        SplittableRandom hashes = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            long bits = hashes.nextLong();
            assertThat(MiniBatch.uniform(bits)).isEqualTo(new SplittableRandom(bits).nextDouble());
        }
    }

    @Test
    void keepsEachRowWithTheFractionsProbability() {
        SplittableRandom hashes = new SplittableRandom(11);
        int rows = 200_000;
        for (double fraction : new double[] {0.05, 0.25, 0.9}) {
            MiniBatch batch = MiniBatch.of(42, 7, fraction);
            int kept = 0;
            for (int i = 0; i < rows; i++) {
                kept += batch.keep(hashes.nextLong()) ? 1 : 0;
            }
            // 5 binomial standard deviations
            double sd = Math.sqrt(fraction * (1 - fraction) / rows);
            assertThat(kept / (double) rows).isCloseTo(fraction, within(5 * sd));
        }
    }

    @Test
    void batchesDependOnSeedAndIterationAndAFullBatchKeepsAll() {
        SplittableRandom hashes = new SplittableRandom(3);
        MiniBatch a = MiniBatch.of(1, 4, 0.5);
        MiniBatch again = MiniBatch.of(1, 4, 0.5);
        MiniBatch nextIteration = MiniBatch.of(1, 5, 0.5);
        MiniBatch otherSeed = MiniBatch.of(2, 4, 0.5);
        MiniBatch all = MiniBatch.of(1, 4, 1);
        int differIteration = 0;
        int differSeed = 0;
        for (int i = 0; i < 10_000; i++) {
            long hash = hashes.nextLong();
            assertThat(again.keep(hash)).isEqualTo(a.keep(hash));
            assertThat(all.keep(hash)).isTrue();
            differIteration += a.keep(hash) != nextIteration.keep(hash) ? 1 : 0;
            differSeed += a.keep(hash) != otherSeed.keep(hash) ? 1 : 0;
        }
        // independent halves disagree on about half the rows
        assertThat(differIteration).isBetween(4_500, 5_500);
        assertThat(differSeed).isBetween(4_500, 5_500);
    }

    @Test
    void rejectsAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> MiniBatch.of(1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot draw a mini-batch: fraction 0.0 (must be in (0, 1])");
        assertThatThrownBy(() -> MiniBatch.of(1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot draw a mini-batch: fraction 1.5 (must be in (0, 1])");
    }
}
