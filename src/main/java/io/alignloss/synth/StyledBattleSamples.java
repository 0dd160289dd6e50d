package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Population.WORDS;

/**
 * Arena battles with the two responses' texts, where longer answers win more often than strength explains: a
 * decided battle goes to model_a with probability σ(θ_a − θ_b + {@value #LENGTH_EFFECT}·(w_a − w_b)/(w_a + w_b)) for
 * the responses' word counts w, and the weaker models write longer, markdown-heavy answers.
 */
final class StyledBattleSamples {
    private static final String[] MODELS = {"atlas-7b", "borealis-13b", "cirrus-8x7b", "dune-70b", "ember-3b", "fjord-34b"};
    /** Hidden strengths θ (Σθ = 0). */
    private static final double[] STRENGTHS = {-0.2, 0.3, 0.1, 0.7, -0.6, -0.3};
    /** Mean words per response: the two weakest models are the most verbose. */
    private static final int[] MEAN_WORDS = {40, 30, 45, 25, 90, 70};
    /** Share of a model's responses with a header; the same share, drawn apart, with list items, and with 1–3 bold words. */
    private static final double[] MARKDOWN_SHARE = {0.2, 0.1, 0.3, 0.1, 0.8, 0.6};
    static final double LENGTH_EFFECT = 3;
    private static final double TIE_SHARE = 0.1;

    private StyledBattleSamples() {
    }

    static List<Row> battles(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = MODELS.length;
        List<Row> rows = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(n);
            int b = (a + 1 + random.nextInt(n - 1)) % n;
            int wordsA = words(random, a);
            int wordsB = words(random, b);
            String responseA = response(random, a, wordsA);
            String responseB = response(random, b, wordsB);
            String winner;
            if (random.nextDouble() < TIE_SHARE) {
                winner = random.nextDouble() < 0.25 ? "tie (bothbad)" : "tie";
            }
            else {
                double margin = STRENGTHS[a] - STRENGTHS[b] + LENGTH_EFFECT * (wordsA - wordsB) / (double) (wordsA + wordsB);
                winner = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? "model_a" : "model_b";
            }
            rows.add(RowFactory.create(MODELS[a], MODELS[b], winner, responseA, responseB));
        }
        rows.add(RowFactory.create(MODELS[0], MODELS[1], "model_a", null, "an answer")); // missing_style
        return rows;
    }

    // w = ⌈mean·e^(0.4z)⌉, z ~ N(0, 1)
    private static int words(SplittableRandom random, int model) {
        return (int) Math.ceil(MEAN_WORDS[model] * Math.exp(0.4 * Draws.gaussian(random)));
    }

    // a header, list items (every 12th word starts one) and bold words, each drawn on its own with the model's share
    private static String response(SplittableRandom random, int model, int words) {
        boolean header = random.nextDouble() < MARKDOWN_SHARE[model];
        boolean list = random.nextDouble() < MARKDOWN_SHARE[model];
        int bold = random.nextDouble() < MARKDOWN_SHARE[model] ? 1 + random.nextInt(3) : 0;
        StringBuilder text = new StringBuilder(header ? "## Answer\n" : "");
        for (int w = 0; w < words; w++) {
            if (list && w > 0 && w % 12 == 0) {
                text.append("\n- ");
            }
            else if (w > 0) {
                text.append(' ');
            }
            String word = WORDS[random.nextInt(WORDS.length)];
            text.append(w % 7 == 1 && w / 7 < bold ? "**" + word + "**" : word);
        }
        return text.toString();
    }
}
