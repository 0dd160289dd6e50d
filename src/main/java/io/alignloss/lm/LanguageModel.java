package io.alignloss.lm;

import io.alignloss.text.Tokens;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

import static java.lang.String.format;

/**
 * A log-linear n-gram language model over the whole cl100k_base vocabulary (plus END), with a class-factored
 * softmax ({@link Vocabulary}). For the position predicting token w after history s_{<t}:
 * <pre>
 *   h = Σ_k E[bucket_k(s_{t−k..t−1}, segment)]                     hashed context, k = 0 (bias) .. n−1
 *   Pr(c | h) = softmax_c(A_c·h + a_c),  Pr(w | c, h) = softmax_{w∈c}(B_w·h + b_w)
 *   log Pr(w | h) = log Pr(c(w) | h) + log Pr(w | c(w), h)      (rare ids: log Pr(rare | h) − log #rare)
 * </pre>
 * The parameters θ form one tower [E, A|a, B|b], or two (response, prompt) when prompt positions have their own
 * ({@link LmShape#separatePrompt()}). A sequence is the prompt x, then the response y, then END; prompt
 * positions are segment 0, response positions (and END) segment 1.
 */
public final class LanguageModel implements Serializable {
    public static final int PROMPT = 0;
    public static final int RESPONSE = 1;
    /** History value before the first token. */
    private static final int BEGIN = -1;

    private final LmShape shape;
    private final Vocabulary vocabulary;
    private final double[] weights;
    private transient int[] positions;
    private transient int[] classOfKept;

    public LanguageModel(LmShape shape, Vocabulary vocabulary, double[] weights) {
        this.shape = shape;
        this.vocabulary = vocabulary;
        this.weights = weights;
        if (weights.length != size(shape, vocabulary)) {
            throw new IllegalArgumentException(format("Invalid language model: %d weights, the shape %s with %s needs %d",
                    weights.length, shape, vocabulary, size(shape, vocabulary)));
        }
    }

