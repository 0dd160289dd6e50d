package io.alignloss.model;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.TrainingLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.alignloss.optim.Vectors.dot;

/**
 * The regularised training objective of a linear Bradley-Terry reward model over cached pair blocks,
 * computed on the cluster: each evaluation broadcasts φ, sums loss and gradient with
 * {@code treeAggregate}, and destroys the broadcast.
 * <pre>
 *   L(φ) = Σ_i w_i·ℓ_i(φ) / Σ_i w_i + (λ/2)·||φ||²       (λ = l2, MLlib's regParam convention)
 * </pre>
 * Mini-batches (Adam) keep each pair with probability {@code batchFraction}, decided by a hash of the
 * pair's stable row hash, the seed and the iteration, so batches do not depend on partitioning and a
 * resumed run draws the same ones.
 */
public final class PairLoss implements TrainingLoss {
    private final JavaRDD<PairBlock> blocks;
    private final int dimension;
    private final double l2;
    private final double center;
    private final int depth;
    private final double batchFraction;
    private final long seed;

    public PairLoss(JavaRDD<PairBlock> blocks, int dimension, double l2, double center, int depth, double batchFraction, long seed) {
        this.blocks = blocks;
        this.dimension = dimension;
        this.l2 = l2;
        this.center = center;
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
        return objective(x, aggregate(x, true, null));
    }

    @Override
    public Evaluation evaluateBatch(double[] x, long iteration) {
        return objective(x, aggregate(x, true, PairLossAggregate.RowFilter.miniBatch(seed, iteration, batchFraction)));
    }

    /** The data loss and accuracy at x, without gradient (for validation data). */
    public PairLossAggregate measure(double[] x) {
        return aggregate(x, false, null);
    }

    private Evaluation objective(double[] x, PairLossAggregate sums) {
        double[] gradient = new double[dimension];
        double value;
        if (sums.weightSum() > 0) {
            double[] sum = sums.gradientSum();
            for (int j = 0; j < dimension; j++) {
                gradient[j] = sum[j] / sums.weightSum();
            }
            value = sums.meanLoss();
        }
        else {
            value = 0;
        }
        // + (λ/2)·||φ||², gradient + λ·φ
        value += l2 / 2 * dot(x, x);
        for (int j = 0; j < dimension; j++) {
            gradient[j] += l2 * x[j];
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("accuracy", sums.accuracy());
        figures.put("loss", sums.weightSum() > 0 ? sums.meanLoss() : Double.NaN);
        figures.put("pairs", (double) sums.count());
        return new Evaluation(value, gradient, figures);
    }

    private PairLossAggregate aggregate(double[] x, boolean withGradient, PairLossAggregate.RowFilter filter) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<double[]> weights = context.broadcast(x);
        int d = dimension;
        double c = center;
        try {
            return blocks.treeAggregate(new PairLossAggregate(d, c),
                    (sums, block) -> sums.add(block, weights.value(), withGradient, filter),
                    PairLossAggregate::merge, depth);
        }
        finally {
            weights.destroy();
        }
    }
}
