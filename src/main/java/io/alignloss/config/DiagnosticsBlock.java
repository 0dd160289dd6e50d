package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.quote;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/**
 * The top-level diagnostics keys ({@code bootstrap}, {@code confidence}, {@code min-group-count}, {@code target},
 * {@code reference}, {@code loss-bound}, {@code shift}, {@code drift}, {@code preference-biases}) parsed into a
 * {@link DiagnosticsConfig}.
 */
final class DiagnosticsBlock {
    private DiagnosticsBlock() {
    }

    static DiagnosticsConfig parse(Config config, String source) {
        DiagnosticsConfig settings = ObjectiveOptionsParser.resampling(config, "", source).applyTo(DiagnosticsConfig.defaults());
        int minGroupCount = DiagnosticsConfig.DEFAULT_MIN_GROUP_COUNT;
        if (config.hasPath("min-group-count")) {
            minGroupCount = (int) number(config, "min-group-count", "min-group-count", source, 1, Integer.MAX_VALUE, true);
        }
        Map<String, Map<String, Double>> target = target(config, source);
        Optional<String> reference = Optional.empty();
        if (config.hasPath("reference")) {
            checkKeys(object(config, "reference", source), "reference.", List.of("path"), source);
            reference = Optional.of(string(config, "reference.path", source));
        }
        Optional<DiagnosticsConfig.LossBound> lossBound = lossBound(config, source);
        double clip = DiagnosticsConfig.DEFAULT_SHIFT_CLIP;
        if (config.hasPath("shift")) {
            checkKeys(object(config, "shift", source), "shift.", List.of("clip"), source);
            if (config.hasPath("shift.clip")) {
                clip = number(config, "shift.clip", "shift.clip", source, 1, Double.MAX_VALUE, false);
            }
        }
        Optional<DiagnosticsConfig.Drift> drift = drift(config, source);
        boolean biases = true;
        if (config.hasPath("preference-biases")) {
            try {
                biases = config.getBoolean("preference-biases");
            }
            catch (ConfigException.WrongType e) {
                throw error(source, "Invalid 'preference-biases' (%s): expected true or false", where(config.getValue("preference-biases")));
            }
        }
        return new DiagnosticsConfig(settings.bootstrap(), settings.confidence(), minGroupCount, target, reference, lossBound,
                clip, drift, biases);
    }

    // target { <column> { <value> = <share>, … } }: shares ≥ 0 that sum to 1 per column
    private static Map<String, Map<String, Double>> target(Config config, String source) {
        Map<String, Map<String, Double>> target = new LinkedHashMap<>();
        if (!config.hasPath("target")) {
            return target;
        }
        ConfigObject columns = object(config, "target", source);
        for (String column : new TreeSet<>(columns.keySet())) {
            String key = "target." + quote(column);
            ConfigValue value = columns.get(column);
            if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
                throw error(source, "Invalid '%s' (%s): expected { <value> = <share>, … }", key, where(value));
            }
            Map<String, Double> shares = new LinkedHashMap<>();
            double total = 0;
            for (Map.Entry<String, ConfigValue> share : ((ConfigObject) value).entrySet()) {
                ConfigValue number = share.getValue();
                if (number.valueType() != ConfigValueType.NUMBER || ((Number) number.unwrapped()).doubleValue() < 0
                        || !Double.isFinite(((Number) number.unwrapped()).doubleValue())) {
                    throw error(source, "Invalid '%s.%s' (%s): expected a share ≥ 0, got %s", key, share.getKey(),
                            where(number), number.render());
                }
                shares.put(share.getKey(), ((Number) number.unwrapped()).doubleValue());
                total += ((Number) number.unwrapped()).doubleValue();
            }
            if (Math.abs(total - 1) > 1e-6) {
                throw error(source, "Invalid '%s' (%s): shares sum to %s (they must sum to 1)", key, where(value), total);
            }
            target.put(column, shares);
        }
        return target;
    }

    // loss-bound: a number (the upper bound, lower 0) or [low, high] with low < high
    private static Optional<DiagnosticsConfig.LossBound> lossBound(Config config, String source) {
        if (!config.hasPath("loss-bound")) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue("loss-bound");
        if (value.valueType() == ConfigValueType.NUMBER) {
            return Optional.of(new DiagnosticsConfig.LossBound(0, number(config, "loss-bound", "loss-bound", source,
                    0, Double.MAX_VALUE, false)));
        }
        List<Double> bounds;
        try {
            bounds = config.getDoubleList("loss-bound");
        }
        catch (ConfigException.WrongType e) {
            bounds = List.of();
        }
        if (bounds.size() != 2 || !(bounds.get(0) < bounds.get(1))) {
            throw error(source, "Invalid 'loss-bound' (%s): expected a number (upper bound, lower 0) or [low, high] with low < high",
                    where(value));
        }
        return Optional.of(new DiagnosticsConfig.LossBound(bounds.get(0), bounds.get(1)));
    }

    private static Optional<DiagnosticsConfig.Drift> drift(Config config, String source) {
        if (!config.hasPath("drift")) {
            return Optional.empty();
        }
        checkKeys(object(config, "drift", source), "drift.", List.of("previous", "max-loss-change", "max-mix-change"), source);
        OptionalDouble maxLoss = config.hasPath("drift.max-loss-change")
                ? OptionalDouble.of(number(config, "drift.max-loss-change", "drift.max-loss-change", source, 0, Double.MAX_VALUE, false))
                : OptionalDouble.empty();
        OptionalDouble maxMix = config.hasPath("drift.max-mix-change")
                ? OptionalDouble.of(number(config, "drift.max-mix-change", "drift.max-mix-change", source, 0, 1, false))
                : OptionalDouble.empty();
        return Optional.of(new DiagnosticsConfig.Drift(string(config, "drift.previous", source), maxLoss, maxMix));
    }
}
