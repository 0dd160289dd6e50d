package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.checkName;
import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.entryString;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.objectEntries;
import static io.alignloss.config.ConfigValues.where;

/**
 * The {@code objectives} list: each entry's name (unique), type, input (which must exist and be of the kind the
 * type reads) and keys (those of its type only). Its options are parsed afterwards by {@link ObjectiveOptionsParser}.
 */
final class ObjectivesBlock {
    private ObjectivesBlock() {
    }

    /** One checked entry: what every objective has, and the entry itself for its type's options. */
    record Entry(String name, ObjectiveType type, String input, ConfigObject entry) {
    }

    static List<Entry> parse(Config config, Map<String, InputConfig> inputs, String source) {
        if (!config.hasPath("objectives")) {
            throw error(source, "Missing key 'objectives': configure at least one objective as objectives = [ { name, type, input } ]");
        }
        List<Entry> objectives = new ArrayList<>();
        Set<String> objectiveNames = new HashSet<>();
        for (ConfigObject entry : objectEntries(config, "objectives", source)) {
            Config entryConfig = entry.toConfig();
            String name = entryString(entryConfig, "name", "objectives[" + objectives.size() + "]", entry, source);
            String prefix = "objectives." + name;
            checkName(name, prefix, entry, source);
            if (!objectiveNames.add(name)) {
                throw error(source, "Duplicate objective name '%s' (%s): names must be unique", name, where(entry));
            }
            entryString(entryConfig, "type", prefix, entry, source);
            ObjectiveType type = choice(entryConfig, "type", prefix + ".type", source, ObjectiveType::fromConfig);
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
            objectives.add(new Entry(name, type, input, entry));
        }
        if (objectives.isEmpty()) {
            throw error(source, "Invalid 'objectives' (%s): configure at least one objective", where(config.getValue("objectives")));
        }
        return objectives;
    }
}
