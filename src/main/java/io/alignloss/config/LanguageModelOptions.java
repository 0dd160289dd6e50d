package io.alignloss.config;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The {@code language-model { … }} block of a sequence-likelihood objective, as given: each number is empty when
 * the key is absent, and {@code lm.LmSettings} fills in the model's defaults. Ranges are checked here.
 *
 * @param order                    n-gram order, 1..8
 * @param bits                     hashed context features: 2^bits buckets, 4..24
 * @param dimension                embedding dimension, 1..1024
 * @param classes                  output vocabulary classes, 0..100000 (0: ⌈√kept tokens⌉)
 * @param minCount                 occurrences a token needs in the training rows to be kept, ≥ 1
 * @param separatePromptParameters {@code prompt-parameters = separate} (else {@code shared}, the default)
 */
public record LanguageModelOptions(OptionalInt order, OptionalInt bits, OptionalInt dimension, OptionalInt classes,
        OptionalLong minCount, boolean separatePromptParameters) {
    public static final String BLOCK = "language-model";
    public static final List<String> KEYS = List.of("order", "bits", "dimension", "classes", "min-count", "prompt-parameters");

    public LanguageModelOptions {
        requireNonNull(order, "order is null");
        requireNonNull(bits, "bits is null");
        requireNonNull(dimension, "dimension is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(minCount, "minCount is null");
    }

    /** An empty block: every value the model's default. */
    public static LanguageModelOptions defaults() {
        return new LanguageModelOptions(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalLong.empty(), false);
    }
}
