package io.alignloss.model;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * f(x, y) = all-MiniLM-L6-v2 (quantized, 384-d, unit norm) of the prompt and response joined by a blank
 * line (the default: the reward depends on how the response answers the prompt) or of the response alone.
 * The model is loaded once per executor JVM.
 */
final class EncoderFeatures implements Featurizer {
    public static final int DIMENSION = 384;
    /** What joins prompt and response in the encoder's input. */
    public static final String SEPARATOR = "\n\n";

    private final FeatureSpec spec;

    EncoderFeatures(FeatureSpec spec) {
        if (!spec.encoderInput().equals(FeatureSpec.PROMPT_RESPONSE) && !spec.encoderInput().equals(FeatureSpec.RESPONSE)) {
            throw new IllegalArgumentException("Invalid encoder input '" + spec.encoderInput() + "' (valid: prompt-response, response)");
        }
        this.spec = spec;
    }

    /** One model per JVM: loading the ONNX weights takes a few seconds. */
    private static final class Holder {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @Override
    public FeatureSpec spec() {
        return spec;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public FeatureVector features(String prompt, String response, double[] embedding) {
        return FeatureVector.dense(Holder.MODEL.embed(text(spec, prompt, response)).content().vector());
    }

    static String text(FeatureSpec spec, String prompt, String response) {
        return spec.encoderInput().equals(FeatureSpec.RESPONSE) ? response : prompt + SEPARATOR + response;
    }

    /** Embeddings of many texts at once (the model batches them). */
    public static List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        return Holder.MODEL.embedAll(segments).content().stream().map(embedding -> embedding.vector()).toList();
    }
}
