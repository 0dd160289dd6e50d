package io.alignloss.config;

/** How an input or a per-example table is stored ({@code inputs.<name>.format}, {@code output.per-example-table.format}). */
public enum TableFormat implements ConfigName {
    /** A folder (or glob) of Parquet files: every file is read; no versions. */
    PARQUET,
    /** A Delta Lake table at a path; versions are Delta's commit versions. */
    DELTA,
    /** An Apache Iceberg table at a path (Hadoop table) or in a catalog ({@code table}); versions are snapshot ids. */
    ICEBERG;

    public static TableFormat fromConfig(String value, String key) {
        return ConfigName.parse(TableFormat.class, value, key);
    }
}
