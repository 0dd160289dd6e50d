package io.alignloss.job;

import io.alignloss.config.PerExampleTable;
import io.alignloss.config.TableFormat;
import io.alignloss.data.IcebergTables;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code output.per-example-table}: after the run's folder is published, each objective's per-example figures (read
 * back from the published {@code per_example/<objective>}, or computed again when {@code output.per-example = false})
 * go to the table {@code <path or table>_<objective>} with {@code run_id} and {@code run_date} columns, partitioned by
 * {@code run_date}, in one commit per objective:
 * <ul>
 *   <li>a nightly run ({@code run_date} set) replaces its date's partition: re-running a date does not append twice;</li>
 *   <li>any other run appends under its run's UTC start date, unless the table already holds its {@code run_id}
 *       (a repeated commit of the same run adds nothing).</li>
 * </ul>
 * A run that fails before publishing commits nothing to any table.
 */
final class PerExampleTables {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    static final String RUN_ID = "run_id";
    static final String RUN_DATE = "run_date";

    private PerExampleTables() {
    }

    /**
     * @param rows     the objective's per-example rows, without run columns
     * @param nightly  whether {@code runDate} is a nightly run's date (then its partition is replaced)
     */
    static void commit(SparkSession spark, PerExampleTable table, String objective, Dataset<Row> rows, String runId, LocalDate runDate,
            boolean nightly) {
        String location = table.location(objective);
        Dataset<Row> withRun = rows.withColumn(RUN_ID, lit(runId)).withColumn(RUN_DATE, to_date(lit(runDate.toString())));
        try {
            if (table.format() == TableFormat.DELTA) {
                commitDelta(spark, location, withRun, runId, runDate, nightly);
            }
            else if (table.table().isPresent()) {
                commitIcebergCatalog(spark, location, withRun, runId, nightly);
            }
            else {
                commitIcebergPath(spark, location, withRun, runId, nightly);
            }
        }
        catch (AlignLossException e) {
            throw e;
        }
        catch (Exception e) { // AnalysisException and the formats' exceptions: checked or not, thrown undeclared
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot commit the per-example figures of objective '%s' to %s table %s "
                    + "(the run's folder is published): %s", objective, table.format().configName(), location, e.getMessage()), e);
        }
        LOG.info("per-example figures of objective {}: committed to {} table {} (run_date {}, run_id {})", objective,
                table.format().configName(), location, runDate, runId);
    }

    private static void commitDelta(SparkSession spark, String location, Dataset<Row> rows, String runId, LocalDate runDate, boolean nightly) {
        boolean exists = io.delta.tables.DeltaTable.isDeltaTable(spark, location);
        if (nightly) {
            rows.write().format("delta").mode("overwrite").partitionBy(RUN_DATE)
                    .option("replaceWhere", format("%s = DATE'%s'", RUN_DATE, runDate)).save(location);
        }
        else if (!exists || !holds(spark.read().format("delta").load(location), runId)) {
            rows.write().format("delta").mode("append").partitionBy(RUN_DATE).save(location);
        }
    }

    private static void commitIcebergCatalog(SparkSession spark, String name, Dataset<Row> rows, String runId, boolean nightly)
            throws Exception {
        if (!spark.catalog().tableExists(name)) {
            rows.writeTo(name).using("iceberg").partitionedBy(col(RUN_DATE)).create();
        }
        else if (nightly) {
            rows.writeTo(name).overwritePartitions();
        }
        else if (!holds(spark.table(name), runId)) {
            rows.writeTo(name).append();
        }
    }

    private static void commitIcebergPath(SparkSession spark, String location, Dataset<Row> rows, String runId, boolean nightly) {
        Configuration conf = spark.sessionState().newHadoopConf();
        HadoopTables tables = new HadoopTables(conf);
        if (!tables.exists(location)) {
            Schema schema = SparkSchemaUtil.convert(rows.schema());
            tables.create(schema, PartitionSpec.builderFor(schema).identity(RUN_DATE).build(), new Path(location).toString());
        }
        IcebergTables.usePathCatalog(spark, location);
        if (nightly) {
            rows.write().format("iceberg").mode("overwrite").option("overwrite-mode", "dynamic").save(location);
        }
        else if (!holds(spark.read().format("iceberg").load(location), runId)) {
            rows.write().format("iceberg").mode("append").save(location);
        }
    }

    private static boolean holds(Dataset<Row> table, String runId) {
        return !table.filter(col(RUN_ID).equalTo(runId)).limit(1).isEmpty();
    }
}
