package io.alignloss.lm;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.PairLossAggregate.RowFilter;
import io.alignloss.optim.Evaluation;
import io.alignloss.optim.TrainingLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token-weighted negative log-likelihood of the language model over cached sequence blocks, computed on the
 * cluster (broadcast θ, per-partition sparse gradient, {@code treeReduce}, destroy):
 * <pre>
 *   J(θ) = ( Σ_rows w·NLL(θ) + (λ/2)·||θ||² ) / T,     T = Σ_rows w·(scored positions)
 * </pre>
 * where NLL is {@code −log Pr(y ++ END | x)} (conditional) or {@code −log Pr(x ++ y ++ END)} (joint). λ is the
 * precision of a Gaussian prior on θ, added to the total NLL, so it weighs the same against the data in both
 * modes: with separate prompt parameters the two modes have the same minimiser for the response parameters.
 * A mini-batch keeps each row with probability f (seeded by its hash and the iteration) and estimates J with
 * {@code Σ_batch w·NLL / f}.
 */
public final class LmLoss implements TrainingLoss {
    private final JavaRDD<SequenceBlock> blocks;
    private final LanguageModel structure;
    private final boolean joint;
    private final double l2;
    private final int depth;
    private final double batchFraction;
    private final long seed;
    private final double totalWeightedTokens;
    private final long totalTokens;

    /**
     * @param structure a model whose shape and vocabulary θ follows (its weights are not used)
     */
    public LmLoss(JavaRDD<SequenceBlock> blocks, LanguageModel structure, boolean joint, double l2, int depth, double batchFraction,
            long seed) {
        this.blocks = blocks;
        this.structure = structure;
        this.joint = joint;
        this.l2 = l2;
        this.depth = depth;
        this.batchFraction = batchFraction;
        this.seed = seed;
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
        this.totalWeightedTokens = Double.longBitsToDouble(tokens[0]);
        this.totalTokens = tokens[1];
        if (!(totalWeightedTokens > 0)) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, "Cannot train the language model: the training rows have no scored token "
                    + "with a positive weight");
        }
    }

    private static long positions(SequenceBlock block, int row, boolean joint) {
        int length = block.start[row + 1] - block.start[row];
        return joint ? length : length - block.promptLength[row];
    }

    /** Σ w·(scored positions) over the training data: the T of J. */
    public double totalWeightedTokens() {
        return totalWeightedTokens;
    }

    /** Scored positions over the training data. */
    public long totalTokens() {
        return totalTokens;
    }

    @Override
    public int dimension() {
        return structure.weights().length;
    }

    @Override
    public Evaluation evaluate(double[] x) {
        return objective(x, sums(x, true, null), 1.0);
    }

    @Override
    public Evaluation evaluateBatch(double[] x, long iteration) {
        if (batchFraction >= 1) {
            return evaluate(x);
        }
        return objective(x, sums(x, true, RowFilter.miniBatch(seed, iteration, batchFraction)), batchFraction);
    }

    /** The sums at x over all rows, without gradient (for reporting). */
    public LmSums measure(double[] x) {
        return sums(x, false, null);
    }

    // J = (Σ w·NLL / f + (λ/2)||θ||²) / T,  ∇J = (∇Σ w·NLL / f + λθ) / T
    private Evaluation objective(double[] x, LmSums sums, double fraction) {
        double[] gradient = sums.gradient(x.length);
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            squares += x[i] * x[i];
            gradient[i] = (gradient[i] / fraction + l2 * x[i]) / totalWeightedTokens;
        }
        double value = (sums.nll() / fraction + 0.5 * l2 * squares) / totalWeightedTokens;
        Map<String, Double> figures = new LinkedHashMap<>();
        // token NLL of the pass: Σ w·NLL / Σ w·tokens
        figures.put("token_nll", sums.weightedTokens() > 0 ? sums.nll() / sums.weightedTokens() : Double.NaN);
        figures.put("tokens", (double) sums.tokens());
        figures.put("gradient_entries", (double) sums.nonZeros());
        return new Evaluation(value, gradient, figures);
    }

    private LmSums sums(double[] x, boolean withGradient, RowFilter filter) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<LanguageModel> model = context.broadcast(structure.withWeights(x));
        boolean mode = joint;
        try {
            return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> List.of(add(model.value(), partition, mode, withGradient, filter)).iterator())
                    .treeReduce(LmSums::merge, depth);
        }
        finally {
            model.destroy();
        }
    }

    /** The sums of the rows of {@code blocks} that {@code filter} keeps (all when null). */
    public static LmSums add(LanguageModel model, Iterator<SequenceBlock> blocks, boolean joint, boolean withGradient, RowFilter filter) {
        LanguageModel.Workspace work = model.workspace();
        double[] gradient = withGradient ? new double[model.weights().length] : null;
        LmSums sums = new LmSums();
        while (blocks.hasNext()) {
            SequenceBlock block = blocks.next();
            for (int r = 0; r < block.size(); r++) {
                double w = block.weight[r];
                if (w == 0 || (filter != null && !filter.keep(block.hash[r]))) {
                    continue;
                }
                int[] sequence = block.sequence(r);
                int prompt = block.promptLength[r];
                for (int t = joint ? 0 : prompt; t < sequence.length; t++) {
                    int segment = t < prompt ? LanguageModel.PROMPT : LanguageModel.RESPONSE;
                    // NLL += −w·log Pr(s_t | s_<t)
                    sums.nll -= w * model.logProb(sequence, t, segment, work, gradient, w);
                    sums.weightedTokens += w;
                    sums.tokens++;
                }
                sums.rows++;
            }
        }
        if (gradient != null) {
            sums.setGradient(gradient);
        }
        return sums;
    }
}
