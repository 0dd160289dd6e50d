package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;

import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.where;
import static java.lang.String.format;

/** Parses an objective entry's own keys into its type's {@link ObjectiveOptions} record. */
final class ObjectiveOptionsParser {
    private ObjectiveOptionsParser() {
    }

    static ObjectiveOptions parse(ObjectivesBlock.Entry objective, String source) {
        Config entry = objective.entry().toConfig();
        String prefix = "objectives." + objective.name() + ".";
        Resampling resampling = resampling(entry, prefix, source);
        Optional<FeatureSpec> features = entry.hasPath("features")
                ? Optional.of(FeaturesBlock.parse(entry, "features", source)) : Optional.empty();
        Optional<String> model = model(entry, prefix, source);
        return switch (objective.type()) {
            case BRADLEY_TERRY -> new BradleyTerryOptions(resampling, model, features);
            case SEQUENCE_LIKELIHOOD -> new SequenceLikelihoodOptions(resampling, model, mode(entry, prefix),
                    entry.hasPath(LanguageModelOptions.BLOCK)
                            ? Optional.of(languageModel(entry, prefix + LanguageModelOptions.BLOCK, source)) : Optional.empty());
            case EXPECTED_UTILITY -> new ExpectedUtilityOptions(resampling, model, utility(entry, prefix), clip(entry, prefix), features,
                    entropy(entry, prefix), qHat(entry, prefix, source), switchTau(entry, prefix, clip(entry, prefix)));
            case SELF_TARGET -> new SelfTargetOptions(resampling, model, maxTargetTokens(entry, prefix));
            case DPO -> DpoOptionsParser.parse(entry, prefix, resampling, source);
        };
    }

    /** {@code bootstrap} (0..100000) and {@code confidence} (strictly between 0 and 1) of {@code entry}; {@code prefix} starts their keys. */
    static Resampling resampling(Config entry, String prefix, String source) {
        OptionalInt bootstrap = OptionalInt.empty();
        OptionalDouble confidence = OptionalDouble.empty();
        if (entry.hasPath("bootstrap")) {
            bootstrap = OptionalInt.of((int) number(entry, "bootstrap", prefix + "bootstrap", source, 0, 100_000, true));
        }
        if (entry.hasPath("confidence")) {
            double value = number(entry, "confidence", prefix + "confidence", source, 0, 1, false);
            if (value <= 0 || value >= 1) {
                throw error(source, "Invalid '%sconfidence' (%s): %s (must be strictly between 0 and 1)", prefix,
                        where(entry.getValue("confidence")), value);
            }
            confidence = OptionalDouble.of(value);
        }
        return new Resampling(bootstrap, confidence);
    }

    private static Optional<String> model(Config entry, String prefix, String source) {
        if (!entry.hasPath(ObjectiveOptions.MODEL)) {
            return Optional.empty();
        }
        try {
            return Optional.of(entry.getString(ObjectiveOptions.MODEL));
        }
        catch (ConfigException.WrongType e) {
            ConfigValue value = entry.getValue(ObjectiveOptions.MODEL);
            throw error(source, "Invalid '%s%s' (%s): expected a string, got %s", prefix, ObjectiveOptions.MODEL, where(value),
                    value.valueType().name().toLowerCase());
        }
    }

    private static SequenceMode mode(Config entry, String prefix) {
        if (!entry.hasPath("mode")) {
            return SequenceMode.CONDITIONAL;
        }
        String value;
        try {
            value = entry.getString("mode");
        }
        catch (ConfigException.WrongType e) {
            value = String.valueOf(entry.getValue("mode").unwrapped());
        }
        return SequenceMode.fromConfig(value, format("%smode (%s)", prefix, where(entry.getValue("mode"))));
    }

    /** The {@code language-model} block; {@code key} (its full key) prefixes messages. */
    static LanguageModelOptions languageModel(Config entry, String key, String source) {
        Config block;
        try {
            block = entry.getConfig(LanguageModelOptions.BLOCK);
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid %s: expected a block { order, bits, dimension, classes, min-count, prompt-parameters }", key);
        }
        for (String name : new TreeSet<>(block.root().keySet())) {
            if (!LanguageModelOptions.KEYS.contains(name)) {
                throw error(source, "Unknown key '%s.%s'; valid keys here: %s", key, name, String.join(", ", LanguageModelOptions.KEYS));
            }
        }
        OptionalLong order = integer(block, "order", key, source, 1, 8);
        OptionalLong bits = integer(block, "bits", key, source, 4, 24);
        OptionalLong dimension = integer(block, "dimension", key, source, 1, 1024);
        OptionalLong classes = integer(block, "classes", key, source, 0, 100_000);
        OptionalLong minCount = integer(block, "min-count", key, source, 1, Long.MAX_VALUE / 2);
        String prompt = block.hasPath("prompt-parameters") ? block.getValue("prompt-parameters").unwrapped().toString() : "shared";
        if (!prompt.equals("shared") && !prompt.equals("separate")) {
            throw error(source, "Invalid %s.prompt-parameters: '%s' (valid: shared, separate)", key, prompt);
        }
        return new LanguageModelOptions(toInt(order), toInt(bits), toInt(dimension), toInt(classes), minCount, prompt.equals("separate"));
    }

