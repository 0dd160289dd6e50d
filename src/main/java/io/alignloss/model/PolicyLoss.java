package io.alignloss.model;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.TrainingLoss;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.alignloss.optim.Vectors.dot;

/**
 * The regularised negative expected utility of a linear softmax policy {@code π_θ(y|x) = softmax_y(θ·f(x, y))}
 * over cached candidate-set blocks, computed on the cluster (broadcast θ, {@code treeAggregate}, destroy):
 * <pre>
 *   L(θ) = −Σ_x w_x Σ_y π_θ(y|x)·U(x, y) / Σ_x w_x − β·Σ_x w_x·H(π_θ(·|x)) / Σ_x w_x + (λ/2)·||θ||²
 * </pre>
 * Minimising it maximises expected utility; the entropy coefficient β ≥ 0 is a bonus on entropy.
 * Mini-batches (Adam) keep each prompt with probability {@code batchFraction} by a hash of its id, the seed
 * and the iteration.
 */
public final class PolicyLoss implements TrainingLoss {
    private final JavaRDD<PolicyBlock> blocks;
    private final int dimension;
    private final double l2;
    private final double entropy;
    private final int depth;
    private final double batchFraction;
    private final long seed;

    public PolicyLoss(JavaRDD<PolicyBlock> blocks, int dimension, double l2, double entropy, int depth, double batchFraction, long seed) {
        this.blocks = blocks;
        this.dimension = dimension;
        this.l2 = l2;
        this.entropy = entropy;
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
        return objective(x, aggregate(x, true, null), l2);
    }

    @Override
    public Evaluation evaluateBatch(double[] x, long iteration) {
        return objective(x, aggregate(x, true, PairLossAggregate.RowFilter.miniBatch(seed, iteration, batchFraction)), l2);
    }

    /** The policy's sums at x without gradient (mean utility and entropy, for reporting). */
    public PolicyLossAggregate measure(double[] x) {
        return aggregate(x, false, null);
    }

    /** The same objective on blocks held on the driver (tests, small data). */
    public static Evaluation local(List<PolicyBlock> blocks, double[] x, double l2, double entropy) {
        PolicyLossAggregate sums = new PolicyLossAggregate(x.length, entropy);
        for (PolicyBlock block : blocks) {
            sums.add(block, x, true, null);
        }
        return objective(x, sums, l2);
    }

    private static Evaluation objective(double[] x, PolicyLossAggregate sums, double l2) {
        int dimension = x.length;
        double[] gradient = new double[dimension];
        double value = 0;
        if (sums.weightSum() > 0) {
            double[] sum = sums.gradientSum();
            for (int j = 0; j < dimension; j++) {
                gradient[j] = sum[j] / sums.weightSum();
            }
            value = sums.meanLoss();
        }
        // + (λ/2)·||θ||², gradient + λ·θ
        value += l2 / 2 * dot(x, x);
        for (int j = 0; j < dimension; j++) {
            gradient[j] += l2 * x[j];
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("mean_utility", sums.meanUtility());
        // loss = −mean_utility: the sign contract, whatever the entropy bonus and L2 add to the objective
        figures.put("loss", -sums.meanUtility());
        figures.put("entropy", sums.meanEntropy());
        figures.put("prompts", (double) sums.count());
        return new Evaluation(value, gradient, figures);
    }

    private PolicyLossAggregate aggregate(double[] x, boolean withGradient, PairLossAggregate.RowFilter filter) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<double[]> theta = context.broadcast(x);
        int d = dimension;
        double beta = entropy;
        try {
            return blocks.treeAggregate(new PolicyLossAggregate(d, beta),
                    (sums, block) -> sums.add(block, theta.value(), withGradient, filter),
                    PolicyLossAggregate::merge, depth);
        }
        finally {
            theta.destroy();
        }
    }
}
