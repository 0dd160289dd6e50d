package io.alignloss.model;

import java.io.Serializable;

/**
 * Running sums of the negative expected utility of a linear softmax policy over candidate sets, and of its
 * gradient (division by the weight sum only when read). Per prompt x with candidates y_j, scores
 * {@code s_j = θ·f_j}, {@code π_j = exp(s_j − logsumexp(s))}, entropy coefficient β:
 * <pre>
 *   ℓ_x  = −Σ_j π_j·U_j − β·H(π),            H(π) = −Σ_j π_j·log π_j   (a bonus: β > 0 favours spread-out policies)
 *   ∇ℓ_x = Σ_j π_j·[−(U_j − E_π[U]) + β·(log π_j + H)]·f_j
 * </pre>
 * since {@code ∂E_π[U]/∂s_j = π_j(U_j − E_π[U])} and {@code ∂H/∂s_j = −π_j(log π_j + H)}.
 */
public final class PolicyLossAggregate implements Serializable {
    private final int dimension;
    private final double entropy;
    private double[] gradient;
    private double lossSum;
    private double utilitySum;
    private double entropySum;
    private double weightSum;
    private long count;

    public PolicyLossAggregate(int dimension, double entropy) {
        this.dimension = dimension;
        this.entropy = entropy;
    }

    /** Adds the sets of a block for which {@code filter} keeps the hash (all when it is null). */
    public PolicyLossAggregate add(PolicyBlock block, double[] theta, boolean withGradient, PairLossAggregate.RowFilter filter) {
        if (withGradient && gradient == null) {
            gradient = new double[dimension];
        }
        double[] scores = new double[0];
        for (int s = 0; s < block.size(); s++) {
            double w = block.weight[s];
            if (w == 0 || (filter != null && !filter.keep(block.hash[s]))) {
                continue;
            }
            int start = block.starts[s];
            int m = block.starts[s + 1] - start;
            if (scores.length < m) {
                scores = new double[Math.max(m, 2 * scores.length)];
            }
            // log π_j = s_j − logsumexp(s)
            double logZ = block.scores(s, theta, scores);
            double expected = 0;
            double h = 0;
            for (int j = 0; j < m; j++) {
                double logP = scores[j] - logZ;
                double p = Math.exp(logP);
                expected += p * block.utility[start + j];
                h -= p * logP;
                scores[j] = logP;  // keep log π_j for the gradient
            }
            lossSum += w * (-expected - entropy * h);
            utilitySum += w * expected;
            entropySum += w * h;
            weightSum += w;
            count++;
            if (withGradient) {
                for (int j = 0; j < m; j++) {
                    double logP = scores[j];
                    double p = Math.exp(logP);
                    double coefficient = p * (-(block.utility[start + j] - expected) + entropy * (logP + h));
                    if (coefficient != 0) {
                        block.features.addTo(start + j, w * coefficient, gradient);
                    }
                }
            }
        }
        return this;
    }

    public PolicyLossAggregate merge(PolicyLossAggregate other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("Cannot merge policy sums of dimension " + other.dimension + " into " + dimension);
        }
        if (other.gradient != null) {
            if (gradient == null) {
                gradient = other.gradient.clone();
            }
            else {
                for (int j = 0; j < dimension; j++) {
                    gradient[j] += other.gradient[j];
                }
            }
        }
        lossSum += other.lossSum;
        utilitySum += other.utilitySum;
        entropySum += other.entropySum;
        weightSum += other.weightSum;
        count += other.count;
        return this;
    }

    /** Σ_x w_x·ℓ_x / Σ_x w_x (data loss with the entropy bonus, without L2). */
    public double meanLoss() {
        return lossSum / weightSum;
    }

    /** E_x E_π[U] = Σ_x w_x Σ_j π_j·U_j / Σ_x w_x. */
    public double meanUtility() {
        return weightSum > 0 ? utilitySum / weightSum : Double.NaN;
    }

    /** Σ_x w_x·H(π(·|x)) / Σ_x w_x. */
    public double meanEntropy() {
        return weightSum > 0 ? entropySum / weightSum : Double.NaN;
    }

    public double weightSum() {
        return weightSum;
    }

    /** Number of candidate sets added. */
    public long count() {
        return count;
    }

    /** Σ w·∇ℓ (unnormalised); null when the gradient was not asked for. */
    public double[] gradientSum() {
        return gradient;
    }
}
