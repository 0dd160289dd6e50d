package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.List;
import java.util.SplittableRandom;

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

/**
 * Preference pairs with the summed response log-probabilities a DPO run logs: the reference model's
 * ({@code ref_*_logps}, about −1.1 nats per token, so longer responses have lower sums) and the policy's, which moved
 * away from the reference by a gain per response: {@code c − c₀ ~ N(−4 + 3·s, 6²)}, {@code r − r₀ ~ N(−6, 6²)}, s the
 * pair's separation by domain and language. The policy lowers both responses' likelihood but the rejected one's more,
 * as DPO training often does, so many pairs have both implicit rewards negative.
 */
final class DpoSamples {
    private DpoSamples() {
    }

    static List<Row> pairs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return perPrompt(random, count, LANGUAGE_SHARES, (i, language, domain, rows) -> {
            double separation = DOMAIN_SEPARATION[domain] * LANGUAGE_SEPARATION[language];
            int chosenWords = 10 + random.nextInt(60);
            int rejectedWords = 8 + random.nextInt(50);
            int chosenTokens = (int) Math.round(1.3 * chosenWords) + 2;
            int rejectedTokens = (int) Math.round(1.3 * rejectedWords) + 2;
            double refChosen = -chosenTokens * (1.1 + 0.3 * gaussian(random));
            double refRejected = -rejectedTokens * (1.1 + 0.3 * gaussian(random));
            double chosen = Math.min(refChosen + (-4 + 3 * separation + 6 * gaussian(random)), -0.01);
            double rejected = Math.min(refRejected + (-6 + 6 * gaussian(random)), -0.01);
            double weight = random.nextDouble() < 0.8 ? 1.0 : random.nextDouble() < 0.5 ? 0.5 : 2.0;
            rows.add(RowFactory.create(format("d%06d", i), prompt(random, "User:", language, 5, 30),
                    text(random, "Assistant:", chosenWords, chosenWords), text(random, "Assistant:", rejectedWords, rejectedWords),
                    round(chosen), round(rejected), round(Math.min(refChosen, -0.01)), round(Math.min(refRejected, -0.01)),
                    chosenTokens, rejectedTokens, weight, LANGUAGES[language], DOMAINS[domain]));
        });
    }
}
