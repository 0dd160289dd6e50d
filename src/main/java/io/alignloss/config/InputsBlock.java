package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.checkName;
import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.flag;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/** The {@code inputs} block: {@code inputs.<name> { path, kind, position, cluster, allow-empty }}, at least one. */
final class InputsBlock {
    static final List<String> KEYS = List.of("path", "kind", "position", "cluster", "allow-empty");

    private InputsBlock() {
    }

    /** The inputs by name, in sorted order of their names. */
    static Map<String, InputConfig> parse(Config config, String source) {
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
            checkKeys(input, prefix + ".", KEYS, source);
            String path = string(config, prefix + ".path", source);
            InputKind kind = choice(config, prefix + ".kind", prefix + ".kind", source, InputKind::fromConfig);
            Optional<String> position = config.hasPath(prefix + ".position")
                    ? Optional.of(string(config, prefix + ".position", source)) : Optional.empty();
            if (position.isPresent() && kind != InputKind.PREFERENCE) {
                throw error(source, "Invalid '%s.position' (%s): only preference inputs have a position column", prefix,
                        where(config.getValue(prefix + ".position")));
            }
            ClusterKey cluster = ClusterKey.DEFAULT;
            if (config.hasPath(prefix + ".cluster")) {
                String value = string(config, prefix + ".cluster", source);
                cluster = ClusterKey.of(value, where(config.getValue(prefix + ".cluster")));
            }
            boolean allowEmpty = config.hasPath(prefix + ".allow-empty") && flag(config, prefix + ".allow-empty", source);
            inputs.put(name, new InputConfig(name, path, kind, position, cluster, allowEmpty));
        }
        return inputs;
    }
}
