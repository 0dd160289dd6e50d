package io.alignloss.data;

import io.alignloss.config.InputConfig;
import io.alignloss.config.InputSource;
import io.alignloss.config.TableFormat;
import io.alignloss.config.TableVersion;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.Optional;

import static java.lang.String.format;

/**
 * The snapshot of an Iceberg input a run reads: a Hadoop table at a path, or a catalog table by name; and the catalog
 * Iceberg reads and writes tables by path through.
 */
public final class IcebergTables {
    /** The catalog Iceberg's Spark source loads tables by path through; by default a Hive catalog, which needs a metastore. */
    static final String PATH_CATALOG = "spark.sql.catalog.default_iceberg";
    private IcebergTables() {
    }

    /** {@code snapshot-id} when the table has it; for {@code as-of}, the snapshot current then; else the current snapshot. */
    static TableVersion resolve(SparkSession spark, InputConfig input) {
        InputSource source = input.source();
        Table table = load(spark, input);
        Snapshot snapshot;
        if (source.snapshotId().isPresent()) {
            snapshot = table.snapshot(source.snapshotId().get());
            if (snapshot == null) {
                throw InputTables.notFound(input, format("snapshot %d does not exist (%s)", source.snapshotId().get(), known(table)), null);
            }
        }
        else if (source.asOf().isPresent()) {
            try {
                snapshot = table.snapshot(SnapshotUtil.snapshotIdAsOfTime(table, source.asOf().get().toEpochMilli()));
            }
            catch (IllegalArgumentException e) {
                throw InputTables.notFound(input, format("no snapshot was current at as-of %s (%s)", source.asOf().get(), known(table)), e);
            }
        }
        else {
            snapshot = table.currentSnapshot();
            if (snapshot == null) {
                throw InputTables.notFound(input, "the table has no snapshot (nothing was ever committed)", null);
            }
        }
        return new TableVersion(TableFormat.ICEBERG, table.location(), source.table(), Optional.empty(), Optional.of(snapshot.snapshotId()),
                Instant.ofEpochMilli(snapshot.timestampMillis()));
    }

    /**
     * Lets Iceberg read and write a Hadoop table by path: unless the session (or the config's spark block) configures
     * {@value #PATH_CATALOG}, it becomes a Hadoop catalog (a table given by path is loaded from its folder; the
     * warehouse, the folder's parent, is never written to). Iceberg's own default is a Hive catalog, which needs a
     * metastore and Hive's classes.
     */
    public static void usePathCatalog(SparkSession spark, String location) {
        if (spark.conf().getOption(PATH_CATALOG).isDefined()) {
            return;
        }
        String parent = new org.apache.hadoop.fs.Path(location).getParent().toString();
        spark.conf().set(PATH_CATALOG + ".type", "hadoop");
        spark.conf().set(PATH_CATALOG + ".warehouse", parent);
        spark.conf().set(PATH_CATALOG, "org.apache.iceberg.spark.SparkCatalog");
    }

    private static Table load(SparkSession spark, InputConfig input) {
        try {
            if (input.source().table().isPresent()) {
                return Spark3Util.loadIcebergTable(spark, input.source().table().get());
            }
            return new HadoopTables(spark.sessionState().newHadoopConf()).load(input.path());
        }
        catch (Exception e) { // NoSuchTableException, ParseException (checked, thrown undeclared), Iceberg's runtime exceptions
            throw InputTables.notFound(input, "no Iceberg table there (" + InputTables.firstLine(e.getMessage()) + ")", e);
        }
    }

    private static String known(Table table) {
        Snapshot first = null;
        int count = 0;
        for (Snapshot snapshot : table.snapshots()) {
            if (first == null || snapshot.timestampMillis() < first.timestampMillis()) {
                first = snapshot;
            }
            count++;
        }
        return first == null ? "the table has no snapshots"
                : format("%d snapshots, the first committed %s", count, Instant.ofEpochMilli(first.timestampMillis()));
    }
}
