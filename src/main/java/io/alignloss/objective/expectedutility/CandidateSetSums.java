package io.alignloss.objective.expectedutility;

import io.alignloss.model.PolicyBlock;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;

/**
 * Running sums over the candidate sets of policy blocks, the pass shared by the exact policy loss
 * ({@link PolicyLossAggregate}) and the logged one ({@link LoggedPolicyLoss}): for each set x of a block with weight
 * {@code w_x ≠ 0} that the mini-batch keeps (all when it is null), and that the sums {@link #counts count}, the
 * policy's log-probabilities over its m candidates,
 * <pre>
 *   log π_θ(y_j|x) = s_j − logsumexp(s),     s_j = θ·f(x, y_j)      ({@link CandidateExpectation#logProbabilities})
 * </pre>
 * go to {@link #addSet}. The sums are bound to θ, the pass kind and the mini-batch at creation; none travels with them.
 *
 * @param <A> the sums themselves
 */
abstract class CandidateSetSums<A extends CandidateSetSums<A>> implements LossAggregator<PolicyBlock, A> {
    final int dimension;
    private final transient double[] theta;
    private final transient boolean withGradient;
    private final transient MiniBatch batch;

    /** Sums at θ to which {@link #add(PolicyBlock)} adds the sets {@code batch} keeps; θ null for sums added to explicitly. */
    CandidateSetSums(int dimension, double[] theta, boolean withGradient, MiniBatch batch) {
        this.dimension = dimension;
        this.theta = theta;
        this.withGradient = withGradient;
        this.batch = batch;
    }

    @Override
    public final A add(PolicyBlock block) {
        if (theta == null) {
            throw new IllegalStateException("Cannot add a block: the " + kind() + " sums were not created at a θ");
        }
        return add(block, theta, withGradient, batch);
    }

    /** Adds the sets of a block whose hash {@code batch} keeps (all when it is null), at θ. */
    public final A add(PolicyBlock block, double[] theta, boolean withGradient, MiniBatch batch) {
        if (withGradient) {
            startGradient();
        }
        double[] logP = new double[0];
        for (int s = 0; s < block.size(); s++) {
            double w = block.weight(s);
            if (w == 0 || (batch != null && !batch.keep(block.hash(s)))) {
                continue;
            }
            int start = block.start(s);
            int m = block.candidates(s);
            if (!counts(block, start, m)) {
                continue;
            }
            if (logP.length < m) {
                logP = new double[Math.max(m, 2 * logP.length)];
            }
            CandidateExpectation.logProbabilities(logP, block.scores(s, theta, logP), m);
            addSet(block, start, m, w, logP, withGradient);
        }
        @SuppressWarnings("unchecked")
        A self = (A) this;
        return self;
    }

    /** What the sums are of, for messages ("policy", "logged-policy"). */
    abstract String kind();

    /** Allocates the gradient sums if this is the first pass that adds them. */
    abstract void startGradient();

    /** Whether the set of candidates {@code start .. start + m − 1} enters the sums (all by default). */
    boolean counts(PolicyBlock block, int start, int m) {
        return true;
    }

    /**
     * Adds one set of weight {@code w}: its candidates are {@code start .. start + m − 1}, {@code logP[0 .. m − 1]} their
     * log-probabilities under π_θ.
     */
    abstract void addSet(PolicyBlock block, int start, int m, double w, double[] logP, boolean withGradient);
}
