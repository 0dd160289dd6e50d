package io.alignloss.data;

import io.alignloss.config.InputConfig;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

/**
 * An input whose schema passed the contract: {@code rows} holds the input's columns widened to their
 * contract types, plus {@code id} (given or derived), {@code weight} and (preference inputs) {@code label},
 * defaulted to 1 when the input has none, and {@link #REASONS}: the codes of the rules the row fails.
 *
 * @param config          the input's configuration
 * @param rows            the typed rows with the reasons column
 * @param originalColumns the input's own column names, in file order (rejects keep these)
 * @param groupColumns    the configured group columns this input has
 * @param ruleCodes       the reject codes checked on this input, in rule order
 */
public record PreparedInput(
        InputConfig config,
        Dataset<Row> rows,
        List<String> originalColumns,
        List<String> groupColumns,
        List<String> ruleCodes) {
    /** Column with the codes of every rule the row fails (empty array for an accepted row). */
    public static final String REASONS = "_alignloss_reasons";

    public PreparedInput {
        requireNonNull(config, "config is null");
        requireNonNull(rows, "rows is null");
        originalColumns = List.copyOf(originalColumns);
        groupColumns = List.copyOf(groupColumns);
        ruleCodes = List.copyOf(ruleCodes);
    }

    public String name() {
        return config.name();
    }

    /** True for a row that passes every rule. */
    public static Column accepted() {
        return size(col(REASONS)).equalTo(0);
    }

    /** Quoted column reference, safe for names with dots or spaces. */
    public static Column column(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }
}
