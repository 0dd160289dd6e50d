package io.alignloss.diagnostics;

import io.alignloss.objective.sequence.SequenceLikelihoodObjective;
import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import io.alignloss.testing.Configs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sequence objective's bits per byte through the estimator's bucket bootstrap, on generated sequences whose
 * population bits per byte is known: a response of B ~ U{50..150} bytes has NLL = B·r·ε nats with ε ~ Exp(1)
 * independent of B, so E[NLL] / E[B] = r and the population bits per byte is r / ln 2.
 */
class BitsPerByteIntervalTest {
    private static final double NATS_PER_BYTE = 0.9;
    private static final double TRUE_BPB = NATS_PER_BYTE / Math.log(2);

    private static final SequenceLikelihoodObjective OBJECTIVE = new SequenceLikelihoodObjective(Configs.objective("sequence",
            "{ name = lm, type = sequence-likelihood, input = in }"));

    /** Generated sequences → cells by random bucket, with the sums the objective's scan adds up. */
    private static List<Cell> sample(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LossStats[] buckets = new LossStats[Resampling.BUCKETS];
        for (int i = 0; i < rows; i++) {
            double bytes = 50 + random.nextInt(101);
            double nll = -bytes * NATS_PER_BYTE * Math.log(1 - random.nextDouble());
            double tokens = Math.ceil(bytes / 4);
            int bucket = random.nextInt(Resampling.BUCKETS);
            if (buckets[bucket] == null) {
                buckets[bucket] = LossStats.empty();
            }
            buckets[bucket].add(1.0, nll, tokens).addSum("w_conditional_nll", nll).addSum("w_response_tokens", tokens)
                    .addSum("w_response_bytes", bytes).addSum("w_response_words", Math.ceil(bytes / 6));
        }
        List<Cell> cells = new ArrayList<>();
        for (int b = 0; b < buckets.length; b++) {
            if (buckets[b] != null) {
                cells.add(new Cell(List.of(), b, buckets[b]));
            }
        }
        return cells;
    }

    private static Map<String, Object> estimate(List<Cell> cells, long seed) {
        LossEstimates.Settings settings = new LossEstimates.Settings(100, 0.95, seed, 30, Map.of(), Optional.empty());
        return LossEstimates.estimate(List.of(), cells, settings, stats -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("loss", stats.loss().orElse(Double.NaN));
            figures.putAll(OBJECTIVE.figures(stats));
            return figures;
        }, OBJECTIVE::resampledFigures, new ArrayList<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bitsPerByte(Map<String, Object> figures) {
        return (Map<String, Object>) ((Map<String, Object>) figures.get("conditional")).get("bits_per_byte");
    }

    @Test
    void theFigureSitsInsideItsModeBlockWithTheRatioOfTotals() {
        List<Cell> cells = sample(2000, 1);
        double nll = 0;
        double bytes = 0;
        for (Cell cell : cells) {
            nll += cell.stats().sum("w_conditional_nll");
            bytes += cell.stats().sum("w_response_bytes");
        }
        Map<String, Object> figures = estimate(cells, 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> conditional = (Map<String, Object>) figures.get("conditional");
        assertThat(conditional).containsKeys("token_nll", "perplexity", "bits_per_byte", "byte_perplexity", "word_perplexity");
        assertThat(figures).doesNotContainKey("conditional.bits_per_byte");
        assertThat((Double) bitsPerByte(figures).get("value")).isCloseTo(nll / bytes / Math.log(2), within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> bytePerplexity = (Map<String, Object>) conditional.get("byte_perplexity");
        @SuppressWarnings("unchecked")
        List<Double> bpbInterval = (List<Double>) bitsPerByte(figures).get("ci");
        @SuppressWarnings("unchecked")
        List<Double> perplexityInterval = (List<Double>) bytePerplexity.get("ci");
        // exp is monotone: the byte-perplexity interval is exp(ln 2 · the bits-per-byte interval), replicate by replicate
        // (up to the percentile's interpolation between two neighbouring replicates)
        assertThat(perplexityInterval.get(0)).isCloseTo(Math.exp(Math.log(2) * bpbInterval.get(0)), within(1e-3));
        assertThat(perplexityInterval.get(1)).isCloseTo(Math.exp(Math.log(2) * bpbInterval.get(1)), within(1e-3));
        assertThat(perplexityInterval.get(0)).isLessThan(perplexityInterval.get(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void intervalCoversThePopulationBitsPerByte() {
        int covers = 0;
        int repetitions = 100;
        for (int rep = 0; rep < repetitions; rep++) {
            List<Double> interval = (List<Double>) bitsPerByte(estimate(sample(1000, 100 + rep), 500 + rep)).get("ci");
            if (interval.get(0) <= TRUE_BPB && TRUE_BPB <= interval.get(1)) {
                covers++;
            }
        }
        // nominal 95%: 100 intervals cover the truth 88 to 99 times (binomial 95%, about −3 to +2 sd; a percentile
        // bootstrap under-covers slightly)
        assertThat(covers).isBetween(88, 99);
    }
}
