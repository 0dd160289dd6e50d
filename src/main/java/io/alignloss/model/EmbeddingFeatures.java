package io.alignloss.model;

import io.alignloss.config.FeatureSpec;

/** f(x, y) = the response's precomputed embedding (checked for length and finiteness by a row rule). */
record EmbeddingFeatures(FeatureSpec spec, int dimension) implements Featurizer {

    @Override
    public FeatureVector features(String prompt, String response, double[] embedding) {
        float[] values = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            values[i] = (float) embedding[i];
        }
        return FeatureVector.dense(values);
    }
}
