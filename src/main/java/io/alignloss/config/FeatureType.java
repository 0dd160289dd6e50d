package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a reward model's features f(x, y) come from. */
public enum FeatureType {
    /** Precomputed vectors in {@code chosen_embedding} and {@code rejected_embedding}. */
    EMBEDDING("embedding"),
    /** Hashed cl100k_base token n-grams of the response and prompt×response token pairs. */
    TEXT_HASH("text-hash"),
    /** all-MiniLM-L6-v2 sentence embeddings computed in the executors. */
    ENCODER("encoder");

    private final String configName;

    FeatureType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static FeatureType fromConfig(String value, String key) {
        for (FeatureType type : values()) {
            if (type.configName.equals(value)) {
                return type;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format("Invalid %s: '%s' (valid: %s)", key, value,
                Arrays.stream(values()).map(FeatureType::configName).collect(Collectors.joining(", "))));
    }
}
