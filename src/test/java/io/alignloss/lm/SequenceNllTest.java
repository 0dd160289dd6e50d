package io.alignloss.lm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sequence NLL formulas on hand sequences (binary fractions, so every figure is exact), and the language
 * model's scoring path ({@link LanguageModel#score} summed by {@link SequenceNll}) against its training sums
 * ({@link LmSums}) on the same sequences.
 */
class SequenceNllTest {
    // prompt log-probabilities a_t and response log-probabilities b_t (END's last)
    private static final double[] PROMPT = {-0.5, -1.25};
    private static final double[] RESPONSE = {-2.0, -0.75, -0.125};

    @Test
    void conditionalMasksThePromptAndJointAddsThePromptTerm() {
        // by hand: −(−2 − 0.75 − 0.125) = 2.875; prompt term −(−0.5 − 1.25) = 1.75
        assertThat(SequenceNll.conditional(RESPONSE)).isEqualTo(2.875);
        assertThat(SequenceNll.joint(PROMPT, RESPONSE)).isEqualTo(2.875 + 1.75);
        assertThat(SequenceNll.nll(PROMPT, RESPONSE, false)).isEqualTo(2.875);
        assertThat(SequenceNll.nll(PROMPT, RESPONSE, true)).isEqualTo(4.625);
        assertThat(SequenceNll.conditional(new double[0])).isEqualTo(0.0);
    }

    @Test
    void positionsCountTheResponseWithEndAndThePromptOnlyWhenJoint() {
        // x = 2 tokens, y = 2 tokens + END: the sequence has 5 positions
        assertThat(SequenceNll.positions(5, 2, true)).isEqualTo(5);
        assertThat(SequenceNll.positions(5, 2, false)).isEqualTo(3);
        assertThat(SequenceNll.firstScored(2, true)).isZero();
        assertThat(SequenceNll.firstScored(2, false)).isEqualTo(2);
        assertThat(SequenceNll.responsePositions(2)).isEqualTo(RESPONSE.length);
    }

    @Test
    void tokenNllIsARatioOfWeightedTotalsNotAMeanOfMeans() {
        // row 1: w = 2, conditional NLL 2.875 over 3 positions; row 2: w = 0.5, NLL 1 over 1 position
        double weightedNll = 2 * 2.875 + 0.5 * 1.0;
        double weightedPositions = 2 * 3 + 0.5 * 1;
        assertThat(SequenceNll.tokenNll(weightedNll, weightedPositions).getAsDouble()).isEqualTo(6.25 / 6.5);
        assertThat(SequenceNll.tokenNll(weightedNll, weightedPositions).getAsDouble())
                .isNotCloseTo((2 * (2.875 / 3) + 0.5 * 1.0) / 2.5, within(1e-3));
        assertThat(SequenceNll.sequenceNll(weightedNll, 2.5).getAsDouble()).isEqualTo(2.5);
        assertThat(SequenceNll.perplexity(Math.log(4.0))).isCloseTo(4.0, within(1e-15));
        assertThat(SequenceNll.tokenNll(1.0, 0.0)).isEmpty();
        assertThat(SequenceNll.sequenceNll(1.0, 0.0)).isEmpty();
        assertThat(SequenceNll.tokenNllOrNaN(1.0, 0.0)).isNaN();
    }

    @Test
    void scoredLogprobsSummedHereEqualTheTrainingSumsOfTheSameSequences() {
        Vocabulary vocabulary = new Vocabulary(new int[] {5, 6, 7, 11, 12}, new int[] {0, 2, 5});
        LmShape shape = new LmShape(2, 12, 8, true);
        SplittableRandom random = new SplittableRandom(3);
        double[] weights = new double[LanguageModel.size(shape, vocabulary)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.3 * random.nextGaussian();
        }
        LanguageModel model = new LanguageModel(shape, vocabulary, weights);
        int[][] prompts = {{5, 6, 900}, {7}, {11, 12, 5, 40}};
        int[][] responses = {{6, 7}, {}, {12, 900, 5}};
        double[] w = {1.0, 2.5, 0.75};
        double joint = 0;
        double conditional = 0;
        double prompt = 0;
        double jointPositions = 0;
        double conditionalPositions = 0;
        List<SequenceBlock.Row> rows = new java.util.ArrayList<>();
        for (int r = 0; r < w.length; r++) {
            LanguageModel.Scored scored = model.score(prompts[r], responses[r], model.workspace());
            assertThat(scored.response()).hasSize(SequenceNll.responsePositions(responses[r].length));
            joint += w[r] * SequenceNll.joint(scored.prompt(), scored.response());
            conditional += w[r] * SequenceNll.conditional(scored.response());
            // the prompt term from the prompt's own array, not as joint − conditional
            prompt += w[r] * -SequenceNll.sum(scored.prompt());
            jointPositions += w[r] * (prompts[r].length + responses[r].length + 1);
            conditionalPositions += w[r] * (responses[r].length + 1);
            // −log Pr(y ++ END | x) as the self-target path scores a fixed target
            assertThat(-model.responseLogProb(prompts[r], responses[r], model.workspace()))
                    .isCloseTo(SequenceNll.conditional(scored.response()), within(1e-12));
            rows.add(new SequenceBlock.Row(prompts[r], responses[r], w[r], r));
        }
        assertThat(joint).isCloseTo(conditional + prompt, within(1e-12));
        SequenceBlock block = SequenceBlock.of(rows);
        LmSums jointSums = new LmSums(model, true, false, null).add(block);
        LmSums conditionalSums = new LmSums(model, false, false, null).add(block);
        assertThat(jointSums.nll()).isCloseTo(joint, within(1e-12));
        assertThat(jointSums.weightedTokens()).isEqualTo(jointPositions);
        assertThat(conditionalSums.nll()).isCloseTo(conditional, within(1e-12));
        assertThat(conditionalSums.weightedTokens()).isEqualTo(conditionalPositions);
        assertThat(conditionalSums.tokenNll()).isCloseTo(conditional / conditionalPositions, within(1e-12));
    }
}
