package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static java.lang.String.format;

/**
 * The shared readers of the config blocks: each checks one value's type and range and throws a
 * {@link ErrorCode#CONFIG} error that names the key, the file and line it came from, and the value.
 */
final class ConfigValues {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private ConfigValues() {
    }

    /** A number in [min, max] (an integer when {@code integral}); {@code key} names it in messages. */
    static double number(Config config, String path, String key, String source, double min, double max, boolean integral) {
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.NUMBER) {
            throw error(source, "Invalid '%s' (%s): expected a number, got %s", key, where(value), value.render());
        }
        double number = ((Number) value.unwrapped()).doubleValue();
        if (!(number >= min && number <= max) || (integral && number != Math.rint(number))) {
            throw error(source, "Invalid '%s' (%s): %s (must be %s in [%s, %s])", key, where(value), value.render(),
                    integral ? "an integer" : "a number", integral ? (long) min : min, integral ? (long) max : max);
        }
        return number;
    }

    /** Fails on the first key (in sorted order) of {@code object} that is not in {@code valid}. */
    static void checkKeys(ConfigObject object, String prefix, List<String> valid, String source) {
        for (String key : new TreeSet<>(object.keySet())) {
            if (!valid.contains(key)) {
                throw error(source, "Unknown key '%s%s' (%s); valid keys here: %s", prefix, key, where(object.get(key)),
                        String.join(", ", valid));
            }
        }
    }

    /** A name of an input or objective: letters, digits, '_', '-' and '.'. */
    static void checkName(String name, String key, ConfigValue value, String source) {
        if (!NAME.matcher(name).matches()) {
            throw error(source, "Invalid name '%s' at %s (%s): use letters, digits, '_', '-' and '.'", name, key, where(value));
        }
    }

    static ConfigObject object(Config config, String key, String source) {
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw error(source, "Invalid '%s' (%s): expected an object { … }, got %s", key, where(value),
                    value.valueType().name().toLowerCase());
        }
        return (ConfigObject) value;
    }

    /** A list of objects, such as {@code objectives}. */
    static List<ConfigObject> objectEntries(Config config, String key, String source) {
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw error(source, "Invalid '%s' (%s): expected a list [ { … }, … ]", key, where(value));
        }
        try {
            return new ArrayList<>(config.getObjectList(key));
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid '%s' (%s): every entry must be an object { name, type, input, … }", key, where(value));
        }
    }

    static boolean flag(Config config, String key, String source) {
        try {
            return config.getBoolean(key);
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid '%s' (%s): expected true or false", key, where(config.getValue(key)));
        }
    }

    /** A non-blank string; the key in messages is the path. */
    static String string(Config config, String key, String source) {
        if (!config.hasPath(key)) {
            throw error(source, "Missing key '%s'", key);
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.STRING) {
            throw error(source, "Invalid '%s' (%s): expected a string, got %s (quote URIs in HOCON: // starts a comment)",
                    key, where(value), value.valueType().name().toLowerCase());
        }
        String text = config.getString(key);
        if (text.isBlank()) {
            throw error(source, "Invalid '%s' (%s): empty", key, where(value));
        }
        return text;
    }

    /** A required string of a list entry; {@code prefix} (e.g. {@code objectives.bt}) names the entry. */
    static String entryString(Config entry, String key, String prefix, ConfigValue at, String source) {
        if (!entry.hasPath(key)) {
            throw error(source, "Missing key '%s.%s' (%s)", prefix, key, where(at));
        }
        return string(entry, key, source);
    }

    /**
     * A value from a fixed list (an enum's {@code fromConfig(value, key)}): its error names the key, the file and
     * line, the value and the valid values, like every other config error.
     */
    static <T> T choice(Config config, String path, String key, String source, BiFunction<String, String, T> parse) {
        String value = string(config, path, source);
        try {
            return parse.apply(value, format("'%s' (%s)", key, where(config.getValue(path))));
        }
        catch (AlignLossException e) {
            throw new AlignLossException(e.code(), format("Config %s: %s", source, e.getMessage()), e);
        }
    }

    /** A key as HOCON addresses it: quoted unless it is plain letters, digits, '_' and '-'. */
    static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    static String where(ConfigValue value) {
        if (value == null) {
            return "unknown origin";
        }
        return value.origin().description();
    }

    static AlignLossException error(String source, String message, Object... args) {
        return new AlignLossException(ErrorCode.CONFIG, format("Config %s: ", source) + format(message, args));
    }
}
