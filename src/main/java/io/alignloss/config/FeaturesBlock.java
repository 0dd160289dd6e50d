package io.alignloss.config;

import com.typesafe.config.Config;

import java.util.List;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/** A {@code features} block (top-level, or an objective's own) parsed into a {@link FeatureSpec}. */
final class FeaturesBlock {
    static final List<String> KEYS = List.of("type", "bits", "ngrams", "cross-tokens", "input");

    private FeaturesBlock() {
    }

    /** The {@code features} block at {@code path} of {@code config}; {@code path} starts its keys in messages. */
    static FeatureSpec parse(Config config, String path, String source) {
        checkKeys(object(config, path, source), path + ".", KEYS, source);
        Config block = config.getConfig(path);
        if (!block.hasPath("type")) {
            throw error(source, "Missing key '%s.type' (%s): embedding, text-hash or encoder", path, where(config.getValue(path)));
        }
        FeatureType type = ConfigValues.choice(block, "type", path + ".type", source, FeatureType::fromConfig);
        int bits = block.hasPath("bits") ? (int) number(block, "bits", path + ".bits", source, 1, 30, true) : FeatureSpec.DEFAULT_BITS;
        int ngrams = block.hasPath("ngrams") ? (int) number(block, "ngrams", path + ".ngrams", source, 1, 5, true) : FeatureSpec.DEFAULT_NGRAMS;
        int cross = block.hasPath("cross-tokens")
                ? (int) number(block, "cross-tokens", path + ".cross-tokens", source, 0, 256, true) : FeatureSpec.DEFAULT_CROSS_TOKENS;
        String input = block.hasPath("input") ? string(block, "input", source) : FeatureSpec.PROMPT_RESPONSE;
        if (!input.equals(FeatureSpec.PROMPT_RESPONSE) && !input.equals(FeatureSpec.RESPONSE)) {
            throw error(source, "Invalid '%s.input' (%s): '%s' (valid: prompt-response, response)", path, where(block.getValue("input")), input);
        }
        return new FeatureSpec(type, bits, ngrams, cross, input);
    }
}
