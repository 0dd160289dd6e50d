package io.alignloss.lm;

import io.alignloss.text.Tokens;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Model-generated targets (context distillation, self-training): for context c, modified context c′ and
 * conditioning z, the target is the model's own best output {@code ŷ = argmax_y log Pr(y | c, z)} — the best of
 * the given candidates, else the greedy decode — and the loss is {@code −log Pr(ŷ | c′, z)} with ŷ held fixed.
 * The model reads (c, z) as the prompt {@code z + "\n\n" + c} (just c without z).
 */
public final class SelfTargets {
    public static final int DEFAULT_MAX_TARGET_TOKENS = 64;

    private SelfTargets() {
    }

    /** The prompt text the model conditions on: z, a blank line, then the context. */
    public static String prompt(String context, String z) {
        return z == null || z.isEmpty() ? context : z + "\n\n" + context;
    }

    /**
     * A row's target and its scores.
     *
     * @param tokens          ŷ's tokens (without END)
     * @param text            ŷ decoded
     * @param modifiedLogProb log Pr(ŷ ++ END | c′, z)
     * @param contextLogProb  log Pr(ŷ ++ END | c, z)
     * @param entropy         the entropy of the choice: over candidates, of softmax of their log-probabilities; for a
     *                        greedy decode, the mean entropy of its next-token distributions (nats)
     * @param candidates      candidates considered (0 for a greedy decode)
     */
    public record Target(int[] tokens, String text, double modifiedLogProb, double contextLogProb, double entropy, int candidates)
            implements Serializable {
    }

    /** The target of one row; {@code candidates} null or without a non-null entry means a greedy decode. */
    public static Target target(LanguageModel model, String context, String modifiedContext, String z, List<String> candidates,
            int maxTargetTokens, LanguageModel.Workspace work) {
        int[] source = Tokens.encode(prompt(context, z));
        int[] modified = Tokens.encode(prompt(modifiedContext, z));
        int[] best = null;
        double bestLogProb = Double.NEGATIVE_INFINITY;
        double entropy;
        int considered = 0;
        if (candidates != null && candidates.stream().anyMatch(c -> c != null)) {
            double[] logProbs = new double[candidates.size()];
            for (String candidate : candidates) {
                if (candidate == null) {
                    continue;
                }
                int[] tokens = Tokens.encode(candidate);
                // log Pr(y | c, z) = Σ_t log Pr(y_t | c, z, y_<t) + log Pr(END | …)
                double logProb = model.responseLogProb(source, tokens, work);
                logProbs[considered++] = logProb;
                if (logProb > bestLogProb) {
                    bestLogProb = logProb;
                    best = tokens;
                }
            }
            entropy = choiceEntropy(Arrays.copyOf(logProbs, considered));
        }
        else {
            LanguageModel.Decoded decoded = model.greedy(source, maxTargetTokens, work);
            best = decoded.tokens();
            bestLogProb = model.responseLogProb(source, best, work);
            entropy = decoded.meanEntropy();
        }
        double modifiedLogProb = model.responseLogProb(modified, best, work);
        return new Target(best, Tokens.decode(best), modifiedLogProb, bestLogProb, entropy, considered);
    }

    // H = −Σ_i p_i log p_i with p = softmax(log Pr(y_i | c, z)) over the candidates
    static double choiceEntropy(double[] logProbs) {
        double normaliser = LanguageModel.logSumExp(logProbs, logProbs.length);
        double entropy = 0;
        for (double logProb : logProbs) {
            double log = logProb - normaliser;
            entropy -= Math.exp(log) * log;
        }
        return entropy;
    }

    /** log Pr(reference ++ END | c′, z), the reference's tokens with END; null without a reference. */
    public static double[] reference(LanguageModel model, String modifiedContext, String z, String reference, LanguageModel.Workspace work) {
        if (reference == null) {
            return null;
        }
        int[] tokens = Tokens.encode(reference);
        return new double[] {model.responseLogProb(Tokens.encode(prompt(modifiedContext, z)), tokens, work), SequenceNll.responsePositions(tokens.length)};
    }
}
