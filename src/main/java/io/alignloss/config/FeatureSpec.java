package io.alignloss.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How features are computed, as configured in a {@code features} block and stored in a model's metadata.
 *
 * @param type         embedding, text-hash or encoder
 * @param bits         text-hash: 2^bits hash buckets
 * @param ngrams       text-hash: response token n-grams for n = 1..ngrams
 * @param crossTokens  text-hash: prompt×response pairs of the first {@code crossTokens} distinct tokens of
 *                     each (0 turns them off)
 * @param encoderInput encoder: {@code prompt-response} (prompt and response joined by a blank line) or
 *                     {@code response}
 */
public record FeatureSpec(FeatureType type, int bits, int ngrams, int crossTokens, String encoderInput) implements Serializable {
    public static final int DEFAULT_BITS = 18;
    public static final int DEFAULT_NGRAMS = 2;
    public static final int DEFAULT_CROSS_TOKENS = 16;
    public static final String PROMPT_RESPONSE = "prompt-response";
    public static final String RESPONSE = "response";
    /** The columns the embedding features read. */
    public static final String CHOSEN_EMBEDDING = "chosen_embedding";
    public static final String REJECTED_EMBEDDING = "rejected_embedding";

    public FeatureSpec {
        requireNonNull(type, "type is null");
        requireNonNull(encoderInput, "encoderInput is null");
    }

    public static FeatureSpec of(FeatureType type) {
        return new FeatureSpec(type, DEFAULT_BITS, DEFAULT_NGRAMS, DEFAULT_CROSS_TOKENS, PROMPT_RESPONSE);
    }

    /** The options that matter for this type, as written to model metadata and summary.json. */
    public Map<String, Object> describe() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("type", type.configName());
        switch (type) {
            case EMBEDDING -> {
                figures.put("chosen_column", CHOSEN_EMBEDDING);
                figures.put("rejected_column", REJECTED_EMBEDDING);
            }
            case TEXT_HASH -> {
                figures.put("bits", bits);
                figures.put("ngrams", ngrams);
                figures.put("cross-tokens", crossTokens);
                figures.put("tokenizer", "cl100k_base");
            }
            case ENCODER -> {
                figures.put("model", "all-MiniLM-L6-v2 (quantized)");
                figures.put("input", encoderInput);
            }
        }
        return figures;
    }

    /** Reads {@link #describe()}'s map back. */
    public static FeatureSpec fromDescription(Map<String, Object> description) {
        FeatureType type = FeatureType.fromConfig(String.valueOf(description.get("type")), "features.type");
        return new FeatureSpec(type,
                ((Number) description.getOrDefault("bits", DEFAULT_BITS)).intValue(),
                ((Number) description.getOrDefault("ngrams", DEFAULT_NGRAMS)).intValue(),
                ((Number) description.getOrDefault("cross-tokens", DEFAULT_CROSS_TOKENS)).intValue(),
                String.valueOf(description.getOrDefault("input", PROMPT_RESPONSE)));
    }
}
