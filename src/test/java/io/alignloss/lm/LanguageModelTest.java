package io.alignloss.lm;

import io.alignloss.text.Tokens;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LanguageModelTest {
    /** A vocabulary of a few hundred ids with Zipf-like counts, and a model with random weights everywhere. */
    private static LanguageModel randomModel(LmShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<Integer, Long> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.put(random.nextInt(Tokens.OUTCOMES - 1), 1 + (long) (1000.0 / (i + 1)));
        }
        counts.put(Tokens.END, 50L);
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, 2, 0);
        double[] weights = new double[LanguageModel.size(shape, vocabulary)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextGaussian();
        }
        return new LanguageModel(shape, vocabulary, weights);
    }

    private static int[] randomTokens(SplittableRandom random, LanguageModel model, int length) {
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            // mostly kept tokens, sometimes a rare id
            tokens[i] = random.nextInt(4) == 0 ? random.nextInt(Tokens.ORDINARY)
                    : model.vocabulary().kept()[random.nextInt(model.vocabulary().keptCount())];
        }
        return tokens;
    }

    @Test
    void probabilitiesOfEveryIdSumToOne() {
        for (boolean separate : new boolean[] {false, true}) {
            LanguageModel model = randomModel(new LmShape(3, 8, 8, separate), 7);
            SplittableRandom random = new SplittableRandom(11);
            for (int trial = 0; trial < 20; trial++) {
                int[] history = randomTokens(random, model, random.nextInt(6));
                int segment = random.nextInt(2);
                double[] log = model.logDistribution(history, segment);
                assertThat(log).hasSize(Tokens.OUTCOMES);
                double sum = 0;
                double compensation = 0;
                for (double value : log) {
                    // Kahan summation, so the check is on the model, not on rounding over 100k terms
                    double y = Math.exp(value) - compensation;
                    double t = sum + y;
                    compensation = (t - sum) - y;
                    sum = t;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-9));
            }
        }
    }

    @Test
    void positionLogProbMatchesTheFullDistributionAndArgmaxIsItsMaximum() {
        LanguageModel model = randomModel(new LmShape(3, 8, 8, false), 3);
        SplittableRandom random = new SplittableRandom(5);
        LanguageModel.Workspace work = model.workspace();
        for (int trial = 0; trial < 20; trial++) {
            int[] sequence = randomTokens(random, model, 6);
            int t = 1 + random.nextInt(5);
            double[] full = model.logDistribution(java.util.Arrays.copyOf(sequence, t), LanguageModel.RESPONSE);
            assertThat(model.logProb(sequence, t, LanguageModel.RESPONSE, work, null, 0)).isCloseTo(full[sequence[t]], within(1e-12));
            LanguageModel.Next next = model.argmax(sequence, t, LanguageModel.RESPONSE, work);
            double max = java.util.Arrays.stream(full).max().orElseThrow();
            assertThat(next.logProb()).isCloseTo(max, within(1e-12));
            assertThat(full[next.id()]).isCloseTo(max, within(1e-12));
            double entropy = 0;
            for (double value : full) {
                entropy -= Math.exp(value) * value;
            }
            assertThat(next.entropy()).isCloseTo(entropy, within(1e-9));
        }
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        for (boolean separate : new boolean[] {false, true}) {
            LanguageModel model = randomModel(new LmShape(3, 4, 3, separate), 13);
            SplittableRandom random = new SplittableRandom(17);
            int[][] prompts = new int[3][];
            int[][] responses = new int[3][];
            double[] rowWeights = {1.0, 0.5, 2.0};
            for (int i = 0; i < 3; i++) {
                prompts[i] = randomTokens(random, model, 3);
                responses[i] = randomTokens(random, model, 4);
            }
            double[] gradient = new double[model.weights().length];
            nll(model, prompts, responses, rowWeights, gradient);
            double[] x = model.weights();
            double worst = 0;
            for (int trial = 0; trial < 300; trial++) {
                int i = random.nextInt(x.length);
                double original = x[i];
                double step = 1e-4;
                // five-point central difference: f' ≈ (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h
                double[] f = new double[4];
                double[] offsets = {2 * step, step, -step, -2 * step};
                for (int o = 0; o < 4; o++) {
                    x[i] = original + offsets[o];
                    f[o] = nll(model, prompts, responses, rowWeights, null);
                }
                x[i] = original;
                double numeric = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * step);
                worst = Math.max(worst, Math.abs(numeric - gradient[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(gradient[i])));
            }
            assertThat(worst).isLessThan(1e-6);
        }
    }

    // Σ_rows w · (−Σ_t log Pr(s_t | s_<t)) over prompt and response positions (joint NLL)
    private static double nll(LanguageModel model, int[][] prompts, int[][] responses, double[] weights, double[] gradient) {
        LanguageModel.Workspace work = model.workspace();
        double total = 0;
        for (int r = 0; r < prompts.length; r++) {
            int[] sequence = LanguageModel.sequence(prompts[r], responses[r]);
            for (int t = 0; t < sequence.length; t++) {
                int segment = t < prompts[r].length ? LanguageModel.PROMPT : LanguageModel.RESPONSE;
                total -= weights[r] * model.logProb(sequence, t, segment, work, gradient, weights[r]);
            }
        }
        return total;
    }

    @Test
    void separatePromptParametersLeaveTheResponseScoresAlone() {
        LanguageModel model = randomModel(new LmShape(3, 6, 4, true), 19);
        SplittableRandom random = new SplittableRandom(23);
        int[] prompt = randomTokens(random, model, 5);
        int[] response = randomTokens(random, model, 5);
        LanguageModel.Scored before = model.score(prompt, response, model.workspace());
        double[] changed = model.weights().clone();
        int towerSize = changed.length / 2;
        for (int i = towerSize; i < changed.length; i++) {
            changed[i] += random.nextGaussian();
        }
        LanguageModel.Scored after = model.withWeights(changed).score(prompt, response, model.workspace());
        assertThat(after.response()).containsExactly(before.response(), within(0.0));
        assertThat(after.promptSum()).isNotCloseTo(before.promptSum(), within(1e-6));
        assertThat(before.response()).hasSize(response.length + 1);
    }

    @Test
    void greedyDecodeFollowsTheArgmaxAndStopsAtEndOrTheLimit() {
        LanguageModel model = randomModel(new LmShape(2, 6, 4, false), 29);
        LanguageModel.Workspace work = model.workspace();
        int[] prompt = randomTokens(new SplittableRandom(31), model, 4);
        LanguageModel.Decoded decoded = model.greedy(prompt, 12, work);
        assertThat(decoded.tokens().length).isLessThanOrEqualTo(12);
        int[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + decoded.tokens().length + 1);
        System.arraycopy(decoded.tokens(), 0, sequence, prompt.length, decoded.tokens().length);
        for (int t = 0; t < decoded.tokens().length; t++) {
            assertThat(model.argmax(sequence, prompt.length + t, LanguageModel.RESPONSE, work).id()).isEqualTo(decoded.tokens()[t]);
        }
        if (decoded.tokens().length < 12) {
            assertThat(model.argmax(sequence, sequence.length - 1, LanguageModel.RESPONSE, work).id()).isEqualTo(Tokens.END);
        }
    }

    @Test
    void frequencyClassesAreNonEmptyAndCoverTheKeptTokens() {
        Map<Integer, Long> counts = new HashMap<>();
        counts.put(5, 10_000L);
        for (int i = 10; i < 1010; i++) {
            counts.put(i, (long) (i % 7));
        }
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, 2, 0);
        // ids with count ≥ 2 are kept; the most frequent first
        assertThat(vocabulary.kept()[0]).isEqualTo(5);
        assertThat(vocabulary.keptCount()).isEqualTo((int) counts.values().stream().filter(c -> c >= 2).count());
        assertThat(vocabulary.classStart()[1]).isEqualTo(1);
        assertThat(vocabulary.rareCount()).isEqualTo(Tokens.OUTCOMES - vocabulary.keptCount());
    }
}
