package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.alignloss.data.InputKind;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.ObjectiveType;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static java.lang.String.format;

/**
 * Reads a HOCON (or JSON) job config, applies {@code --set key=value} overrides and validates every key
 * before Spark starts. Unknown keys are errors that list the valid ones; messages name the key and the
 * file (and line) it came from.
 */
public final class ConfigLoader {
    public static final List<String> TOP_LEVEL_KEYS = List.of("inputs", "objectives", "groups", "output");
    public static final List<String> INPUT_KEYS = List.of("path", "kind");
    public static final List<String> OUTPUT_KEYS = List.of("path", "per-example");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private ConfigLoader() {
    }

    /**
     * Loads and validates a job config.
     *
     * @param file      the config file (HOCON or JSON)
     * @param overrides {@code key=value} strings from --set, applied in order
     * @param out       --out, which overrides {@code output.path} when present
     */
    public static JobConfig load(File file, List<String> overrides, Optional<String> out) {
        if (!file.isFile()) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read config %s: no such file", file));
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot parse config %s: %s (quote URIs in HOCON: // starts a comment)",
                    file, e.getMessage()), e);
        }
        return fromConfig(parsed, file.getPath(), overrides, out);
    }

    /** Validates an already parsed config; {@code source} names it in messages. */
    public static JobConfig fromConfig(Config parsed, String source, List<String> overrides, Optional<String> out) {
        Config config = parsed;
        for (String override : overrides) {
            config = applyOverride(config, override, source);
        }
        if (out.isPresent()) {
            config = config.withValue("output.path", ConfigValueFactory.fromAnyRef(out.get(), "--out"));
        }
        try {
            config = config.resolve();
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot resolve config %s: %s", source, e.getMessage()), e);
        }
        return validate(config, source);
    }

    /** Applies one {@code key=value}; {@code objectives.<name>.<key>} addresses an objective by its name. */
    static Config applyOverride(Config config, String override, String source) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': expected key=value", override));
        }
        String key = override.substring(0, equals).trim();
        ConfigValue value = parseValue(override.substring(equals + 1), override);
        try {
            if (key.startsWith("objectives.") && config.hasPath("objectives")
                    && config.getValue("objectives").valueType() == ConfigValueType.LIST) {
                String rest = key.substring("objectives.".length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new AlignLossException(ErrorCode.USAGE, format(
                            "Invalid --set '%s': address an objective's option as objectives.<name>.<key>", override));
                }
                return setObjectiveOption(config, rest.substring(0, dot), rest.substring(dot + 1), value, override, source);
            }
            return config.withValue(key, value);
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': %s", override, e.getMessage()), e);
        }
    }

    private static Config setObjectiveOption(Config config, String name, String option, ConfigValue value,
            String override, String source) {
        List<ConfigObject> entries = new ArrayList<>();
        boolean found = false;
        List<String> names = new ArrayList<>();
        for (ConfigObject entry : objectEntries(config, "objectives", source)) {
            ConfigValue entryName = entry.get("name");
            String entryNameText = entryName == null ? null : String.valueOf(entryName.unwrapped());
            names.add(String.valueOf(entryNameText));
            if (name.equals(entryNameText)) {
                entries.add(entry.toConfig().withValue(option, value).root());
                found = true;
            }
            else {
                entries.add(entry);
            }
        }
        if (!found) {
            throw new AlignLossException(ErrorCode.USAGE, format(
                    "Invalid --set '%s': no objective named '%s' (objectives: %s)", override, name, String.join(", ", names)));
        }
        return config.withValue("objectives", ConfigValueFactory.fromIterable(entries));
    }

    /**
     * A --set value: HOCON when it starts like a list, object or quoted string; a number or boolean when it
     * reads as one; otherwise the text verbatim (so URIs with {@code //} need no quoting on the command line).
     */
    static ConfigValue parseValue(String raw, String override) {
        String text = raw.trim();
        String origin = "--set " + override;
        if (text.startsWith("[") || text.startsWith("{") || text.startsWith("\"")) {
            try {
                return ConfigFactory.parseString("v = " + text, ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setOriginDescription(origin)).getValue("v");
            }
            catch (ConfigException e) {
                throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': %s", override, e.getMessage()), e);
            }
        }
        if (text.equals("true") || text.equals("false")) {
            return ConfigValueFactory.fromAnyRef(Boolean.parseBoolean(text), origin);
        }
        if (NUMBER.matcher(text).matches()) {
            if (text.matches("[-+]?\\d{1,18}")) {
                return ConfigValueFactory.fromAnyRef(Long.parseLong(text), origin);
            }
            return ConfigValueFactory.fromAnyRef(Double.parseDouble(text), origin);
        }
        return ConfigValueFactory.fromAnyRef(text, origin);
    }

    private static JobConfig validate(Config config, String source) {
        checkKeys(config.root(), "", TOP_LEVEL_KEYS, source);

        Map<String, InputConfig> inputs = new LinkedHashMap<>();
        if (!config.hasPath("inputs")) {
            throw error(source, "Missing key 'inputs': configure at least one input as inputs.<name> { path, kind }");
        }
        ConfigObject inputsObject = object(config, "inputs", source);
        if (inputsObject.isEmpty()) {
            throw error(source, "Invalid 'inputs' (%s): configure at least one input as inputs.<name> { path, kind }",
                    where(inputsObject));
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            checkName(name, "inputs." + name, inputsObject.get(name), source);
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            String prefix = "inputs." + name;
            ConfigObject input = object(config, prefix, source);
            checkKeys(input, prefix + ".", INPUT_KEYS, source);
            String path = string(config, prefix + ".path", source);
            InputKind kind = InputKind.fromConfig(string(config, prefix + ".kind", source), prefix + ".kind");
            inputs.put(name, new InputConfig(name, path, kind));
        }

        if (!config.hasPath("objectives")) {
            throw error(source, "Missing key 'objectives': configure at least one objective as objectives = [ { name, type, input } ]");
        }
        List<ObjectiveConfig> objectives = new ArrayList<>();
        Set<String> objectiveNames = new HashSet<>();
        for (ConfigObject entry : objectEntries(config, "objectives", source)) {
            Config entryConfig = entry.toConfig();
            String name = entryString(entryConfig, "name", "objectives[" + objectives.size() + "]", entry, source);
            String prefix = "objectives." + name;
            checkName(name, prefix, entry, source);
            if (!objectiveNames.add(name)) {
                throw error(source, "Duplicate objective name '%s' (%s): names must be unique", name, where(entry));
            }
            ObjectiveType type = ObjectiveType.fromConfig(entryString(entryConfig, "type", prefix, entry, source), prefix + ".type");
            List<String> valid = new ArrayList<>(ObjectiveType.COMMON_KEYS);
            valid.addAll(type.ownKeys());
            checkKeys(entry, prefix + ".", valid, source);
            String input = entryString(entryConfig, "input", prefix, entry, source);
            InputConfig inputConfig = inputs.get(input);
            if (inputConfig == null) {
                throw error(source, "Invalid %s.input (%s): no input named '%s' (inputs: %s)", prefix, where(entry.get("input")),
                        input, String.join(", ", inputs.keySet()));
            }
            if (type.inputKind().isPresent() && type.inputKind().get() != inputConfig.kind()) {
                throw error(source, "Invalid %s.input (%s): a %s objective reads a %s input, but '%s' is a %s input",
                        prefix, where(entry.get("input")), type.configName(), type.inputKind().get().configName(), input,
                        inputConfig.kind().configName());
            }
            objectives.add(new ObjectiveConfig(name, type, input, entryConfig));
        }
        if (objectives.isEmpty()) {
            throw error(source, "Invalid 'objectives' (%s): configure at least one objective", where(config.getValue("objectives")));
        }

        List<String> groups = List.of();
        if (config.hasPath("groups")) {
            try {
                groups = config.getStringList("groups");
            }
            catch (ConfigException.WrongType e) {
                throw error(source, "Invalid 'groups' (%s): expected a list of column names", where(config.getValue("groups")));
            }
            if (new HashSet<>(groups).size() != groups.size()) {
                throw error(source, "Invalid 'groups' (%s): a column is listed twice: %s", where(config.getValue("groups")), groups);
            }
        }

        Optional<String> outputPath = Optional.empty();
        boolean perExample = true;
        if (config.hasPath("output")) {
            checkKeys(object(config, "output", source), "output.", OUTPUT_KEYS, source);
            if (config.hasPath("output.path")) {
                outputPath = Optional.of(string(config, "output.path", source));
            }
            if (config.hasPath("output.per-example")) {
                try {
                    perExample = config.getBoolean("output.per-example");
                }
                catch (ConfigException.WrongType e) {
                    throw error(source, "Invalid 'output.per-example' (%s): expected true or false",
                            where(config.getValue("output.per-example")));
                }
            }
        }
        return new JobConfig(inputs, objectives, groups, outputPath, perExample, source, config);
    }

    private static void checkKeys(ConfigObject object, String prefix, List<String> valid, String source) {
        for (String key : new TreeSet<>(object.keySet())) {
            if (!valid.contains(key)) {
                throw error(source, "Unknown key '%s%s' (%s); valid keys here: %s", prefix, key, where(object.get(key)),
                        String.join(", ", valid));
            }
        }
    }

    private static void checkName(String name, String key, ConfigValue value, String source) {
        if (!NAME.matcher(name).matches()) {
            throw error(source, "Invalid name '%s' at %s (%s): use letters, digits, '_', '-' and '.'", name, key, where(value));
        }
    }

    private static ConfigObject object(Config config, String key, String source) {
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw error(source, "Invalid '%s' (%s): expected an object { … }, got %s", key, where(value),
                    value.valueType().name().toLowerCase());
        }
        return (ConfigObject) value;
    }

    private static List<ConfigObject> objectEntries(Config config, String key, String source) {
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

    private static String string(Config config, String key, String source) {
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

    private static String entryString(Config entry, String key, String prefix, ConfigValue at, String source) {
        if (!entry.hasPath(key)) {
            throw error(source, "Missing key '%s.%s' (%s)", prefix, key, where(at));
        }
        return string(entry, key, source);
    }

    static String where(ConfigValue value) {
        if (value == null) {
            return "unknown origin";
        }
        return value.origin().description();
    }

    private static AlignLossException error(String source, String message, Object... args) {
        return new AlignLossException(ErrorCode.CONFIG, format("Config %s: ", source) + format(message, args));
    }
}