    /** Number of parameters of a model with this shape and vocabulary. */
    public static int size(LmShape shape, Vocabulary vocabulary) {
        long tower = towerSize(shape, vocabulary);
        long total = shape.separatePrompt() ? 2 * tower : tower;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(format("Language model too large: %d parameters (lower bits or dimension)", total));
        }
        return (int) total;
    }

    private static long towerSize(LmShape shape, Vocabulary vocabulary) {
        int row = shape.dimension() + 1;
        return (long) shape.buckets() * shape.dimension() + (long) vocabulary.outputClasses() * row + (long) vocabulary.keptCount() * row;
    }

    /**
     * The starting point: small seeded random context and output vectors, and output biases at the smoothed
     * unigram distribution of {@code counts} (counts by id; the rare class gets the rare ids' count, at least 1),
     * so training starts from a unigram model.
     */
    public static LanguageModel initial(LmShape shape, Vocabulary vocabulary, java.util.Map<Integer, Long> counts, long seed) {
        double[] weights = new double[size(shape, vocabulary)];
        LanguageModel model = new LanguageModel(shape, vocabulary, weights);
        SplittableRandom random = new SplittableRandom(seed);
        int d = shape.dimension();
        double contextScale = 0.1 / Math.sqrt(shape.features());
        double outputScale = 0.01;
        int towers = shape.separatePrompt() ? 2 : 1;
        double rare = 0;
        for (java.util.Map.Entry<Integer, Long> entry : counts.entrySet()) {
            if (model.positions()[entry.getKey()] < 0) {
                rare += entry.getValue();
            }
        }
        rare = Math.max(rare, 1);
        for (int tower = 0; tower < towers; tower++) {
            int base = tower * (int) towerSize(shape, vocabulary);
            for (int i = 0; i < shape.buckets() * d; i++) {
                weights[base + i] = contextScale * random.nextGaussian();
            }
            for (int c = 0; c <= vocabulary.classes(); c++) {
                int row = model.classRow(tower, c);
                for (int j = 0; j < d; j++) {
                    weights[row + j] = outputScale * random.nextGaussian();
                }
                double count = rare;
                if (c < vocabulary.classes()) {
                    count = 0;
                    for (int k = vocabulary.classStart()[c]; k < vocabulary.classStart()[c + 1]; k++) {
                        count += counts.get(vocabulary.kept()[k]);
                    }
                }
                weights[row + d] = Math.log(count);
            }
            for (int k = 0; k < vocabulary.keptCount(); k++) {
                int row = model.wordRow(tower, k);
                for (int j = 0; j < d; j++) {
                    weights[row + j] = outputScale * random.nextGaussian();
                }
                weights[row + d] = Math.log(counts.get(vocabulary.kept()[k]));
            }
        }
        return model;
    }

    public LmShape shape() {
        return shape;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** θ (shared, not copied). */
    public double[] weights() {
        return weights;
    }

    public LanguageModel withWeights(double[] newWeights) {
        return new LanguageModel(shape, vocabulary, newWeights);
    }

    int[] positions() {
        if (positions == null) {
            positions = vocabulary.positions();
        }
        return positions;
    }

    private int[] classOfKept() {
        if (classOfKept == null) {
            classOfKept = vocabulary.classOfKept();
        }
        return classOfKept;
    }

    private int tower(int segment) {
        return shape.separatePrompt() && segment == PROMPT ? 1 : 0;
    }

    private int towerBase(int tower) {
        return tower * (int) towerSize(shape, vocabulary);
    }

    private int bucketRow(int tower, int bucket) {
        return towerBase(tower) + bucket * shape.dimension();
    }

    int classRow(int tower, int c) {
        return towerBase(tower) + shape.buckets() * shape.dimension() + c * (shape.dimension() + 1);
    }

    int wordRow(int tower, int k) {
        return towerBase(tower) + shape.buckets() * shape.dimension() + vocabulary.outputClasses() * (shape.dimension() + 1)
                + k * (shape.dimension() + 1);
    }

    /** Scratch arrays for one thread. */
    public Workspace workspace() {
        int largest = 0;
        for (int c = 0; c < vocabulary.classes(); c++) {
            largest = Math.max(largest, vocabulary.classStart()[c + 1] - vocabulary.classStart()[c]);
        }
        return new Workspace(shape.dimension(), shape.features(), vocabulary.outputClasses(), largest);
    }

    /** Per-thread scratch: the context vector, its buckets, logits and their gradients. */
    public static final class Workspace {
        final double[] h;
        final double[] dh;
        final int[] rows;
        final double[] classLogits;
        final double[] wordLogits;
        /** softmax of the logits, kept from the forward pass for the backward one */
        final double[] classProbs;
        final double[] wordProbs;

        Workspace(int dimension, int features, int classes, int largestClass) {
            h = new double[dimension];
            dh = new double[dimension];
            rows = new int[features];
            classLogits = new double[classes];
            wordLogits = new double[largestClass];
            classProbs = new double[classes];
            wordProbs = new double[largestClass];
        }
    }

    // bucket_k = hash(k, s_{t−k..t−1}[, segment for the bias]) → [0, 2^bits)
    private int bucket(int k, int[] sequence, int t, int segment) {
        long hash = 0x6c616e67L + k * 0x9E3779B97F4A7C15L;
        if (k == 0) {
            hash += shape.separatePrompt() ? 0 : segment + 1;
        }
        for (int i = t - k; i < t; i++) {
            hash = (hash ^ (i < 0 ? BEGIN : sequence[i])) * 0xBF58476D1CE4E5B9L;
            hash ^= hash >>> 31;
        }
        hash = (hash ^ (hash >>> 30)) * 0xBF58476D1CE4E5B9L;
        hash = (hash ^ (hash >>> 27)) * 0x94D049BB133111EBL;
        hash ^= hash >>> 31;
        return (int) (hash >>> (64 - shape.bits()));
    }

    // h = Σ_k E[bucket_k]
    private void context(int[] sequence, int t, int segment, Workspace work) {
        int d = shape.dimension();
        int tower = tower(segment);
        Arrays.fill(work.h, 0);
        for (int k = 0; k < shape.features(); k++) {
            int row = bucketRow(tower, bucket(k, sequence, t, segment));
            work.rows[k] = row;
            for (int j = 0; j < d; j++) {
                work.h[j] += weights[row + j];
            }
        }
    }

    // logit = W_row·h + bias (four partial sums, so the loop is not bound by the latency of one add chain)
    private double logit(int row, double[] h) {
        int d = h.length;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            s0 += weights[row + j] * h[j];
            s1 += weights[row + j + 1] * h[j + 1];
            s2 += weights[row + j + 2] * h[j + 2];
            s3 += weights[row + j + 3] * h[j + 3];
        }
        for (; j < d; j++) {
            s0 += weights[row + j] * h[j];
        }
        return weights[row + d] + ((s0 + s1) + (s2 + s3));
    }

    // log Σ exp(v_i) over v[0..n), stably, leaving softmax(v) in probs
    static double logSumExp(double[] v, int n, double[] probs) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            probs[i] = Math.exp(v[i] - max);
            sum += probs[i];
        }
        for (int i = 0; i < n; i++) {
            probs[i] /= sum;
        }
        return max + Math.log(sum);
    }

    // log Σ exp(v_i) over v[0..n), stably
    static double logSumExp(double[] v, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(v[i] - max);
        }
        return max + Math.log(sum);
    }

    // class logits A_c·h + a_c into work.classLogits (softmax into work.classProbs when asked); returns log Σ_c exp(logit)
    private double classScores(int[] sequence, int t, int segment, Workspace work, boolean probabilities) {
        int tower = tower(segment);
        context(sequence, t, segment, work);
        int classes = vocabulary.outputClasses();
        for (int c = 0; c < classes; c++) {
            work.classLogits[c] = logit(classRow(tower, c), work.h);
        }
        return probabilities ? logSumExp(work.classLogits, classes, work.classProbs) : logSumExp(work.classLogits, classes);
    }

    // word logits B_w·h + b_w of class c's members into work.wordLogits (softmax into work.wordProbs when asked); returns log Σ exp
    private double wordScores(int tower, int c, Workspace work, boolean probabilities) {
        int first = vocabulary.classStart()[c];
        int members = vocabulary.classStart()[c + 1] - first;
        for (int i = 0; i < members; i++) {
            work.wordLogits[i] = logit(wordRow(tower, first + i), work.h);
        }
        return probabilities ? logSumExp(work.wordLogits, members, work.wordProbs) : logSumExp(work.wordLogits, members);
    }

    /**
     * log Pr(sequence[t] | sequence[<t]) at a position of {@code segment}; when {@code gradient} is given, adds
     * {@code −weight·∇_θ log Pr} to it (the gradient of weight × the NLL).
     */
    public double logProb(int[] sequence, int t, int segment, Workspace work, double[] gradient, double weight) {
        int tower = tower(segment);
        boolean backward = gradient != null && weight != 0;
        double classNormaliser = classScores(sequence, t, segment, work, backward);
        int target = sequence[t];
        int k = positions()[target];
        int c = k < 0 ? vocabulary.classes() : classOfKept()[k];
        // log Pr(c | h)
        double logProb = work.classLogits[c] - classNormaliser;
        int first = 0;
        int members = 0;
        if (k >= 0) {
            first = vocabulary.classStart()[c];
            members = vocabulary.classStart()[c + 1] - first;
            // + log Pr(w | c, h)
            double wordNormaliser = wordScores(tower, c, work, backward);
            logProb += work.wordLogits[k - first] - wordNormaliser;
        }
        else {
            // + log (1 / #rare)
            logProb -= Math.log(vocabulary.rareCount());
        }
        if (backward) {
            accumulate(tower, c, k, first, members, work, gradient, weight);
        }
        return logProb;
    }

    // ∂(−w·log Pr)/∂logit = w·(softmax − onehot); ∂/∂W_row = that·h, ∂/∂bias = that; ∂/∂h = Σ that·W_row; ∂/∂E[bucket] = ∂/∂h
    private void accumulate(int tower, int c, int k, int first, int members, Workspace work, double[] gradient, double weight) {
        int d = shape.dimension();
        double[] h = work.h;
        double[] dh = work.dh;
        Arrays.fill(dh, 0);
        for (int i = 0; i < vocabulary.outputClasses(); i++) {
            double delta = weight * (work.classProbs[i] - (i == c ? 1 : 0));
            addRow(classRow(tower, i), delta, h, dh, gradient);
        }
        if (k >= 0) {
            for (int i = 0; i < members; i++) {
                double delta = weight * (work.wordProbs[i] - (first + i == k ? 1 : 0));
                addRow(wordRow(tower, first + i), delta, h, dh, gradient);
            }
        }
        for (int f = 0; f < shape.features(); f++) {
            int row = work.rows[f];
            for (int j = 0; j < d; j++) {
                gradient[row + j] += dh[j];
            }
        }
    }

    private void addRow(int row, double delta, double[] h, double[] dh, double[] gradient) {
        int d = h.length;
        for (int j = 0; j < d; j++) {
            gradient[row + j] += delta * h[j];
            dh[j] += delta * weights[row + j];
        }
        gradient[row + d] += delta;
    }

    /**
     * log Pr(w | history) for every id w of {@link Tokens#OUTCOMES}, where the next position is of {@code segment}
     * (the exact distribution the losses use; for tests and inspection).
     */
    public double[] logDistribution(int[] history, int segment) {
        Workspace work = workspace();
        int[] sequence = Arrays.copyOf(history, history.length + 1);
        int tower = tower(segment);
        double classNormaliser = classScores(sequence, history.length, segment, work, false);
        double[] result = new double[Tokens.OUTCOMES];
        Arrays.fill(result, work.classLogits[vocabulary.classes()] - classNormaliser - Math.log(vocabulary.rareCount()));
        for (int c = 0; c < vocabulary.classes(); c++) {
            int first = vocabulary.classStart()[c];
            int members = vocabulary.classStart()[c + 1] - first;
            double wordNormaliser = wordScores(tower, c, work, false);
            for (int i = 0; i < members; i++) {
                result[vocabulary.kept()[first + i]] = work.classLogits[c] - classNormaliser + work.wordLogits[i] - wordNormaliser;
            }
        }
        return result;
    }

    /**
     * The most probable next id after {@code sequence[0..t)} at a position of {@code segment}, and its log
     * probability; a rare id wins only when every kept token is less probable than one rare id (then the
     * smallest rare id).
     */
    public Next argmax(int[] sequence, int t, int segment, Workspace work) {
        int tower = tower(segment);
        double classNormaliser = classScores(sequence, t, segment, work, false);
        double best = Double.NEGATIVE_INFINITY;
        int bestId = -1;
        double entropy = 0;
        for (int c = 0; c < vocabulary.classes(); c++) {
            int first = vocabulary.classStart()[c];
            int members = vocabulary.classStart()[c + 1] - first;
            double wordNormaliser = wordScores(tower, c, work, false);
            double logClass = work.classLogits[c] - classNormaliser;
            for (int i = 0; i < members; i++) {
                double logProb = logClass + work.wordLogits[i] - wordNormaliser;
                // H = −Σ_w Pr(w) log Pr(w)
                entropy -= Math.exp(logProb) * logProb;
                if (logProb > best) {
                    best = logProb;
                    bestId = vocabulary.kept()[first + i];
                }
            }
        }
        double logRare = work.classLogits[vocabulary.classes()] - classNormaliser;
        double perRareId = logRare - Math.log(vocabulary.rareCount());
        entropy -= Math.exp(logRare) * perRareId;
        if (perRareId > best) {
            int[] positions = positions();
            for (int id = 0; id < Tokens.OUTCOMES; id++) {
                if (positions[id] < 0) {
                    return new Next(id, perRareId, entropy);
                }
            }
        }
        return new Next(bestId, best, entropy);
    }

    /** The argmax id at a position, its log probability and the entropy of the whole next-id distribution (nats). */
    public record Next(int id, double logProb, double entropy) {
    }

    /** The sequence x ++ y ++ END of a prompt and a response. */
    public static int[] sequence(int[] prompt, int[] response) {
        int[] sequence = Arrays.copyOf(prompt, prompt.length + response.length + 1);
        System.arraycopy(response, 0, sequence, prompt.length, response.length);
        sequence[sequence.length - 1] = Tokens.END;
        return sequence;
    }

    /**
     * log Pr(x_t | x_{<t}) for each prompt token (the first conditioned on the start of the sequence), and
     * log Pr(y_t | x, y_{<t}) for each response token followed by END: {@code |x|} and {@code |y| + 1} values.
     */
    public Scored score(int[] prompt, int[] response, Workspace work) {
        int[] sequence = sequence(prompt, response);
        double[] promptLogProbs = new double[prompt.length];
        for (int t = 0; t < prompt.length; t++) {
            promptLogProbs[t] = logProb(sequence, t, PROMPT, work, null, 0);
        }
        double[] responseLogProbs = new double[SequenceNll.responsePositions(response.length)];
        for (int t = prompt.length; t < sequence.length; t++) {
            responseLogProbs[t - prompt.length] = logProb(sequence, t, RESPONSE, work, null, 0);
        }
        return new Scored(promptLogProbs, responseLogProbs);
    }

    /** log Pr(y ++ END | x) = Σ_t log Pr(y_t | x, y_<t) + log Pr(END | x, y), without scoring the prompt's own tokens. */
    public double responseLogProb(int[] prompt, int[] response, Workspace work) {
        int[] sequence = sequence(prompt, response);
        double sum = 0;
        for (int t = prompt.length; t < sequence.length; t++) {
            sum += logProb(sequence, t, RESPONSE, work, null, 0);
        }
        return sum;
    }

    /** Token log-probabilities of a prompt and of its response (with END). */
    public record Scored(double[] prompt, double[] response) {
        public double promptSum() {
            return Arrays.stream(prompt).sum();
        }
    }

    /**
     * The greedy decode {@code ŷ_t = argmax_w Pr(w | x, ŷ_{<t})} until END or {@code maxTokens} tokens, with the mean
     * entropy of the next-token distributions along the way.
     */
    public Decoded greedy(int[] prompt, int maxTokens, Workspace work) {
        int[] sequence = Arrays.copyOf(prompt, prompt.length + maxTokens + 1);
        int length = 0;
        double entropy = 0;
        int steps = 0;
        while (length < maxTokens) {
            Next next = argmax(sequence, prompt.length + length, RESPONSE, work);
            entropy += next.entropy();
            steps++;
            if (next.id() == Tokens.END) {
                break;
            }
            sequence[prompt.length + length] = next.id();
            length++;
        }
        return new Decoded(Arrays.copyOfRange(sequence, prompt.length, prompt.length + length), steps == 0 ? 0 : entropy / steps);
    }

    /** A decoded response (without END) and the mean entropy of its steps. */
    public record Decoded(int[] tokens, double meanEntropy) {
    }
}
