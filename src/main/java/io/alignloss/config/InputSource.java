package io.alignloss.config;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How an input is read: {@code inputs.<name>.format}, for an Iceberg catalog table its {@code table} name, the
 * version asked for ({@code version} for Delta, {@code snapshot-id} for Iceberg, {@code as-of} for both; at most one),
 * the {@code filter} predicate (Spark SQL, every format), and, once a run has resolved it, the {@link TableVersion}
 * every scan of the run reads.
 */
public record InputSource(TableFormat format, Optional<String> table, Optional<Long> version, Optional<Long> snapshotId,
        Optional<Instant> asOf, Optional<String> filter, Optional<TableVersion> resolved) {
    /** A Parquet folder read whole: today's inputs. */
    public static final InputSource PARQUET = new InputSource(TableFormat.PARQUET, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public InputSource {
        requireNonNull(format, "format is null");
        requireNonNull(table, "table is null");
        requireNonNull(version, "version is null");
        requireNonNull(snapshotId, "snapshotId is null");
        requireNonNull(asOf, "asOf is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(resolved, "resolved is null");
    }

    /** Whether the input is a versioned table (Delta or Iceberg). */
    public boolean versioned() {
        return format != TableFormat.PARQUET;
    }

    /** The same source pinned to the version a run resolved. */
    public InputSource pinned(TableVersion version) {
        return new InputSource(format, table, this.version, snapshotId, asOf, filter, Optional.of(version));
    }
}
