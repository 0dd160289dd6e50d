package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Draws.boxed;
import static io.alignloss.synth.Draws.clamp;
import static io.alignloss.synth.Draws.embedding;
import static io.alignloss.synth.Draws.format;
import static io.alignloss.synth.Draws.gaussian;
import static io.alignloss.synth.Draws.perPrompt;
import static io.alignloss.synth.Draws.prompt;
import static io.alignloss.synth.Draws.round;
import static io.alignloss.synth.Draws.text;
import static io.alignloss.synth.Population.DOMAINS;
import static io.alignloss.synth.Population.DOMAIN_SEPARATION;
import static io.alignloss.synth.Population.LANGUAGES;
import static io.alignloss.synth.Population.LANGUAGE_SEPARATION;
import static io.alignloss.synth.Population.LANGUAGE_SHARES;
import static io.alignloss.synth.SampleData.EMBEDDING_DIMENSION;

/** Preference pairs: with logged reward-model scores and labels, or with response embeddings and a hidden linear reward. */
final class PreferenceSamples {
    private PreferenceSamples() {
    }

    static List<Row> preferences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return perPrompt(random, count, LANGUAGE_SHARES, (i, language, domain, rows) -> {
            double separation = DOMAIN_SEPARATION[domain] * LANGUAGE_SEPARATION[language];
            double rejectedScore = gaussian(random);
            double chosenScore = rejectedScore + separation + 1.3 * gaussian(random);
            double u = random.nextDouble();
            double label = u < 0.88 ? 1.0 : u < 0.94 ? 0.5 : 0.6 + 0.35 * random.nextDouble();
            double weight = random.nextDouble() < 0.8 ? 1.0 : random.nextDouble() < 0.5 ? 0.5 : 2.0;
            double helpfulness = clamp(6 + separation + 1.5 * gaussian(random), 0, 10);
            double harmfulness = clamp(domain == 3 ? 3 + 2 * gaussian(random) : 1 + gaussian(random), 0, 10);
            rows.add(RowFactory.create(format("p%06d", i), prompt(random, "User:", language, 5, 30), text(random, "Assistant:", 10, 60),
                    text(random, "Assistant:", 8, 50), round(chosenScore), round(rejectedScore), round(label), weight,
                    round(helpfulness), round(harmfulness), LANGUAGES[language], DOMAINS[domain]));
        });
    }

    static List<Row> embeddedPreferences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] truth = new double[EMBEDDING_DIMENSION];
        for (int j = 0; j < truth.length; j++) {
            truth[j] = 1.5 * gaussian(random) / Math.sqrt(EMBEDDING_DIMENSION) * 2;
        }
        return perPrompt(random, count, LANGUAGE_SHARES, (i, language, domain, rows) -> {
            float[] first = embedding(random, EMBEDDING_DIMENSION, language);
            float[] second = embedding(random, EMBEDDING_DIMENSION, language);
            double margin = 0;
            for (int j = 0; j < truth.length; j++) {
                // languages other than English weigh the last dimensions differently (what a narrow dataset misses)
                double weight = j >= EMBEDDING_DIMENSION - 4 && language > 0 ? -truth[j] : truth[j];
                margin += weight * (first[j] - second[j]);
            }
            boolean firstWins = random.nextDouble() < 1 / (1 + Math.exp(-margin));
            float[] chosen = firstWins ? first : second;
            float[] rejected = firstWins ? second : first;
            double weight = random.nextDouble() < 0.9 ? 1.0 : 2.0;
            rows.add(RowFactory.create(format("e%06d", i), prompt(random, "User:", language, 5, 30), text(random, "Assistant:", 10, 60),
                    text(random, "Assistant:", 8, 50), boxed(chosen), boxed(rejected), weight, LANGUAGES[language], DOMAINS[domain]));
        });
    }

}
