package io.alignloss.config;

import com.typesafe.config.Config;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code objectives}: its name, type and input, and the entry itself ({@code options}) from
 * which the objective reads its own keys.
 */
public record ObjectiveConfig(String name, ObjectiveType type, String input, Config options) {
    public ObjectiveConfig {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(input, "input is null");
        requireNonNull(options, "options is null");
    }

    /** The full key of one of this objective's options, as users address it with --set. */
    public String key(String option) {
        return "objectives." + name + "." + option;
    }
}
