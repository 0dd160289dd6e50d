package io.alignloss.config;

import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Resolves a substitution the config does not define ({@code ${AWS_KEY}}) from environment variables, as Typesafe
 * Config's own fallback does, from a given map (the process environment in a run, a fixed map in a test). The
 * marking variant resolves every such substitution to {@link #MARKER} instead, so that a second resolution shows
 * which values were built from the environment (also through concatenations and {@code ${other.key}} chains).
 * Records the variables it used.
 */
final class Environment implements ConfigResolver {
    /** Stands for an environment variable's value in the marking resolution; cannot occur in a HOCON file. */
    static final String MARKER = "\u0000env\u0000";

    private final Map<String, String> variables;
    private final boolean marking;
    private final Set<String> used;
    private final Optional<ConfigResolver> fallback;

    private Environment(Map<String, String> variables, boolean marking, Set<String> used, Optional<ConfigResolver> fallback) {
        this.variables = requireNonNull(variables, "variables is null");
        this.marking = marking;
        this.used = used;
        this.fallback = fallback;
    }

    static Environment of(Map<String, String> variables) {
        return new Environment(variables, false, new TreeSet<>(), Optional.empty());
    }

    static Environment marking(Map<String, String> variables) {
        return new Environment(variables, true, new TreeSet<>(), Optional.empty());
    }

    @Override
    public ConfigValue lookup(String path) {
        String value = variables.get(path);
        if (value == null) {
            return fallback.map(resolver -> resolver.lookup(path)).orElse(null);
        }
        used.add(path);
        return ConfigValueFactory.fromAnyRef(marking ? MARKER : value, "environment variable " + path);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver next) {
        return new Environment(variables, marking, used, Optional.of(next));
    }

    /** The values of the variables looked up so far. */
    Set<String> usedValues() {
        Set<String> values = new TreeSet<>();
        for (String name : used) {
            values.add(variables.get(name));
        }
        return values;
    }
}
