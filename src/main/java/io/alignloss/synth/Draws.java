package io.alignloss.synth;

import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Population.LANGUAGE_WORDS;
import static io.alignloss.synth.Population.WORDS;

/** Seeded draws the sample generators share: texts and prompts, token log-probabilities, categories, Gaussians, rounding. */
final class Draws {
    private Draws() {
    }

    /** The rows of one prompt, drawn after its language and domain. */
    @FunctionalInterface
    interface PromptRows {
        void draw(int index, int language, int domain, List<Row> rows);
    }

    /**
     * The rows of {@code count} prompts from one seeded stream: for each prompt i in order, its language by
     * {@code languageShares}, then its domain by {@link Population#DOMAIN_SHARES}, then what {@code prompt} draws.
     */
    static List<Row> perPrompt(SplittableRandom random, int count, double[] languageShares, PromptRows prompt) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int language = pick(random, languageShares);
            int domain = pick(random, Population.DOMAIN_SHARES);
            prompt.draw(i, language, domain, rows);
        }
        return rows;
    }

    // e_j = ε_j + 0.5·[j = language], ε ~ N(0, 1): embeddings shift by language
    static float[] embedding(SplittableRandom random, int dimension, int language) {
        float[] values = new float[dimension];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) (gaussian(random) + (j == language ? 0.5 : 0));
        }
        return values;
    }

    static String prompt(SplittableRandom random, String lead, int language, int minWords, int maxWords) {
        return text(random, lead, minWords, maxWords) + " " + LANGUAGE_WORDS[language];
    }

    static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }

    static Double[] logprobs(SplittableRandom random, int tokens, double meanNll) {
        Double[] values = new Double[tokens];
        for (int t = 0; t < tokens; t++) {
            // token NLL ~ exponential with the group's mean: log-probabilities are ≤ 0
            values[t] = round(Math.log(1 - random.nextDouble()) * meanNll);
        }
        return values;
    }

    static String text(SplittableRandom random, String lead, int minWords, int maxWords) {
        int words = minWords + random.nextInt(maxWords - minWords + 1);
        StringBuilder text = new StringBuilder(lead);
        for (int w = 0; w < words; w++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** An index drawn with the probabilities {@code shares} (a category, or a candidate by its policy probability). */
    static int pick(SplittableRandom random, double[] shares) {
        double u = random.nextDouble();
        for (int i = 0; i < shares.length - 1; i++) {
            u -= shares[i];
            if (u < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static double clamp(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }

    static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    static String format(String pattern, int value) {
        return String.format(pattern, value);
    }
}
