package io.alignloss.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One configured input: {@code inputs.<name>.path}, {@code .kind}, for preference inputs the optional
 * {@code .position} column (in which position the chosen response was shown, for the position-bias figure),
 * {@code .cluster}, the rows the bootstrap resamples together ({@link ClusterKey}), and {@code .allow-empty}:
 * whether a run on an input with nothing to evaluate publishes null losses with a warning instead of failing
 * with exit 3. {@code source} says how it is read ({@code format}, {@code table}, the version, {@code filter}): for
 * an Iceberg catalog table ({@code inputs.<name>.table}) {@code path} is the table's name.
 */
public record InputConfig(String name, String path, InputKind kind, Optional<String> position, ClusterKey cluster,
        boolean allowEmpty, InputSource source) {
    public InputConfig {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(position, "position is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(source, "source is null");
    }

    public InputConfig(String name, String path, InputKind kind, Optional<String> position, ClusterKey cluster, boolean allowEmpty) {
        this(name, path, kind, position, cluster, allowEmpty, InputSource.PARQUET);
    }

    public InputConfig(String name, String path, InputKind kind, Optional<String> position) {
        this(name, path, kind, position, ClusterKey.DEFAULT, false);
    }

    public InputConfig(String name, String path, InputKind kind) {
        this(name, path, kind, Optional.empty(), ClusterKey.DEFAULT, false);
    }

    /** The same input with another cluster setting. */
    public InputConfig withCluster(ClusterKey cluster) {
        return new InputConfig(name, path, kind, position, cluster, allowEmpty, source);
    }

    /** The same input pinned to the version a run resolved ({@link InputSource#pinned}). */
    public InputConfig pinned(TableVersion version) {
        return new InputConfig(name, path, kind, position, cluster, allowEmpty, source.pinned(version));
    }
}
