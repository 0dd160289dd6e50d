package io.alignloss.objective.expectedutility;

import io.alignloss.model.PolicyBlock;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.Vectors;

/**
 * Running sums of the negative expected utility of a linear softmax policy over candidate sets, and of its
 * gradient (division by the weight sum only when read). Per prompt x with candidates y_j, scores
 * {@code s_j = θ·f_j}, {@code π_j = exp(s_j − logsumexp(s))}, entropy coefficient β ({@link CandidateExpectation}
 * gives E_π[U] and H(π)):
 * <pre>
 *   ℓ_x  = −Σ_j π_j·U_j − β·H(π),            H(π) = −Σ_j π_j·log π_j   (a bonus: β > 0 favours spread-out policies)
 *   ∇ℓ_x = Σ_j π_j·[−(U_j − E_π[U]) + β·(log π_j + H)]·f_j
 * </pre>
 * since {@code ∂E_π[U]/∂s_j = π_j(U_j − E_π[U])} and {@code ∂H/∂s_j = −π_j(log π_j + H)}. As a
 * {@link LossAggregator} it is bound to θ, the pass kind and the mini-batch at creation (none travels with the sums);
 * {@link CandidateSetSums} walks the sets.
 */
public final class PolicyLossAggregate extends CandidateSetSums<PolicyLossAggregate> {
    private final double entropy;
    private double[] gradient;
    private double lossSum;
    private double utilitySum;
    private double entropySum;
    private double weightSum;
    private long count;

    /** Sums to which blocks are added with {@link #add(PolicyBlock, double[], boolean, MiniBatch)}. */
    public PolicyLossAggregate(int dimension, double entropy) {
        this(dimension, entropy, null, false, null);
    }

    /** Sums at θ to which {@link #add(PolicyBlock)} adds the sets {@code batch} keeps (all when it is null). */
    public PolicyLossAggregate(int dimension, double entropy, double[] theta, boolean withGradient, MiniBatch batch) {
        super(dimension, theta, withGradient, batch);
        this.entropy = entropy;
    }

    @Override
    String kind() {
        return "policy";
    }

    @Override
    void startGradient() {
        if (gradient == null) {
            gradient = new double[dimension];
        }
    }

    @Override
    void addSet(PolicyBlock block, int start, int m, double w, double[] logP, boolean withGradient) {
        double[] utility = block.utilities();
        double expected = CandidateExpectation.expectation(logP, utility, start, m);
        double h = CandidateExpectation.entropy(logP, m);
        lossSum += w * (-expected - entropy * h);
        utilitySum += w * expected;
        entropySum += w * h;
        weightSum += w;
        count++;
        if (withGradient) {
            for (int j = 0; j < m; j++) {
                double p = Math.exp(logP[j]);
                // ∂ℓ_x/∂s_j = π_j·[−(U_j − E_π[U]) + β·(log π_j + H)]
                double coefficient = p * (-(utility[start + j] - expected) + entropy * (logP[j] + h));
                if (coefficient != 0) {
                    block.features().addTo(start + j, w * coefficient, gradient);
                }
            }
        }
    }

    @Override
    public PolicyLossAggregate merge(PolicyLossAggregate other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("Cannot merge policy sums of dimension " + other.dimension + " into " + dimension);
        }
        gradient = Vectors.addInto(gradient, other.gradient);
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

    @Override
    public double weightSum() {
        return weightSum;
    }

    /** Σ_x w_x·ℓ_x. */
    @Override
    public double lossSum() {
        return lossSum;
    }

    /** Number of candidate sets added. */
    public long count() {
        return count;
    }

    /** Σ w·∇ℓ (unnormalised), a new array; zeros when no set was added with the gradient. */
    @Override
    public double[] gradientSum() {
        return gradient != null ? gradient.clone() : new double[dimension];
    }
}
