package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Draws.format;
import static io.alignloss.synth.Draws.perPrompt;
import static io.alignloss.synth.Draws.prompt;
import static io.alignloss.synth.Draws.text;
import static io.alignloss.synth.Population.DOMAINS;
import static io.alignloss.synth.Population.LANGUAGES;
import static io.alignloss.synth.Population.POPULATION_LANGUAGE_SHARES;

/** An unlabelled sample of the served population, with its own language mix. */
final class ReferenceSamples {
    private ReferenceSamples() {
    }

    static List<Row> reference(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return perPrompt(random, count, POPULATION_LANGUAGE_SHARES, (i, language, domain, rows) -> rows.add(RowFactory.create(
                format("r%06d", i), prompt(random, "User:", language, 5, 30), text(random, "Assistant:", 8, 80), LANGUAGES[language],
                DOMAINS[domain])));
    }
}
