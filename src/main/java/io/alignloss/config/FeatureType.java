package io.alignloss.config;

/** Where a reward model's features f(x, y) come from. */
public enum FeatureType implements ConfigName {
    /** Precomputed vectors in {@code chosen_embedding} and {@code rejected_embedding}. */
    EMBEDDING,
    /** Hashed cl100k_base token n-grams of the response and prompt×response token pairs. */
    TEXT_HASH,
    /** all-MiniLM-L6-v2 sentence embeddings computed in the executors. */
    ENCODER;

    /** The type named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static FeatureType fromConfig(String value, String key) {
        return ConfigName.parse(FeatureType.class, value, key);
    }
}
