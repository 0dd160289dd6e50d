package io.alignloss.lm;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.String.format;

/**
 * The size of the log-linear n-gram language model: {@code order} n (the context is the previous n − 1
 * tokens), {@code 2^bits} hashed context buckets, each mapped to a {@code dimension}-long context vector, and
 * whether prompt positions get their own parameters ({@code separatePrompt}: then {@code Pr(x)} and
 * {@code Pr(y|x)} share nothing).
 */
public record LmShape(int order, int bits, int dimension, boolean separatePrompt) implements Serializable {
    public static final int DEFAULT_ORDER = 3;
    public static final int DEFAULT_BITS = 16;
    public static final int DEFAULT_DIMENSION = 32;

    public LmShape {
        if (order < 1 || order > 8) {
            throw new IllegalArgumentException(format("Invalid language-model order %d (1..8)", order));
        }
        if (bits < 4 || bits > 24) {
            throw new IllegalArgumentException(format("Invalid language-model bits %d (4..24)", bits));
        }
        if (dimension < 1 || dimension > 1024) {
            throw new IllegalArgumentException(format("Invalid language-model dimension %d (1..1024)", dimension));
        }
    }

    public int buckets() {
        return 1 << bits;
    }

    /** Context features per position: a bias and the 1..n−1 previous-token n-grams. */
    public int features() {
        return order;
    }

    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("order", order);
        description.put("bits", bits);
        description.put("dimension", dimension);
        description.put("prompt_parameters", separatePrompt ? "separate" : "shared");
        return description;
    }
}
