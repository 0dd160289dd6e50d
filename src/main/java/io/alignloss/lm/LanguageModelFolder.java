package io.alignloss.lm;

import io.alignloss.output.ModelFiles;
import io.alignloss.text.Tokens;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder format of a trained language model, beside the reward model's:
 * <ul>
 *   <li>{@code model.json}: {@code format} ("alignloss-language-model"), {@code format_version} (1), {@code shape}
 *   (order, bits, dimension, prompt_parameters), {@code tokenizer} ("cl100k_base"), {@code kept_tokens},
 *   {@code classes}, {@code parameters}, and training metadata;</li>
 *   <li>{@code vocabulary.i32}: the kept token ids by class, then the class starts (little-endian ints);</li>
 *   <li>{@code weights.f64}: θ (little-endian doubles).</li>
 * </ul>
 */
public final class LanguageModelFolder {
    public static final String FORMAT = "alignloss-language-model";
    public static final int FORMAT_VERSION = 1;
    private LanguageModelFolder() {
    }

    public static void save(LanguageModel model, Map<String, Object> metadata, Path folder, Configuration conf) {
        Vocabulary vocabulary = model.vocabulary();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("format_version", FORMAT_VERSION);
        header.put("model", "log-linear n-gram language model, class-factored softmax");
        header.put("shape", model.shape().describe());
        header.put("tokenizer", "cl100k_base");
        header.put("outcomes", Tokens.OUTCOMES);
        header.put("kept_tokens", vocabulary.keptCount());
        header.put("classes", vocabulary.classes());
        header.put("parameters", model.weights().length);
        header.put("vocabulary_file", "vocabulary.i32");
        header.put("weights_file", "weights.f64");
        header.putAll(metadata);
        ModelFiles.writeFolder(folder, conf, "language model", fs -> {
            ModelFiles.writeHeader(fs, folder, header);
            int[] ints = java.util.Arrays.copyOf(vocabulary.kept(), vocabulary.keptCount() + vocabulary.classStart().length);
            System.arraycopy(vocabulary.classStart(), 0, ints, vocabulary.keptCount(), vocabulary.classStart().length);
            ModelFiles.writeInts(fs, new Path(folder, "vocabulary.i32"), ints);
            ModelFiles.writeDoubles(fs, new Path(folder, "weights.f64"), model.weights());
        });
    }

    /** Reads a model folder; a missing, foreign or malformed folder is a config error (exit 2) naming the path. */
    public static LanguageModel load(String path, Configuration conf) {
        return ModelFiles.readFolder(path, conf, "language model", (fs, folder) -> {
            Map<String, Object> header = ModelFiles.readHeader(fs, folder, FORMAT,
                    "language model (a model written by train of a sequence-likelihood objective)");
            @SuppressWarnings("unchecked")
            Map<String, Object> shape = (Map<String, Object>) header.get("shape");
            LmShape lmShape = new LmShape(((Number) shape.get("order")).intValue(), ((Number) shape.get("bits")).intValue(),
                    ((Number) shape.get("dimension")).intValue(), "separate".equals(shape.get("prompt_parameters")));
            int kept = ((Number) header.get("kept_tokens")).intValue();
            int classes = ((Number) header.get("classes")).intValue();
            int[] ints = ModelFiles.readInts(fs, new Path(folder, "vocabulary.i32"), kept + classes + 1);
            Vocabulary vocabulary = new Vocabulary(java.util.Arrays.copyOf(ints, kept), java.util.Arrays.copyOfRange(ints, kept, ints.length));
            int parameters = ((Number) header.get("parameters")).intValue();
            double[] weights = ModelFiles.readDoubles(fs, new Path(folder, "weights.f64"), parameters);
            return new LanguageModel(lmShape, vocabulary, weights);
        });
    }
}
