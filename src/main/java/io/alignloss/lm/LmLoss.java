package io.alignloss.lm;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.optim.L2Regularizer;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.Normalisation;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.Regularizer;
import io.alignloss.optim.spark.DistributedLoss;
import io.alignloss.optim.spark.DistributedTrainingLoss;
import org.apache.spark.api.java.JavaRDD;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token-weighted negative log-likelihood of the language model over cached sequence blocks, computed on the
 * cluster by a {@link DistributedLoss} (broadcast the model at θ, one {@link LmSums} per partition with a sparse
 * gradient, {@code treeReduce}, destroy):
 * <pre>
 *   J(θ) = ( Σ_rows w·NLL(θ) + (λ/2)·||θ||² ) / T,     T = Σ_rows w·(scored positions)
 * </pre>
 * where NLL is {@code −log Pr(y ++ END | x)} (conditional) or {@code −log Pr(x ++ y ++ END)} (joint). λ is the
 * precision of a Gaussian prior on θ, added to the total NLL ({@code L2Regularizer(λ, TOTAL)}, normalised by the
 * fixed T), so it weighs the same against the data in both modes: with separate prompt parameters the two modes
 * have the same minimiser for the response parameters. A mini-batch keeps each row with probability f
 * ({@link MiniBatch}) and estimates J with {@code Σ_batch w·NLL / f}.
 */
public final class LmLoss extends DistributedTrainingLoss<SequenceBlock, LanguageModel, LmSums> {
    private final Tokens tokens;

    /**
     * @param structure a model whose shape and vocabulary θ follows (its weights are not used)
     */
    public LmLoss(JavaRDD<SequenceBlock> blocks, LanguageModel structure, boolean joint, double l2, int depth, double batchFraction,
            long seed) {
        this(blocks, structure, joint, l2, depth, batchFraction, seed, Tokens.of(blocks, joint));
    }

    private LmLoss(JavaRDD<SequenceBlock> blocks, LanguageModel structure, boolean joint, double l2, int depth, double batchFraction,
            long seed, Tokens tokens) {
        super(new DistributedLoss<>(blocks, structure.weights().length, structure::withWeights,
                (model, withGradient, batch) -> new LmSums(model, joint, withGradient, batch),
                new RegularizedLoss(Normalisation.fixedTotal(tokens.weighted()), new L2Regularizer(l2, Regularizer.Scale.TOTAL)),
                LmLoss::figures, depth, batchFraction, seed));
        this.tokens = tokens;
    }

    /** T = Σ w·(scored positions) and the plain count of scored positions over the training data; T must be positive. */
    private record Tokens(double weighted, long plain) {
        static Tokens of(JavaRDD<SequenceBlock> blocks, boolean joint) {
            long[] tokens = blocks.map(block -> {
                double weighted = 0;
                long plain = 0;
                for (int r = 0; r < block.size(); r++) {
                    long positions = positions(block, r, joint);
                    weighted += block.weight[r] * positions;
                    plain += positions;
                }
                return new long[] {Double.doubleToLongBits(weighted), plain};
            }).fold(new long[] {Double.doubleToLongBits(0.0), 0L}, (a, b) -> new long[] {Double.doubleToLongBits(Double.longBitsToDouble(a[0]) + Double.longBitsToDouble(b[0])), a[1] + b[1]});
            double weighted = Double.longBitsToDouble(tokens[0]);
            if (!(weighted > 0)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, "Cannot train the language model: the training rows have no scored token "
                        + "with a positive weight");
            }
            return new Tokens(weighted, tokens[1]);
        }
    }

    private static long positions(SequenceBlock block, int row, boolean joint) {
        return SequenceNll.positions(block.start[row + 1] - block.start[row], block.promptLength[row], joint);
    }

    /** Σ w·(scored positions) over the training data: the T of J. */
    public double totalWeightedTokens() {
        return tokens.weighted();
    }

    /** Scored positions over the training data. */
    public long totalTokens() {
        return tokens.plain();
    }

    /** The sums at x over all rows, without gradient (for reporting). */
    public LmSums measure(double[] x) {
        return sums(x);
    }

    private static Map<String, Double> figures(LmSums sums) {
        Map<String, Double> figures = new LinkedHashMap<>();
        // token NLL of the pass: Σ w·NLL / Σ w·tokens
        figures.put("token_nll", sums.tokenNll());
        figures.put("tokens", (double) sums.tokens());
        figures.put("gradient_entries", (double) sums.nonZeros());
        return figures;
    }

    /** The sums of the rows of {@code blocks} that {@code batch} keeps (all when null), as one partition's task computes them. */
    public static LmSums add(LanguageModel model, Iterator<SequenceBlock> blocks, boolean joint, boolean withGradient, MiniBatch batch) {
        LmSums sums = new LmSums(model, joint, withGradient, batch);
        while (blocks.hasNext()) {
            sums.add(blocks.next());
        }
        return sums.compact();
    }
}
