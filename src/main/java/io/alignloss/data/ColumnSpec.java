package io.alignloss.data;

import static java.util.Objects.requireNonNull;

/**
 * A column of a row contract.
 *
 * @param name     the column name
 * @param type     how it is typed
 * @param required whether its absence is a schema error
 * @param neededBy who needs it, for messages (e.g. "preference input" or "objective bt")
 */
public record ColumnSpec(String name, ColumnType type, boolean required, String neededBy) {
    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(neededBy, "neededBy is null");
    }

    public static ColumnSpec required(String name, ColumnType type, String neededBy) {
        return new ColumnSpec(name, type, true, neededBy);
    }

    public static ColumnSpec optional(String name, ColumnType type, String neededBy) {
        return new ColumnSpec(name, type, false, neededBy);
    }
}
