package io.alignloss.lm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;

/**
 * The {@code language-model { … }} block of a sequence objective that {@code train} fits: the model's
 * {@link LmShape}, how many classes the output vocabulary has (0 = ⌈√kept⌉), and how often a token must occur in
 * the training rows to be kept (rarer ones share the even rare class).
 */
public record LmSettings(LmShape shape, int classes, long minCount) {
    public static final String BLOCK = "language-model";
    public static final List<String> KEYS = List.of("order", "bits", "dimension", "classes", "min-count", "prompt-parameters");

    public static LmSettings defaults() {
        return new LmSettings(new LmShape(LmShape.DEFAULT_ORDER, LmShape.DEFAULT_BITS, LmShape.DEFAULT_DIMENSION, false), 0, 2);
    }

    /** Reads {@code language-model} of an objective entry (defaults when absent); {@code key} prefixes messages. */
    public static LmSettings parse(Config entry, String key, String source) {
        if (!entry.hasPath(BLOCK)) {
            return defaults();
        }
        Config block;
        try {
            block = entry.getConfig(BLOCK);
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid %s: expected a block { order, bits, dimension, classes, min-count, prompt-parameters }", key);
        }
        for (String name : block.root().keySet()) {
            if (!KEYS.contains(name)) {
                throw error(source, "Unknown key '%s.%s'; valid keys here: %s", key, name, String.join(", ", KEYS));
            }
        }
        int order = (int) integer(block, "order", key, source, LmShape.DEFAULT_ORDER, 1, 8);
        int bits = (int) integer(block, "bits", key, source, LmShape.DEFAULT_BITS, 4, 24);
        int dimension = (int) integer(block, "dimension", key, source, LmShape.DEFAULT_DIMENSION, 1, 1024);
        int classes = (int) integer(block, "classes", key, source, 0, 0, 100_000);
        long minCount = integer(block, "min-count", key, source, 2, 1, Long.MAX_VALUE / 2);
        String prompt = block.hasPath("prompt-parameters") ? block.getValue("prompt-parameters").unwrapped().toString() : "shared";
        if (!prompt.equals("shared") && !prompt.equals("separate")) {
            throw error(source, "Invalid %s.prompt-parameters: '%s' (valid: shared, separate)", key, prompt);
        }
        return new LmSettings(new LmShape(order, bits, dimension, prompt.equals("separate")), classes, minCount);
    }

    private static long integer(Config block, String name, String key, String source, long fallback, long min, long max) {
        if (!block.hasPath(name)) {
            return fallback;
        }
        long value;
        try {
            value = block.getLong(name);
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid %s.%s: '%s' (expected an integer in %d..%d)", key, name, block.getValue(name).unwrapped(), min, max);
        }
        if (value < min || value > max) {
            throw error(source, "Invalid %s.%s: %d (expected an integer in %d..%d)", key, name, value, min, max);
        }
        return value;
    }

    private static AlignLossException error(String source, String message, Object... args) {
        return new AlignLossException(ErrorCode.CONFIG, format("Config %s: ", source) + format(message, args));
    }

    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>(shape.describe());
        description.put("classes", classes == 0 ? "auto" : classes);
        description.put("min_count", minCount);
        return description;
    }
}
