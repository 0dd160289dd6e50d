package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Draws.clamp;
import static io.alignloss.synth.Draws.format;
import static io.alignloss.synth.Draws.gaussian;
import static io.alignloss.synth.Draws.logprobs;
import static io.alignloss.synth.Draws.perPrompt;
import static io.alignloss.synth.Draws.prompt;
import static io.alignloss.synth.Draws.round;
import static io.alignloss.synth.Draws.text;
import static io.alignloss.synth.Population.DOMAINS;
import static io.alignloss.synth.Population.LANGUAGES;
import static io.alignloss.synth.Population.LANGUAGE_SHARES;

/** Sequences with token log-probabilities whose level differs by group, and self-target rows made from them. */
final class SequenceSamples {
    private SequenceSamples() {
    }

    static List<Row> sequences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return perPrompt(random, count, LANGUAGE_SHARES, (i, language, domain, rows) -> {
            String prompt = prompt(random, "User:", language, 5, 30);
            String response = text(random, "Assistant:", 8, 80);
            double promptLevel = 2.6 + 0.5 * language;
            double responseLevel = 1.2 + 0.3 * language + 0.2 * domain;
            Double[] promptLogprobs = logprobs(random, prompt.split(" ").length, promptLevel);
            promptLogprobs[0] = null; // inference servers leave the first prompt token unscored
            Double[] responseLogprobs = logprobs(random, response.split(" ").length, responseLevel);
            double weight = random.nextDouble() < 0.85 ? 1.0 : 2.0;
            double helpfulness = clamp(7 - 0.4 * language + 1.5 * gaussian(random), 0, 10);
            double harmfulness = clamp(domain == 3 ? 3 + 2 * gaussian(random) : 1 + gaussian(random), 0, 10);
            rows.add(RowFactory.create(format("s%06d", i), prompt, response, Arrays.asList(promptLogprobs),
                    Arrays.asList(responseLogprobs), weight, round(helpfulness), round(harmfulness),
                    LANGUAGES[language], DOMAINS[domain]));
        });
    }

    static List<Row> selfTargets(int count, long seed) {
        List<Row> sequences = sequences(count, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Row row = sequences.get(i);
            String prompt = row.getString(1);
            String instruction = text(random, "System: answer carefully and", 6, 20);
            List<String> candidates = null;
            if (i % 2 == 1) {
                candidates = new ArrayList<>(List.of(row.getString(2), sequences.get((i + 1) % count).getString(2),
                        text(random, "Assistant:", 4, 12)));
                java.util.Collections.shuffle(candidates, new java.util.Random(seed + i));
            }
            rows.add(RowFactory.create(format("t%06d", i), instruction + " " + prompt, prompt, random.nextBoolean() ? "Be concise." : null,
                    candidates, row.getString(2), row.getString(8), row.getString(9)));
        }
        return rows;
    }
}
