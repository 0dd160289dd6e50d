package io.alignloss.lm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.String.format;

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
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LanguageModelFolder() {
    }

    /** Whether {@code path} holds a language model (its model.json names this format). */
    public static boolean isLanguageModel(String path, Configuration conf) {
        try {
            Path json = new Path(path, "model.json");
            FileSystem fs = json.getFileSystem(conf);
            if (!fs.exists(json)) {
                return false;
            }
            try (FSDataInputStream in = fs.open(json)) {
                return FORMAT.equals(MAPPER.readValue(in, new TypeReference<Map<String, Object>>() { }).get("format"));
            }
        }
        catch (IOException e) {
            return false;
        }
    }

    public static void save(LanguageModel model, Map<String, Object> metadata, Path folder, Configuration conf) {
        try {
            FileSystem fs = folder.getFileSystem(conf);
            fs.mkdirs(folder);
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
            try (FSDataOutputStream out = fs.create(new Path(folder, "model.json"), true)) {
                out.write(MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8));
            }
            ByteBuffer ints = ByteBuffer.allocate(4 * (vocabulary.keptCount() + vocabulary.classStart().length)).order(ByteOrder.LITTLE_ENDIAN);
            ints.asIntBuffer().put(vocabulary.kept()).put(vocabulary.classStart());
            try (FSDataOutputStream out = fs.create(new Path(folder, "vocabulary.i32"), true)) {
                out.write(ints.array());
            }
            ByteBuffer doubles = ByteBuffer.allocate(8 * model.weights().length).order(ByteOrder.LITTLE_ENDIAN);
            doubles.asDoubleBuffer().put(model.weights());
            try (FSDataOutputStream out = fs.create(new Path(folder, "weights.f64"), true)) {
                out.write(doubles.array());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(format("Cannot write language model to %s: %s", folder, e.getMessage()), e);
        }
    }

    /** Reads a model folder; a missing or foreign folder is a config error (exit 2) naming the path. */
    public static LanguageModel load(String path, Configuration conf) {
        Path folder = new Path(path);
        try {
            FileSystem fs = folder.getFileSystem(conf);
            Path json = new Path(folder, "model.json");
            if (!fs.exists(json)) {
                throw new AlignLossException(ErrorCode.CONFIG, format(
                        "Cannot read language model %s: no model.json there (a model folder is <train output>/model)", path));
            }
            Map<String, Object> header;
            try (FSDataInputStream in = fs.open(json)) {
                header = MAPPER.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() { });
            }
            if (!FORMAT.equals(header.get("format"))) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read language model %s: format '%s', expected '%s' "
                        + "(a model written by train of a sequence-likelihood objective)", path, header.get("format"), FORMAT));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> shape = (Map<String, Object>) header.get("shape");
            LmShape lmShape = new LmShape(((Number) shape.get("order")).intValue(), ((Number) shape.get("bits")).intValue(),
                    ((Number) shape.get("dimension")).intValue(), "separate".equals(shape.get("prompt_parameters")));
            int kept = ((Number) header.get("kept_tokens")).intValue();
            int classes = ((Number) header.get("classes")).intValue();
            int[] ints = new int[kept + classes + 1];
            byte[] intBytes = new byte[4 * ints.length];
            try (FSDataInputStream in = fs.open(new Path(folder, "vocabulary.i32"))) {
                in.readFully(intBytes);
            }
            ByteBuffer.wrap(intBytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
            Vocabulary vocabulary = new Vocabulary(java.util.Arrays.copyOf(ints, kept), java.util.Arrays.copyOfRange(ints, kept, ints.length));
            int parameters = ((Number) header.get("parameters")).intValue();
            byte[] bytes = new byte[8 * parameters];
            try (FSDataInputStream in = fs.open(new Path(folder, "weights.f64"))) {
                in.readFully(bytes);
            }
            double[] weights = new double[parameters];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(weights);
            return new LanguageModel(lmShape, vocabulary, weights);
        }
        catch (IOException | RuntimeException e) {
            if (e instanceof AlignLossException alignLoss) {
                throw alignLoss;
            }
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read language model %s: %s", path, e.getMessage()), e);
        }
    }
}
