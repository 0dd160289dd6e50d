package io.alignloss.config;

import io.alignloss.data.InputKind;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One configured input: {@code inputs.<name>.path}, {@code .kind} and, for preference inputs, the optional
 * {@code .position} column (in which position the chosen response was shown, for the position-bias figure).
 */
public record InputConfig(String name, String path, InputKind kind, Optional<String> position) {
    public InputConfig {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(position, "position is null");
    }

    public InputConfig(String name, String path, InputKind kind) {
        this(name, path, kind, Optional.empty());
    }
}
