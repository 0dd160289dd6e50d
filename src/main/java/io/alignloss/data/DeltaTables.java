package io.alignloss.data;

import io.alignloss.config.InputConfig;
import io.alignloss.config.InputSource;
import io.alignloss.config.TableFormat;
import io.alignloss.config.TableVersion;
import io.alignloss.error.AlignLossException;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** The version of a Delta input a run reads, from the table's history ({@code DESCRIBE HISTORY}). */
final class DeltaTables {
    private DeltaTables() {
    }

    /**
     * {@code version} when it is in the history; for {@code as-of}, the last version committed at or before it;
     * else the current version.
     */
    static TableVersion resolve(SparkSession spark, InputConfig input) {
        DeltaTable table;
        try {
            table = DeltaTable.forPath(spark, input.path());
        }
        catch (Exception e) { // AnalysisException (not a Delta table, no such path): checked, thrown undeclared
            throw InputTables.notFound(input, "no Delta table there (" + InputTables.firstLine(e.getMessage()) + ")", e);
        }
        InputSource source = input.source();
        Dataset<Row> history = table.history().select(col("version"), col("timestamp"));
        Dataset<Row> chosen;
        if (source.version().isPresent()) {
            chosen = history.filter(col("version").equalTo(lit(source.version().get())));
        }
        else if (source.asOf().isPresent()) {
            chosen = history.filter(col("timestamp").leq(lit(Timestamp.from(source.asOf().get())))).orderBy(col("version").desc());
        }
        else {
            chosen = history.orderBy(col("version").desc());
        }
        List<Row> rows = chosen.limit(1).collectAsList();
        if (rows.isEmpty()) {
            throw missingVersion(input, history);
        }
        String location = table.detail().select("location").first().getString(0);
        return new TableVersion(TableFormat.DELTA, location, Optional.empty(), Optional.of(rows.get(0).getLong(0)), Optional.empty(),
                rows.get(0).getTimestamp(1).toInstant());
    }

    private static AlignLossException missingVersion(InputConfig input, Dataset<Row> history) {
        Row range = history.agg(org.apache.spark.sql.functions.min("version"), org.apache.spark.sql.functions.max("version"),
                org.apache.spark.sql.functions.min("timestamp")).first();
        InputSource source = input.source();
        String asked = source.version().map(version -> "version " + version + " does not exist")
                .orElseGet(() -> "no version was committed at or before as-of " + source.asOf().orElseThrow());
        return InputTables.notFound(input, format("%s (versions %d to %d, the first committed %s)", asked, range.getLong(0), range.getLong(1),
                range.getTimestamp(2).toInstant()), null);
    }
}
