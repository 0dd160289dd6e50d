package io.alignloss.objective.expectedutility;

import io.alignloss.model.PolicyBlock;
import io.alignloss.optim.Evaluation;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.spark.DistributedLoss;
import io.alignloss.optim.spark.DistributedTrainingLoss;
import org.apache.spark.api.java.JavaRDD;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The regularised negative expected utility of a linear softmax policy {@code π_θ(y|x) = softmax_y(θ·f(x, y))}
 * over cached candidate-set blocks, computed on the cluster by a {@link DistributedLoss} (broadcast θ, one
 * {@link PolicyLossAggregate} per partition, {@code treeReduce}, destroy):
 * <pre>
 *   L(θ) = −Σ_x w_x Σ_y π_θ(y|x)·U(x, y) / Σ_x w_x − β·Σ_x w_x·H(π_θ(·|x)) / Σ_x w_x + (λ/2)·||θ||²
 * </pre>
 * with λ = l2 on the mean loss ({@code L2Regularizer(λ, MEAN)}). Minimising it maximises expected utility; the
 * entropy coefficient β ≥ 0 is a bonus on entropy. Mini-batches (Adam) keep each prompt with probability
 * {@code batchFraction} by {@link MiniBatch}.
 */
public final class PolicyLoss extends DistributedTrainingLoss<PolicyBlock, double[], PolicyLossAggregate> {
    public PolicyLoss(JavaRDD<PolicyBlock> blocks, int dimension, double l2, double entropy, int depth, double batchFraction, long seed) {
        super(new DistributedLoss<>(blocks, dimension, Function.identity(),
                (theta, withGradient, batch) -> new PolicyLossAggregate(dimension, entropy, theta, withGradient, batch),
                RegularizedLoss.meanL2(l2), PolicyLoss::figures, depth, batchFraction, seed));
    }

    /** The policy's sums at x without gradient (mean utility and entropy, for reporting). */
    public PolicyLossAggregate measure(double[] x) {
        return sums(x);
    }

    /** The same objective on blocks held on the driver (tests, small data). */
    public static Evaluation local(List<PolicyBlock> blocks, double[] x, double l2, double entropy) {
        PolicyLossAggregate sums = new PolicyLossAggregate(x.length, entropy, x, true, null).addAll(blocks);
        return RegularizedLoss.meanL2(l2).evaluate(x, sums, 1.0, figures(sums));
    }

    private static Map<String, Double> figures(PolicyLossAggregate sums) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("mean_utility", sums.meanUtility());
        // loss = −mean_utility: the sign contract, whatever the entropy bonus and L2 add to the objective
        figures.put("loss", -sums.meanUtility());
        figures.put("entropy", sums.meanEntropy());
        figures.put("prompts", (double) sums.count());
        return figures;
    }
}
