package io.alignloss.optim.spark;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.TrainingLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A regularised training loss over an RDD of cached blocks, in the manner of MLlib's {@code RDDLossFunction}.
 * Each evaluation at θ:
 * <ol>
 *   <li>broadcasts the parameters P(θ) (θ itself, or a model holding it);</li>
 *   <li>in each partition creates one aggregator at P(θ), adds the partition's blocks and {@link LossAggregator#compact
 *       compacts} it (the language model's sparse per-partition gradient);</li>
 *   <li>merges the partitions' aggregators with {@code treeReduce} of the given depth;</li>
 *   <li>turns the sums into J(θ), ∇J(θ) with a {@link RegularizedLoss} (normalisation and regulariser);</li>
 *   <li>destroys the broadcast.</li>
 * </ol>
 * A mini-batch (stochastic optimisers) keeps each row with probability {@code batchFraction} by
 * {@link MiniBatch}; a fraction of 1 is a full pass.
 *
 * @param <B> the block of rows
 * @param <P> what is broadcast: the parameters in the form the aggregator reads
 * @param <A> the aggregator
 */
public final class DistributedLoss<B, P, A extends LossAggregator<B, A>> implements TrainingLoss {
    /** Creates an aggregator on an executor, at the broadcast parameters. */
    @FunctionalInterface
    public interface Aggregators<P, A> extends Serializable {
        /**
         * @param withGradient whether the pass sums the gradient (false: loss and figures only)
         * @param batch        the rows to keep, or null for all
         */
        A create(P parameters, boolean withGradient, MiniBatch batch);
    }

    private final JavaRDD<B> blocks;
    private final int dimension;
    private final Function<double[], P> parameters;
    private final Aggregators<P, A> aggregators;
    private final RegularizedLoss objective;
    private final Function<A, Map<String, Double>> figures;
    private final int depth;
    private final double batchFraction;
    private final long seed;

    /**
     * @param parameters    P(θ), evaluated on the driver before each broadcast
     * @param figures       the figures an {@link Evaluation} carries, read from the merged sums
     * @param depth         the depth of the {@code treeReduce}
     * @param batchFraction the share of rows a mini-batch keeps, in (0, 1]
     * @param seed          the mini-batches' seed
     */
    public DistributedLoss(JavaRDD<B> blocks, int dimension, Function<double[], P> parameters, Aggregators<P, A> aggregators,
            RegularizedLoss objective, Function<A, Map<String, Double>> figures, int depth, double batchFraction, long seed) {
        this.blocks = requireNonNull(blocks, "blocks is null");
        this.dimension = dimension;
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.aggregators = requireNonNull(aggregators, "aggregators is null");
        this.objective = requireNonNull(objective, "objective is null");
        this.figures = requireNonNull(figures, "figures is null");
        if (depth < 1) {
            throw new IllegalArgumentException(String.format("Invalid tree depth: %s (must be >= 1)", depth));
        }
        if (!(batchFraction > 0 && batchFraction <= 1)) {
            throw new IllegalArgumentException(String.format("Invalid batch fraction: %s (must be in (0, 1])", batchFraction));
        }
        this.depth = depth;
        this.batchFraction = batchFraction;
        this.seed = seed;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Evaluation evaluate(double[] x) {
        A sums = sums(x, true, null);
        return objective.evaluate(x, sums, 1.0, figures.apply(sums));
    }

    @Override
    public Evaluation evaluateBatch(double[] x, long iteration) {
        if (batchFraction >= 1) {
            return evaluate(x);
        }
        A sums = sums(x, true, MiniBatch.of(seed, iteration, batchFraction));
        return objective.evaluate(x, sums, batchFraction, figures.apply(sums));
    }

    /** The merged sums at {@code x} over all rows, without the gradient (validation, reporting). */
    public A measure(double[] x) {
        return sums(x, false, null);
    }

    /** broadcast P(x) → one aggregator per partition → treeReduce → destroy. */
    public A sums(double[] x, boolean withGradient, MiniBatch batch) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<P> broadcast = context.broadcast(parameters.apply(x));
        Aggregators<P, A> create = aggregators;
        try {
            return blocks.mapPartitions((Iterator<B> partition) -> {
                A sums = create.create(broadcast.value(), withGradient, batch);
                while (partition.hasNext()) {
                    sums = sums.add(partition.next());
                }
                return List.of(sums.compact()).iterator();
            }).treeReduce(LossAggregator::merge, depth);
        }
        finally {
            broadcast.destroy();
        }
    }
}
