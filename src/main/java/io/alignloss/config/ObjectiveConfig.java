package io.alignloss.config;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code objectives}: its name, type and input, and its typed {@code options} (one record per type).
 */
public record ObjectiveConfig(String name, ObjectiveType type, String input, ObjectiveOptions options) {
    public ObjectiveConfig {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(input, "input is null");
        requireNonNull(options, "options is null");
        if (options.type() != type) {
            throw new IllegalArgumentException("options of a " + options.type().configName() + " objective for " + name
                    + ", a " + type.configName() + " objective");
        }
    }

    /** The full key of one of this objective's options, as users address it with --set. */
    public String key(String option) {
        return "objectives." + name + "." + option;
    }

    /** The options as the record of this objective's type ({@code type} must be that record's class). */
    public <T extends ObjectiveOptions> T optionsAs(Class<T> optionsType) {
        if (!optionsType.isInstance(options)) {
            throw new IllegalArgumentException("objective " + name + " is a " + type.configName() + " objective, whose options are "
                    + options.getClass().getSimpleName() + ", not " + optionsType.getSimpleName());
        }
        return optionsType.cast(options);
    }

    /** The diagnostics settings with this objective's own bootstrap and confidence. */
    public DiagnosticsConfig diagnostics(DiagnosticsConfig defaults) {
        return options.resampling().applyTo(defaults);
    }
}
