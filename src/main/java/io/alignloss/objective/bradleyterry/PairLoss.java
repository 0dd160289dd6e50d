package io.alignloss.objective.bradleyterry;

import io.alignloss.model.PairBlock;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.spark.DistributedLoss;
import io.alignloss.optim.spark.DistributedTrainingLoss;
import org.apache.spark.api.java.JavaRDD;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The regularised training objective of a linear Bradley-Terry reward model over cached pair blocks, computed on
 * the cluster by a {@link DistributedLoss} (broadcast φ, one {@link PairLossAggregate} per partition,
 * {@code treeReduce}, destroy):
 * <pre>
 *   L(φ) = Σ_i w_i·ℓ_i(φ) / Σ_i w_i + (λ/2)·||φ||²       (λ = l2 on the mean loss: L2Regularizer(λ, MEAN))
 * </pre>
 * Mini-batches (Adam) keep each pair with probability {@code batchFraction} by {@link MiniBatch}: the loss is the
 * batch's weighted mean.
 */
public final class PairLoss extends DistributedTrainingLoss<PairBlock, double[], PairLoss.Sums> {
    public PairLoss(JavaRDD<PairBlock> blocks, int dimension, double l2, double center, int depth, double batchFraction, long seed) {
        super(new DistributedLoss<>(blocks, dimension, Function.identity(),
                (weights, withGradient, batch) -> new Sums(dimension, center, weights, withGradient, batch), RegularizedLoss.meanL2(l2),
                PairLoss::figures, depth, batchFraction, seed));
    }

    /** The data loss and accuracy at x, without gradient (for validation data). */
    public PairLossAggregate measure(double[] x) {
        return sums(x).sums;
    }

    private static Map<String, Double> figures(Sums sums) {
        PairLossAggregate pairs = sums.sums;
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("accuracy", pairs.accuracy());
        figures.put("loss", pairs.weightSum() > 0 ? pairs.meanLoss() : Double.NaN);
        figures.put("pairs", (double) pairs.count());
        return figures;
    }

    /**
     * A {@link PairLossAggregate} bound to the reward weights φ and the mini-batch it adds at (neither travels with
     * the sums).
     */
    static final class Sums implements LossAggregator<PairBlock, Sums> {
        private final int dimension;
        private final boolean withGradient;
        private final PairLossAggregate sums;
        private final transient double[] weights;
        private final transient MiniBatch batch;

        Sums(int dimension, double center, double[] weights, boolean withGradient, MiniBatch batch) {
            this.dimension = dimension;
            this.withGradient = withGradient;
            this.sums = new PairLossAggregate(dimension, center);
            this.weights = weights;
            this.batch = batch;
        }

        @Override
        public Sums add(PairBlock block) {
            sums.add(block, weights, withGradient, batch);
            return this;
        }

        @Override
        public Sums merge(Sums other) {
            sums.merge(other.sums);
            return this;
        }

        @Override
        public double weightSum() {
            return sums.weightSum();
        }

        // PairLossAggregate keeps Σ w·ℓ to itself and reads it as the mean: Σ w·ℓ = mean · Σ w
        @Override
        public double lossSum() {
            return sums.weightSum() > 0 ? sums.meanLoss() * sums.weightSum() : 0;
        }

        @Override
        public double loss() {
            requireWeight("loss");
            return sums.meanLoss();
        }

        @Override
        public double[] gradientSum() {
            if (!withGradient) {
                throw new IllegalStateException("Cannot read the gradient: the pass did not sum it");
            }
            double[] sum = sums.gradientSum();
            return sum != null ? sum.clone() : new double[dimension];
        }
    }
}
