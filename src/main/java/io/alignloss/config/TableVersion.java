package io.alignloss.config;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The version of a Delta or Iceberg input a run resolved once, at its start, and reads for every scan.
 *
 * @param format     {@link TableFormat#DELTA} or {@link TableFormat#ICEBERG}
 * @param location   the table's location (its root folder)
 * @param name       the catalog table's name ({@code <catalog>.<db>.<table>}); empty for a table given by path
 * @param version    Delta's commit version; empty for Iceberg
 * @param snapshotId Iceberg's snapshot id; empty for Delta
 * @param timestamp  when that version was committed
 */
public record TableVersion(TableFormat format, String location, Optional<String> name, Optional<Long> version,
        Optional<Long> snapshotId, Instant timestamp) {
    public TableVersion {
        requireNonNull(format, "format is null");
        requireNonNull(location, "location is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(snapshotId, "snapshotId is null");
        requireNonNull(timestamp, "timestamp is null");
        if (version.isPresent() == snapshotId.isPresent()) {
            throw new IllegalArgumentException("Cannot make a table version: give exactly one of version and snapshot id");
        }
    }

    /** {@code version 3} or {@code snapshot 123…}, for messages. */
    public String describe() {
        return version.map(value -> "version " + value).orElseGet(() -> "snapshot " + snapshotId.orElseThrow());
    }
}
