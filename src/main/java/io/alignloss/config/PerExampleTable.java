package io.alignloss.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code output.per-example-table { format = delta | iceberg, path = … | table = … }}: each objective's per-example
 * figures also go to the table {@code <path or table>_<objective>}, with {@code run_id} and {@code run_date} columns,
 * partitioned by {@code run_date}.
 *
 * @param format {@link TableFormat#DELTA} or {@link TableFormat#ICEBERG}
 * @param path   the tables' path prefix (Delta, Iceberg Hadoop tables)
 * @param table  the tables' name prefix {@code <catalog>.<db>.<table>} (Iceberg catalog tables)
 */
public record PerExampleTable(TableFormat format, Optional<String> path, Optional<String> table) {
    public PerExampleTable {
        requireNonNull(format, "format is null");
        requireNonNull(path, "path is null");
        requireNonNull(table, "table is null");
        if (path.isPresent() == table.isPresent()) {
            throw new IllegalArgumentException("Cannot make a per-example table: give exactly one of path and table");
        }
    }

    /** Where the objective's table is: {@code <path or table>_<objective>}. */
    public String location(String objective) {
        return path.or(() -> table).orElseThrow() + "_" + objective;
    }
}
