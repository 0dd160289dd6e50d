package io.alignloss.model;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.alignloss.config.FeatureSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * f(x, y) = all-MiniLM-L6-v2 (quantized, 384-d, unit norm) of the prompt's head and the response joined by a
 * blank line (the default: the reward depends on how the response answers the prompt) or of the response alone.
 * The model is loaded once per executor JVM.
 */
public final class EncoderFeatures implements Featurizer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EncoderFeatures.class);
    public static final int DIMENSION = 384;
    /** What joins prompt and response in the encoder's input. */
    public static final String SEPARATOR = "\n\n";
    /**
     * The prompt is cut to its first 300 characters (about 75 word pieces) so that the response stays inside
     * the encoder's 256-token window: with whole prompts, long prompts filled the window and chosen and
     * rejected got the same embedding (measured on UltraFeedback: 16 of the first 40 eval pairs).
     */
    public static final int PROMPT_CHARS = 300;

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
        float[] vector = embedOne(text(spec, prompt, response));
        if (vector == null) {
            throw new IllegalArgumentException("the encoder cannot embed this text (see the warning above)");
        }
        return FeatureVector.dense(vector);
    }

    // text = prompt[0, 300 chars] ++ "\n\n" ++ response, or the response alone
    public static String text(FeatureSpec spec, String prompt, String response) {
        if (spec.encoderInput().equals(FeatureSpec.RESPONSE)) {
            return response;
        }
        String head = prompt.length() > PROMPT_CHARS ? prompt.substring(0, PROMPT_CHARS) : prompt;
        return head + SEPARATOR + response;
    }

    /**
     * Embeddings of many texts at once (the model batches them). A text the encoder fails on gets null (the
     * caller's row rules reject it with a reason); the failure is logged.
     */
    public static List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        try {
            return Holder.MODEL.embedAll(segments).content().stream().map(embedding -> embedding.vector()).toList();
        }
        catch (RuntimeException batchFailure) {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (String text : texts) {
                vectors.add(embedOne(text));
            }
            return vectors;
        }
    }

    private static float[] embedOne(String text) {
        try {
            return Holder.MODEL.embed(text).content().vector();
        }
        catch (RuntimeException e) {
            LOG.warn("the encoder failed on a text of {} characters ({}): its embedding is null", text.length(), e.toString());
            return null;
        }
    }
}
