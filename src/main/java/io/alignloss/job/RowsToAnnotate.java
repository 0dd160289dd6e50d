package io.alignloss.job;

import io.alignloss.data.InputContract;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.List;

import static java.lang.String.format;

/**
 * The Parquet rows that embed and score add columns to: preference rows (with chosen and rejected) or sequence rows
 * (with response), told apart by their columns.
 *
 * @param rows       the rows as read
 * @param columns    their column names
 * @param preference whether they are preference rows
 */
record RowsToAnnotate(Dataset<Row> rows, List<String> columns, boolean preference) {
    /**
     * Reads {@code input}; a usage error names {@code verb} (embed, score) when the rows are neither preference nor
     * sequence rows, and a read failure names the input.
     */
    static RowsToAnnotate read(SparkSession spark, String input, String verb) {
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(input);
        }
        catch (Exception e) { // AnalysisException is thrown undeclared
            throw Failures.reading("input", input, e);
        }
        List<String> columns = Arrays.asList(rows.columns());
        boolean preference = columns.contains(InputContract.CHOSEN) && columns.contains(InputContract.REJECTED);
        if (!preference && !columns.contains(InputContract.RESPONSE)) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot %s %s: it has neither chosen and rejected "
                    + "(preference rows) nor response (sequence rows); columns present: %s", verb, input, String.join(", ", columns)));
        }
        return new RowsToAnnotate(rows, columns, preference);
    }
}
