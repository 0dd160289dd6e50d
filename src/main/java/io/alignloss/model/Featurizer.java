package io.alignloss.model;

import io.alignloss.config.FeatureSpec;

import java.io.Serializable;

/** Computes f(x, y) for one prompt and response; serialisable so executors run it. */
public interface Featurizer extends Serializable {
    FeatureSpec spec();

    /** Length of f. */
    int dimension();

    /**
     * f(x, y).
     *
     * @param embedding the response's precomputed embedding (embedding features), else null
     */
    FeatureVector features(String prompt, String response, double[] embedding);

    /** The featurizer for a spec; {@code dimension} is the embedding length (embedding features) or ignored. */
    static Featurizer create(FeatureSpec spec, int dimension) {
        return switch (spec.type()) {
            case EMBEDDING -> new EmbeddingFeatures(spec, dimension);
            case TEXT_HASH -> new TextHashFeatures(spec);
            case ENCODER -> new EncoderFeatures(spec);
        };
    }
}
