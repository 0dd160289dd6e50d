package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code inputs.<name>.table}: the version of a Delta or Iceberg input the run read (resolved once, at its start).
 *
 * @param format     {@code delta} or {@code iceberg}
 * @param location   the table's location (redacted)
 * @param name       the catalog table's name; absent for a table given by path
 * @param version    Delta's commit version (absent for Iceberg)
 * @param snapshotId Iceberg's snapshot id (absent for Delta)
 * @param timestamp  when that version was committed, ISO-8601 UTC
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TableSummary(String format, String location, String name, Long version, Long snapshotId, String timestamp) {
    /** {@code version 3} or {@code snapshot 123…}. */
    public String describe() {
        return version != null ? "version " + version : "snapshot " + snapshotId;
    }
}
