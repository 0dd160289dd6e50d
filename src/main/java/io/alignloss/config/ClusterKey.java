package io.alignloss.config;

import static java.util.Objects.requireNonNull;

/**
 * {@code inputs.<name>.cluster}: which rows the bootstrap resamples together. {@link Choice#DEFAULT} (the key
 * is absent) clusters by {@code prompt_id} when the input has that column, else by the prompt text
 * ({@code context} for self-target inputs); {@link Choice#NONE} resamples rows (by {@code id}, as before
 * clusters existed); {@link Choice#COLUMN} clusters by the named column, which must be in the input.
 *
 * @param choice the kind of setting
 * @param column the configured column ({@link Choice#COLUMN} only, else empty)
 * @param origin where the key was set (file: line), for errors about the column
 */
public record ClusterKey(Choice choice, String column, String origin) {
    /** The config value that turns clustering off. */
    public static final String NONE_VALUE = "none";
    public static final ClusterKey DEFAULT = new ClusterKey(Choice.DEFAULT, "", "default");

    public enum Choice { DEFAULT, NONE, COLUMN }

    public ClusterKey {
        requireNonNull(choice, "choice is null");
        requireNonNull(column, "column is null");
        requireNonNull(origin, "origin is null");
        if ((choice == Choice.COLUMN) == column.isEmpty()) {
            throw new IllegalArgumentException("Cannot build a cluster key: a column is needed exactly for Choice.COLUMN");
        }
    }

    /** The parsed value of the key: {@code none} or a column name. */
    public static ClusterKey of(String value, String origin) {
        return value.equals(NONE_VALUE) ? new ClusterKey(Choice.NONE, "", origin) : new ClusterKey(Choice.COLUMN, value, origin);
    }
}
