package io.alignloss.bench;

import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import org.apache.spark.api.java.JavaRDD;

import java.util.Iterator;
import java.util.List;

/** The arithmetic floor of the language model's loss and gradient: FLOPs and exps per scored position, and the positions' class sizes. */
final class LmFlops {
    /** The formula the floor counts, as the report states it. */
    static final String FLOPS_FORMULA = "FLOPs/token = n*d (h = sum of n E rows) + 2d*C (class logits) + 2d*m (word logits) "
            + "+ (C + m) (softmax exps, 1 each) + 4d*(C + m) (W gradient and dh) + n*d (E update) = 2*n*d + 6*d*(C + m) + (C + m); "
            + "n = order, d = dimension, C = output classes (with the rare class), "
            + "m = mean size of the target's class over the scored positions (0 for rare targets)";

    /** Scored positions of one mode and the class sizes of their targets. */
    record Targets(long positions, long members, long rare) implements java.io.Serializable {
        // m = Σ_positions |class(target)| / positions
        double meanClassSize() {
            return positions == 0 ? 0 : (double) members / positions;
        }

        Targets plus(Targets other) {
            return new Targets(positions + other.positions, members + other.members, rare + other.rare);
        }
    }

    // FLOPs/token = 2·n·d + 6d·(C + m) + (C + m): n·d sum of E rows, 2d·(C + m) logits, (C + m) exps, 4d·(C + m) W gradient and dh, n·d E update
    static double flopsPerToken(int order, int dimension, int outputClasses, double meanClassSize) {
        double logits = outputClasses + meanClassSize;
        return 2.0 * order * dimension + 6.0 * dimension * logits + logits;
    }

    // exps/token = C + m (one per logit, the minimum a softmax needs)
    static double expsPerToken(int outputClasses, double meanClassSize) {
        return outputClasses + meanClassSize;
    }

    // floor s/token = FLOPs/token / (rate · cores)
    static double floorSecondsPerToken(double flopsPerToken, double flopsPerSecond, int cores) {
        return flopsPerToken / (flopsPerSecond * cores);
    }

    /** The scored positions of {@code blocks} (x ++ y ++ END; from the first response token unless joint) and their targets' class sizes. */
    static Targets targets(Iterator<SequenceBlock> blocks, Vocabulary vocabulary, boolean joint) {
        int[] positions = vocabulary.positions();
        int[] classOfKept = vocabulary.classOfKept();
        int[] classStart = vocabulary.classStart();
        long scored = 0;
        long members = 0;
        long rare = 0;
        while (blocks.hasNext()) {
            SequenceBlock block = blocks.next();
            for (int r = 0; r < block.size(); r++) {
                int[] sequence = block.sequence(r);
                for (int t = joint ? 0 : block.promptLength(r); t < sequence.length; t++) {
                    int k = positions[sequence[t]];
                    scored++;
                    if (k < 0) {
                        rare++;
                    }
                    else {
                        members += classStart[classOfKept[k] + 1] - classStart[classOfKept[k]];
                    }
                }
            }
        }
        return new Targets(scored, members, rare);
    }

    static Targets targets(JavaRDD<SequenceBlock> blocks, Vocabulary vocabulary, boolean joint) {
        return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> List.of(targets(partition, vocabulary, joint)).iterator())
                .reduce(Targets::plus);
    }


    private LmFlops() {
    }
}
