package io.alignloss.lm;

import io.alignloss.config.LanguageModelOptions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code language-model { … }} block of a sequence objective that {@code train} fits: the model's
 * {@link LmShape}, how many classes the output vocabulary has (0 = ⌈√kept⌉), and how often a token must occur in
 * the training rows to be kept (rarer ones share the even rare class).
 */
public record LmSettings(LmShape shape, int classes, long minCount) {
    public static final String BLOCK = LanguageModelOptions.BLOCK;

    public static LmSettings defaults() {
        return new LmSettings(new LmShape(LmShape.DEFAULT_ORDER, LmShape.DEFAULT_BITS, LmShape.DEFAULT_DIMENSION, false), 0, 2);
    }

    /** The settings of a configured {@code language-model} block: its given values, this model's defaults for the rest. */
    public static LmSettings of(LanguageModelOptions options) {
        LmSettings defaults = defaults();
        LmShape shape = new LmShape(options.order().orElse(defaults.shape().order()), options.bits().orElse(defaults.shape().bits()),
                options.dimension().orElse(defaults.shape().dimension()), options.separatePromptParameters());
        return new LmSettings(shape, options.classes().orElse(defaults.classes()), options.minCount().orElse(defaults.minCount()));
    }

    /** The settings of an objective's {@code language-model} block, or the defaults without one. */
    public static LmSettings of(Optional<LanguageModelOptions> options) {
        return options.map(LmSettings::of).orElseGet(LmSettings::defaults);
    }

    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>(shape.describe());
        description.put("classes", classes == 0 ? "auto" : classes);
        description.put("min_count", minCount);
        return description;
    }
}
