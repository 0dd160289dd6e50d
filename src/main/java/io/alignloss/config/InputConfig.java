package io.alignloss.config;

import io.alignloss.data.InputKind;

import static java.util.Objects.requireNonNull;

/** One configured input: {@code inputs.<name>.path} and {@code inputs.<name>.kind}. */
public record InputConfig(String name, String path, InputKind kind) {
    public InputConfig {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
    }
}