    private static OptionalInt toInt(OptionalLong value) {
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    // an integer of the language-model block in [min, max]
    private static OptionalLong integer(Config block, String name, String key, String source, long min, long max) {
        if (!block.hasPath(name)) {
            return OptionalLong.empty();
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
        return OptionalLong.of(value);
    }

    private static Map<String, Double> utility(Config entry, String prefix) {
        String key = prefix + "utility";
        if (!entry.hasPath("utility")) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Missing key '%s': an expected-utility objective needs utility { <score column> = <weight>, … }", key));
        }
        ConfigValue value = entry.getValue("utility");
        if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Invalid %s (%s): expected utility { <score column> = <weight>, … } with at least one column",
                    key, where(value)));
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> column : ((ConfigObject) value).entrySet()) {
            ConfigValue weight = column.getValue();
            if (weight.valueType() != ConfigValueType.NUMBER || !Double.isFinite(((Number) weight.unwrapped()).doubleValue())) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s.%s (%s): expected a finite number, got %s",
                        key, column.getKey(), where(weight), weight.render()));
            }
            weights.put(column.getKey(), ((Number) weight.unwrapped()).doubleValue());
        }
        return weights;
    }

    private static double clip(Config entry, String prefix) {
        if (!entry.hasPath("clip")) {
            return ExpectedUtilityOptions.DEFAULT_CLIP;
        }
        ConfigValue value = entry.getValue("clip");
        if (value.valueType() != ConfigValueType.NUMBER || !(((Number) value.unwrapped()).doubleValue() > 0)
                || !Double.isFinite(((Number) value.unwrapped()).doubleValue())) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %sclip (%s): %s (must be a finite number > 0)",
                    prefix, where(value), value.render()));
        }
        return ((Number) value.unwrapped()).doubleValue();
    }

    /** {@code q-hat}: a non-empty column name. */
    private static Optional<String> qHat(Config entry, String prefix, String source) {
        String key = ExpectedUtilityOptions.Q_HAT;
        if (!entry.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = entry.getValue(key);
        if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
            throw error(source, "Invalid '%s%s' (%s): %s (expected the name of the column holding q̂(x, a) on every candidate row)",
                    prefix, key, where(value), value.render());
        }
        return Optional.of((String) value.unwrapped());
    }

    /** {@code switch-tau}: a finite number ≥ 0, {@code clip} when absent; only with {@code q-hat}. */
    private static double switchTau(Config entry, String prefix, double clip) {
        String key = ExpectedUtilityOptions.SWITCH_TAU;
        if (!entry.hasPath(key)) {
            return clip;
        }
        ConfigValue value = entry.getValue(key);
        if (!entry.hasPath(ExpectedUtilityOptions.Q_HAT)) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s%s (%s): switch-DR needs a reward estimate: set %s%s "
                    + "= <column> too, or remove %s", prefix, key, where(value), prefix, ExpectedUtilityOptions.Q_HAT, key));
        }
        if (value.valueType() != ConfigValueType.NUMBER || !(((Number) value.unwrapped()).doubleValue() >= 0)
                || !Double.isFinite(((Number) value.unwrapped()).doubleValue())) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s%s (%s): %s (must be a finite number >= 0)",
                    prefix, key, where(value), value.render()));
        }
        return ((Number) value.unwrapped()).doubleValue();
    }

    private static double entropy(Config entry, String prefix) {
        if (!entry.hasPath("entropy")) {
            return 0;
        }
        Object shown;
        double entropy;
        try {
            entropy = entry.getDouble("entropy");
            shown = entropy;
        }
        catch (ConfigException.WrongType e) {
            entropy = Double.NaN;
            shown = entry.getValue("entropy").render();
        }
        if (!(entropy >= 0) || !Double.isFinite(entropy)) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %sentropy: %s (must be a finite number >= 0)", prefix, shown));
        }
        return entropy;
    }

    private static OptionalInt maxTargetTokens(Config entry, String prefix) {
        String name = SelfTargetOptions.MAX_TARGET_TOKENS;
        if (!entry.hasPath(name)) {
            return OptionalInt.empty();
        }
        int value;
        try {
            value = entry.getInt(name);
        }
        catch (ConfigException.WrongType e) {
            value = -1;
        }
        if (value < 1 || value > 4096) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s%s (%s): '%s' (expected an integer in 1..4096)",
                    prefix, name, where(entry.getValue(name)), entry.getValue(name).unwrapped()));
        }
        return OptionalInt.of(value);
    }
}
