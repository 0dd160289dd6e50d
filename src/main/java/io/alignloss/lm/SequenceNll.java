package io.alignloss.lm;

import java.util.OptionalDouble;

/**
 * The sequence negative log-likelihood, written once in plain Java: the language model's training sums
 * ({@link LmSums}, {@link LmLoss}), its scoring ({@link LanguageModel#score}, {@link SelfTargets}), the trainers and
 * the objectives' Spark {@code Column} forms ({@code objective.sequence.SequenceNllColumns}) all use it. It lives in
 * {@code lm}, the lowest package that computes it, so that both {@code lm} and {@code objective} reach it.
 *
 * <p>For a prompt x (log-probabilities {@code a_t = log Pr(x_t | x_<t)}) and a response y with END
 * ({@code b_t = log Pr(y_t | x, y_<t)}, |y| + 1 values):
 * <pre>
 *   conditional NLL = −Σ_t b_t                      = −log Pr(y ++ END | x)   (prompt masked)
 *   joint NLL       = −(Σ_t a_t + Σ_t b_t)          = −log Pr(x ++ y ++ END)
 *   prompt term     = joint − conditional = −Σ_t a_t
 *   scored positions T = |y| + 1 (conditional), |x| + |y| + 1 (joint)
 *   token NLL       = Σ_rows w·NLL / Σ_rows w·T      (a ratio of totals over the whole input, never a mean of means)
 *   sequence NLL    = Σ_rows w·NLL / Σ_rows w
 *   perplexity      = exp(token NLL)
 *   bits per byte   = Σ_rows w·NLL / (Σ_rows w·B · ln 2)
 *   byte perplexity = exp(Σ_rows w·NLL / Σ_rows w·B),   word perplexity = exp(Σ_rows w·NLL / Σ_rows w·W)
 * </pre>
 * with B the UTF-8 bytes and W the whitespace-separated words ({@code text.TextUnits}) of the scored text: the
 * response (conditional) or the prompt and the response (joint, the prompt counted whole, no separator). Bytes and
 * words do not depend on the tokenizer, so two models with different tokenizers compare on them.
 * An unscored prompt token (a null log-probability logged for the first prompt token) counts 0 in the sum and is
 * not a scored position. The self-target loss {@code −log Pr(ŷ ++ END | c′, z)} is the conditional NLL of the fixed
 * target ŷ under the prompt (c′, z), over |ŷ| + 1 positions.
 */
public final class SequenceNll {
    /** Positions a response adds beyond its tokens: END. */
    public static final int END_POSITIONS = 1;

    private SequenceNll() {
    }

    /** The first scored position of a sequence x ++ y ++ END: 0 (joint) or |x| (conditional, the prompt masked). */
    public static int firstScored(int promptLength, boolean joint) {
        return joint ? 0 : promptLength;
    }

    /** Scored positions of a sequence of {@code length} = |x| + |y| + 1 tokens: all (joint) or |y| + 1 (conditional). */
    public static int positions(int length, int promptLength, boolean joint) {
        return length - firstScored(promptLength, joint);
    }

    /** Scored positions of a response of {@code responseTokens} tokens: its tokens and END. */
    public static int responsePositions(int responseTokens) {
        return responseTokens + END_POSITIONS;
    }

    /** {@code −Σ_t b_t}, the conditional NLL of one response's token log-probabilities (END's included). */
    public static double conditional(double[] responseLogprobs) {
        return -sum(responseLogprobs);
    }

    /** {@code −(Σ_t a_t + Σ_t b_t)}, the joint NLL of one sequence. */
    public static double joint(double[] promptLogprobs, double[] responseLogprobs) {
        return -(sum(promptLogprobs) + sum(responseLogprobs));
    }

    /** The NLL of the {@code joint} or conditional mode. */
    public static double nll(double[] promptLogprobs, double[] responseLogprobs, boolean joint) {
        return joint ? joint(promptLogprobs, responseLogprobs) : conditional(responseLogprobs);
    }

    /** {@code Σ_t v_t}, left to right (the order the Column form adds in). */
    public static double sum(double[] logprobs) {
        double total = 0.0;
        for (double v : logprobs) {
            total += v;
        }
        return total;
    }

    /** {@code Σ w·NLL / Σ w·T}; empty when no scored position has weight. */
    public static OptionalDouble tokenNll(double weightedNll, double weightedPositions) {
        return ratio(weightedNll, weightedPositions);
    }

    /** {@code Σ w·NLL / Σ w}; empty when the weights sum to 0. */
    public static OptionalDouble sequenceNll(double weightedNll, double weightSum) {
        return ratio(weightedNll, weightSum);
    }

    /** {@link #tokenNll}, NaN when empty (for the training figures and logs). */
    public static double tokenNllOrNaN(double weightedNll, double weightedPositions) {
        return tokenNll(weightedNll, weightedPositions).orElse(Double.NaN);
    }

    /** {@code exp(token NLL)}. */
    public static double perplexity(double tokenNll) {
        return Math.exp(tokenNll);
    }

    /** {@code Σ w·NLL / (Σ w·B · ln 2)}: nats per byte in bits; empty when no byte has weight. */
    public static OptionalDouble bitsPerByte(double weightedNll, double weightedBytes) {
        OptionalDouble natsPerByte = ratio(weightedNll, weightedBytes);
        return natsPerByte.isPresent() ? OptionalDouble.of(natsPerByte.getAsDouble() / Math.log(2)) : natsPerByte;
    }

    /** {@code exp(Σ w·NLL / Σ w·B)}; empty when no byte has weight. */
    public static OptionalDouble bytePerplexity(double weightedNll, double weightedBytes) {
        return exp(ratio(weightedNll, weightedBytes));
    }

    /** {@code exp(Σ w·NLL / Σ w·W)}; empty when no word has weight. */
    public static OptionalDouble wordPerplexity(double weightedNll, double weightedWords) {
        return exp(ratio(weightedNll, weightedWords));
    }

    private static OptionalDouble exp(OptionalDouble value) {
        return value.isPresent() ? OptionalDouble.of(Math.exp(value.getAsDouble())) : value;
    }

    private static OptionalDouble ratio(double numerator, double denominator) {
        return denominator > 0 ? OptionalDouble.of(numerator / denominator) : OptionalDouble.empty();
    }
}
