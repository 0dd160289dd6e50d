package io.alignloss.model;

import io.alignloss.config.FeatureSpec;

/** f(x, y) = the response's precomputed embedding (checked for length and finiteness by a row rule). */
final class EmbeddingFeatures implements Featurizer {
    private final FeatureSpec spec;
    private final int dimension;

    EmbeddingFeatures(FeatureSpec spec, int dimension) {
        this.spec = spec;
        this.dimension = dimension;
    }

    @Override
    public FeatureSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public FeatureVector features(String prompt, String response, double[] embedding) {
        float[] values = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            values[i] = (float) embedding[i];
        }
        return FeatureVector.dense(values);
    }
}
