package io.alignloss.lm;

import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;

/**
 * What one pass over sequence blocks adds up: the weighted NLL {@code Σ w·(−log Pr)}, the weighted and plain
 * counts of scored positions, the rows, and the gradient of the weighted NLL: a sparse vector (sorted indices,
 * values), so only the parameters the rows touched travel through the aggregation tree, or a dense one once
 * more than half the entries are non-zero (a full pass over a large partition touches most of θ, and 12 bytes
 * per sparse entry would cost more than 8 per dense one).
 * <p>
 * As a {@link LossAggregator} (weight Σ w·tokens, loss sum the weighted NLL) it is created at a model: blocks are
 * {@link #add added} into a dense gradient buffer of the model's dimension and {@link #compact} keeps the non-zero
 * entries, once per partition. The model, its workspace and the buffer do not travel with the sums.
 */
public final class LmSums implements LossAggregator<SequenceBlock, LmSums> {
    private final int dimension;
    private final boolean joint;
    private final transient LanguageModel model;
    private final transient LanguageModel.Workspace work;
    private final transient MiniBatch batch;
    /** the dense gradient being added into, until {@link #compact} */
    private transient double[] buffer;
    double nll;
    double weightedTokens;
    long tokens;
    long rows;
    int[] index = new int[0];
    double[] value = new double[0];
    /** the gradient when it is dense (index and value are then unused) */
    double[] dense;

    /** Empty sums, without a model (to merge into). */
    public LmSums() {
        this(0, false);
    }

    private LmSums(int dimension, boolean joint) {
        this.dimension = dimension;
        this.joint = joint;
        this.model = null;
        this.work = null;
        this.batch = null;
    }

    /**
     * Sums at {@code model} of the positions a {@code joint} or conditional likelihood scores, over the rows
     * {@code batch} keeps (all when null), with the gradient or without.
     */
    public LmSums(LanguageModel model, boolean joint, boolean withGradient, MiniBatch batch) {
        this.dimension = model.weights().length;
        this.joint = joint;
        this.model = model;
        this.work = model.workspace();
        this.batch = batch;
        this.buffer = withGradient ? new double[dimension] : null;
    }

    /** Adds the kept rows of {@code block}: NLL += −w·log Pr(s_t | s_&lt;t) over the scored positions t. */
    @Override
    public LmSums add(SequenceBlock block) {
        if (model == null) {
            throw new IllegalStateException("Cannot add a block: the sums were not created at a model");
        }
        for (int r = 0; r < block.size(); r++) {
            double w = block.weight[r];
            if (w == 0 || (batch != null && !batch.keep(block.hash[r]))) {
                continue;
            }
            int[] sequence = block.sequence(r);
            int prompt = block.promptLength[r];
            for (int t = SequenceNll.firstScored(prompt, joint); t < sequence.length; t++) {
                int segment = t < prompt ? LanguageModel.PROMPT : LanguageModel.RESPONSE;
                nll -= w * model.logProb(sequence, t, segment, work, buffer, w);
                weightedTokens += w;
                tokens++;
            }
            rows++;
        }
        return this;
    }

    /** Moves the dense buffer's non-zero entries into the sparse (or dense) gradient that travels. */
    @Override
    public LmSums compact() {
        if (buffer != null) {
            setGradient(buffer);
            buffer = null;
        }
        return this;
    }

    @Override
    public LmSums merge(LmSums other) {
        return merge(compact(), other.compact());
    }

    /** Σ w·(scored positions). */
    @Override
    public double weightSum() {
        return weightedTokens;
    }

    /** Σ w·NLL. */
    @Override
    public double lossSum() {
        return nll;
    }

    /** The gradient of Σ w·NLL as a dense vector of the model's dimension. */
    @Override
    public double[] gradientSum() {
        return gradient(dimension);
    }

    public double nll() {
        return nll;
    }

    public double weightedTokens() {
        return weightedTokens;
    }

    /** {@code Σ w·NLL / Σ w·(scored positions)} ({@link SequenceNll#tokenNll}), NaN without a scored position. */
    public double tokenNll() {
        return SequenceNll.tokenNllOrNaN(nll, weightedTokens);
    }

    public long tokens() {
        return tokens;
    }

    public long rows() {
        return rows;
    }

    /** Non-zero gradient entries carried. */
    public int nonZeros() {
        if (dense != null) {
            int count = 0;
            for (double v : dense) {
                count += v != 0 ? 1 : 0;
            }
            return count;
        }
        return index.length;
    }

    /** Takes the non-zero entries of a dense gradient. */
    void setGradient(double[] dense) {
        int count = 0;
        for (double v : dense) {
            if (v != 0) {
                count++;
            }
        }
        if (count > dense.length / 2) {
            this.dense = dense;
            return;
        }
        index = new int[count];
        value = new double[count];
        int at = 0;
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] != 0) {
                index[at] = i;
                value[at++] = dense[i];
            }
        }
    }

    /** The gradient as a dense vector of {@code dimension}. */
    public double[] gradient(int dimension) {
        double[] result = dense != null ? dense.clone() : new double[dimension];
        addSparse(result);
        return result;
    }

    private void addSparse(double[] target) {
        for (int i = 0; i < index.length; i++) {
            target[index[i]] += value[i];
        }
    }

    /** The sum of two partial sums (a merge of their sorted sparse gradients). */
    public static LmSums merge(LmSums a, LmSums b) {
        LmSums merged = new LmSums(Math.max(a.dimension, b.dimension), a.joint);
        merged.nll = a.nll + b.nll;
        merged.weightedTokens = a.weightedTokens + b.weightedTokens;
        merged.tokens = a.tokens + b.tokens;
        merged.rows = a.rows + b.rows;
        if (a.dense != null || b.dense != null) {
            // dense + anything: add the other into (a copy of) the dense one
            LmSums base = a.dense != null ? a : b;
            LmSums other = base == a ? b : a;
            merged.dense = base.dense.clone();
            base.addSparse(merged.dense);
            other.addSparse(merged.dense);
            if (other.dense != null) {
                for (int i = 0; i < merged.dense.length; i++) {
                    merged.dense[i] += other.dense[i];
                }
            }
            return merged;
        }
        int[] index = new int[a.index.length + b.index.length];
        double[] value = new double[index.length];
        int i = 0;
        int j = 0;
        int at = 0;
        while (i < a.index.length || j < b.index.length) {
            if (j == b.index.length || (i < a.index.length && a.index[i] < b.index[j])) {
                index[at] = a.index[i];
                value[at++] = a.value[i++];
            }
            else if (i == a.index.length || b.index[j] < a.index[i]) {
                index[at] = b.index[j];
                value[at++] = b.value[j++];
            }
            else {
                index[at] = a.index[i];
                value[at++] = a.value[i++] + b.value[j++];
            }
        }
        merged.index = java.util.Arrays.copyOf(index, at);
        merged.value = java.util.Arrays.copyOf(value, at);
        return merged;
    }
}
