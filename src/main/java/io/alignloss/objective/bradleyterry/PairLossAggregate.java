package io.alignloss.objective.bradleyterry;

import io.alignloss.model.PairBlock;
import io.alignloss.objective.bradleyterry.BradleyTerry;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.Vectors;

import java.io.Serializable;

/**
 * Running sums of the weighted Bradley-Terry loss of a linear reward model over pairs, and of its gradient
 * (in the style of MLlib's loss aggregators: division by the weight sum only when read). Per pair, with
 * {@code z = φ·Δf − δ} (δ the margin offset) and soft label {@code p}, with {@link BradleyTerry}'s loss and derivative:
 * <pre>
 *   ℓ = p·softplus(−z) + (1 − p)·softplus(z) + c·(φ·(f_w + f_l))²
 *   ∇ℓ = (σ(z) − p)·Δf + 2c·(φ·(f_w + f_l))·(f_w + f_l)
 * </pre>
 */
public final class PairLossAggregate implements Serializable {
    private final int dimension;
    private final double center;
    private double[] gradient;
    private double lossSum;
    private double weightSum;
    private double correctWeight;
    private double decidedWeight;
    private long count;

    public PairLossAggregate(int dimension, double center) {
        this.dimension = dimension;
        this.center = center;
    }

    /** Adds the pairs of a block that {@code filter} keeps (all when it is null). */
    public PairLossAggregate add(PairBlock block, double[] weights, boolean withGradient, MiniBatch filter) {
        if (withGradient && gradient == null) {
            gradient = new double[dimension];
        }
        for (int i = 0; i < block.size(); i++) {
            double w = block.weight(i);
            if (w == 0 || (filter != null && !filter.keep(block.hash(i)))) {
                continue;
            }
            double p = block.label(i);
            double margin = block.delta().dot(i, weights);
            double z = margin - block.offset(i);
            lossSum += w * BradleyTerry.loss(z, p);
            if (withGradient) {
                block.delta().addTo(i, w * BradleyTerry.derivative(z, p), gradient);
            }
            if (block.sum() != null) {
                double s = block.sum().dot(i, weights);
                lossSum += w * center * s * s;
                if (withGradient) {
                    block.sum().addTo(i, w * 2 * center * s, gradient);
                }
            }
            weightSum += w;
            count++;
            if (BradleyTerry.decided(p)) {
                decidedWeight += w;
                if (BradleyTerry.correct(margin, p)) {
                    correctWeight += w;
                }
            }
        }
        return this;
    }

    public PairLossAggregate merge(PairLossAggregate other) {
        gradient = Vectors.addInto(gradient, other.gradient);
        lossSum += other.lossSum;
        weightSum += other.weightSum;
        correctWeight += other.correctWeight;
        decidedWeight += other.decidedWeight;
        count += other.count;
        return this;
    }

    /** Σ w·ℓ / Σ w (data loss, without the L2 term). */
    public double meanLoss() {
        return lossSum / weightSum;
    }

    public double weightSum() {
        return weightSum;
    }

    public long count() {
        return count;
    }

    /** Σ w·∇ℓ (unnormalised), null when the gradient was not asked for or no row was added. */
    public double[] gradientSum() {
        return gradient;
    }

    /** Weighted share of decided pairs (label ≠ ½) whose margin has the label's sign. */
    public double accuracy() {
        return decidedWeight > 0 ? correctWeight / decidedWeight : Double.NaN;
    }
}
