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
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.alignloss.config.ConfigValues.objectEntries;
import static java.lang.String.format;

/** The {@code --set key=value} overrides, applied to the parsed config before it is resolved. */
final class Overrides {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private Overrides() {
    }

    /** Applies one {@code key=value}; {@code objectives.<name>.<key>} addresses an objective by its name. */
    static Config apply(Config config, String override, String source) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': expected key=value", override));
        }
        String key = override.substring(0, equals).trim();
        ConfigValue value = value(override.substring(equals + 1), override);
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
    static ConfigValue value(String raw, String override) {
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
}
