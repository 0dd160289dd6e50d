package io.alignloss.testing;

import io.alignloss.lm.LanguageModel;
import io.alignloss.text.Tokens;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.List;

/**
 * A language model's weighted NLL sums over rows (prompt, response, weight), computed without its scoring path:
 * at every position the model's full distribution over all {@link Tokens#OUTCOMES} ids
 * ({@link LanguageModel#logDistribution}, which sums to 1 in LanguageModelTest) is looked up at the next id.
 * Prompt positions use the prompt segment; response positions (the response's tokens, then END) the response one.
 *
 * @param promptNll      Σ w·(−Σ_t log Pr(x_t | x_{<t}))
 * @param conditionalNll Σ w·(−Σ_t log Pr(y_t | x, y_{<t})), END included
 * @param promptTokens   Σ w·|x|
 * @param responseTokens Σ w·(|y| + 1)
 * @param weights        Σ w
 */
public record BruteForceNll(double promptNll, double conditionalNll, double promptTokens, double responseTokens, double weights) {
    public static BruteForceNll of(LanguageModel model, List<Row> rows) {
        double promptNll = 0;
        double responseNll = 0;
        double promptTokens = 0;
        double responseTokens = 0;
        double weights = 0;
        for (Row row : rows) {
            double w = row.getAs("weight");
            int[] prompt = Tokens.encode(row.getAs("prompt"));
            int[] response = Tokens.encode(row.getAs("response"));
            int[] sequence = new int[prompt.length + response.length + 1];
            System.arraycopy(prompt, 0, sequence, 0, prompt.length);
            System.arraycopy(response, 0, sequence, prompt.length, response.length);
            sequence[sequence.length - 1] = Tokens.END;
            for (int t = 0; t < sequence.length; t++) {
                boolean inPrompt = t < prompt.length;
                double logProb = model.logDistribution(Arrays.copyOf(sequence, t),
                        inPrompt ? LanguageModel.PROMPT : LanguageModel.RESPONSE)[sequence[t]];
                if (inPrompt) {
                    promptNll -= w * logProb;
                }
                else {
                    responseNll -= w * logProb;
                }
            }
            promptTokens += w * prompt.length;
            responseTokens += w * (response.length + 1);
            weights += w;
        }
        return new BruteForceNll(promptNll, responseNll, promptTokens, responseTokens, weights);
    }

    /** Σ w·(prompt NLL + conditional NLL): the joint NLL −log Pr(x ++ y ++ END). */
    public double jointNll() {
        return promptNll + conditionalNll;
    }

    /** Σ w·(|x| + |y| + 1). */
    public double jointTokens() {
        return promptTokens + responseTokens;
    }
}
