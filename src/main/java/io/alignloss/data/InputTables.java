package io.alignloss.data;

import io.alignloss.config.InputConfig;
import io.alignloss.config.InputSource;
import io.alignloss.config.TableFormat;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

import static java.lang.String.format;

/**
 * Reads an input in its format ({@code inputs.<name>.format}): Parquet files, or a Delta or Iceberg table at the
 * version the run resolved once, at its start ({@link #pin}), so that a writer committing during the run cannot split
 * it; then applies {@code inputs.<name>.filter}, which Spark pushes down to the scan (filtered rows are never read).
 * The Delta and Iceberg code lives in {@link DeltaTables} and {@link IcebergTables}, loaded only for such inputs: a
 * cluster without those libraries runs Parquet inputs as before.
 */
public final class InputTables {
    private InputTables() {
    }

    /**
     * The input pinned to the table version it asks for ({@code version}, {@code snapshot-id}, {@code as-of}), else the
     * current one; a Parquet input as it is, once checked not to be a Delta or Iceberg table's folder.
     *
     * @throws AlignLossException exit 2 when the table is missing, the version does not exist or the format does not match
     */
    public static InputConfig pin(SparkSession spark, InputConfig input) {
        InputSource source = input.source();
        if (source.resolved().isPresent()) {
            return input;
        }
        return switch (source.format()) {
            case PARQUET -> {
                checkNotTable(spark, input);
                yield input;
            }
            case DELTA -> input.pinned(DeltaTables.resolve(spark, input));
            case ICEBERG -> input.pinned(IcebergTables.resolve(spark, input));
        };
    }

    /** The input's rows at its pinned version (pinning it first when it is not), filtered by its {@code filter}. */
    public static Dataset<Row> read(SparkSession spark, InputConfig input) {
        InputConfig pinned = pin(spark, input);
        Dataset<Row> raw;
        if (pinned.source().format() == TableFormat.ICEBERG && pinned.source().table().isEmpty()) {
            IcebergTables.usePathCatalog(spark, pinned.path());
        }
        try {
            raw = switch (pinned.source().format()) {
                case PARQUET -> spark.read().parquet(pinned.path());
                case DELTA -> spark.read().format("delta").option("versionAsOf", pinned.source().resolved().orElseThrow().version().orElseThrow())
                        .load(pinned.path());
                case ICEBERG -> spark.read().format("iceberg")
                        .option("versionAsOf", pinned.source().resolved().orElseThrow().snapshotId().orElseThrow()).load(pinned.path());
            };
        }
        catch (Exception e) { // AnalysisException is a checked exception that Scala throws undeclared
            throw Failures.reading(format("input '%s'", input.name()), input.path(), e);
        }
        if (pinned.source().filter().isEmpty()) {
            return raw;
        }
        String filter = pinned.source().filter().get();
        try {
            return raw.filter(filter); // parsed and analysed here: a bad predicate fails before any scan
        }
        catch (Exception e) { // ParseException, AnalysisException: checked, thrown undeclared
            throw new AlignLossException(ErrorCode.CONFIG, format("Invalid 'inputs.%s.filter': \"%s\" is not a Spark SQL predicate over "
                    + "the input's columns: %s", input.name(), filter, firstLine(e.getMessage())), e);
        }
    }

    /**
     * A Parquet input whose folder is a Delta table ({@code _delta_log}) or an Iceberg table ({@code metadata/}) is a
     * format that does not match the path: read as Parquet it would mix every version's files.
     */
    private static void checkNotTable(SparkSession spark, InputConfig input) {
        Path root = new Path(input.path());
        try {
            FileSystem fs = root.getFileSystem(spark.sessionState().newHadoopConf());
            if (fs.exists(new Path(root, "_delta_log"))) {
                throw mismatch(input, TableFormat.DELTA);
            }
            if (fs.exists(new Path(root, "metadata/version-hint.text"))) {
                throw mismatch(input, TableFormat.ICEBERG);
            }
        }
        catch (IOException | IllegalArgumentException e) {
            // a glob or an unreachable path: Spark's own read reports it
        }
    }

    private static AlignLossException mismatch(InputConfig input, TableFormat actual) {
        return new AlignLossException(ErrorCode.CONFIG, format("Cannot read input '%s' (%s) as parquet: it is a %s table (set inputs.%s.format "
                + "= %s; read as Parquet files it would mix the files of every version)", input.name(), input.path(), actual.configName(),
                input.name(), actual.configName()));
    }

    static AlignLossException notFound(InputConfig input, String why, Throwable cause) {
        return new AlignLossException(ErrorCode.CONFIG, format("Cannot read input '%s' (%s) as %s: %s", input.name(), input.path(),
                input.source().format().configName(), why), cause);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
