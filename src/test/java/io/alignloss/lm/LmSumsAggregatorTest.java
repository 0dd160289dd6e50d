package io.alignloss.lm;

import io.alignloss.optim.MiniBatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** LmSums as the language model's loss aggregator: its sums against the model's full distributions, merging, what travels. */
class LmSumsAggregatorTest {
    private static final Vocabulary VOCABULARY = new Vocabulary(new int[] {5, 6, 7, 11, 12}, new int[] {0, 2, 5});
    private static final LmShape SHAPE = new LmShape(2, 12, 8, true);

    private static LanguageModel model(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weights = new double[LanguageModel.size(SHAPE, VOCABULARY)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.3 * random.nextGaussian();
        }
        return new LanguageModel(SHAPE, VOCABULARY, weights);
    }

    private static List<SequenceBlock> blocks(SplittableRandom random, int count) {
        int[] ids = {5, 6, 7, 11, 12, 40, 900};
        List<SequenceBlock> blocks = new ArrayList<>();
        long hash = 17;
        for (int b = 0; b < count; b++) {
            List<SequenceBlock.Row> rows = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int[] prompt = random.ints(1 + random.nextInt(3), 0, ids.length).map(i -> ids[i]).toArray();
                int[] response = random.ints(random.nextInt(3), 0, ids.length).map(i -> ids[i]).toArray();
                rows.add(new SequenceBlock.Row(prompt, response, random.nextDouble(0.5, 2), hash++ * 104729));
            }
            blocks.add(SequenceBlock.of(rows));
        }
        return blocks;
    }

    // {Σ w·NLL, Σ w·tokens} from the model's full distribution over every id at each scored position
    private static double[] bruteForce(LanguageModel model, List<SequenceBlock> blocks, boolean joint) {
        double nll = 0;
        double tokens = 0;
        for (SequenceBlock block : blocks) {
            for (int r = 0; r < block.size(); r++) {
                int[] sequence = block.sequence(r);
                int prompt = block.promptLength(r);
                for (int t = joint ? 0 : prompt; t < sequence.length; t++) {
                    double[] distribution = model.logDistribution(java.util.Arrays.copyOf(sequence, t),
                            t < prompt ? LanguageModel.PROMPT : LanguageModel.RESPONSE);
                    nll -= block.weight[r] * distribution[sequence[t]];
                    tokens += block.weight[r];
                }
            }
        }
        return new double[] {nll, tokens};
    }

    @Test
    void sumsTheModelsNllAndMergesLikeOnePass() {
        LanguageModel model = model(1);
        List<SequenceBlock> blocks = blocks(new SplittableRandom(2), 3);
        for (boolean joint : new boolean[] {false, true}) {
            LmSums whole = new LmSums(model, joint, true, null);
            blocks.forEach(whole::add);
            whole.compact();
            double[] expected = bruteForce(model, blocks, joint);
            assertThat(whole.lossSum()).isCloseTo(expected[0], within(1e-9));
            assertThat(whole.weightSum()).isCloseTo(expected[1], within(1e-12));
            assertThat(whole.loss()).isCloseTo(expected[0] / expected[1], within(1e-10));

            LmSums first = new LmSums(model, joint, true, null).add(blocks.get(0));
            LmSums rest = new LmSums(model, joint, true, null).add(blocks.get(1)).add(blocks.get(2));
            LmSums merged = first.merge(rest).merge(new LmSums());
            assertThat(merged.lossSum()).isCloseTo(whole.lossSum(), within(1e-9));
            assertThat(merged.gradientSum()).containsExactly(whole.gradientSum(), within(1e-9));
            assertThat(merged.gradientSum()).hasSize(model.weights().length);
        }
    }

    @Test
    void aMiniBatchAddsOnlyItsRows() {
        LanguageModel model = model(3);
        List<SequenceBlock> blocks = blocks(new SplittableRandom(4), 5);
        MiniBatch batch = MiniBatch.of(7, 2, 0.4);
        List<SequenceBlock> kept = new ArrayList<>();
        for (SequenceBlock block : blocks) {
            List<SequenceBlock.Row> rows = new ArrayList<>();
            for (int r = 0; r < block.size(); r++) {
                if (batch.keep(block.hash[r])) {
                    int[] sequence = block.sequence(r);
                    int prompt = block.promptLength(r);
                    rows.add(new SequenceBlock.Row(java.util.Arrays.copyOf(sequence, prompt),
                            java.util.Arrays.copyOfRange(sequence, prompt, sequence.length - 1), block.weight[r], block.hash[r]));
                }
            }
            if (!rows.isEmpty()) {
                kept.add(SequenceBlock.of(rows));
            }
        }
        assertThat(kept).isNotEmpty();
        LmSums sums = LmLoss.add(model, blocks.iterator(), false, true, batch);
        assertThat(sums.lossSum()).isCloseTo(bruteForce(model, kept, false)[0], within(1e-9));
    }

    @Test
    void theModelDoesNotTravelWithTheSums() throws Exception {
        LanguageModel model = model(5);
        LmSums sums = LmLoss.add(model, blocks(new SplittableRandom(6), 2).iterator(), true, true, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sums);
        }
        LmSums copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (LmSums) in.readObject();
        }
        // the sparse gradient touches a fraction of the weights; the model alone would take 8 bytes per weight
        assertThat(bytes.size()).isLessThan(8 * model.weights().length / 2);
        assertThat(copy.lossSum()).isEqualTo(sums.lossSum());
        assertThat(copy.weightSum()).isEqualTo(sums.weightSum());
        assertThat(copy.gradientSum()).containsExactly(sums.gradientSum());
        assertThatThrownBy(() -> copy.add(blocks(new SplittableRandom(6), 1).get(0))).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot add a block: the sums were not created at a model");
    }
}
