package io.alignloss.compare;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.stats.Resampling;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.alignloss.output.PerExampleColumns.CLUSTER_KEY;
import static io.alignloss.output.PerExampleColumns.CORRECT;
import static io.alignloss.output.PerExampleColumns.ID;
import static io.alignloss.output.PerExampleColumns.LOSS;
import static io.alignloss.output.PerExampleColumns.LOSS_DENOMINATOR;
import static io.alignloss.output.PerExampleColumns.WEIGHT;
import static java.lang.String.format;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The rows of one objective that both runs scored: the two {@code per_example/<objective>/} tables joined on
 * {@code id} (a full outer join, so that ids in one run only are counted), reduced in Spark to the bounded
 * {@link PairedSums} of every cell: rows → clusters (sums per cluster key) → buckets ({@code xxhash64(seed, key) mod
 * 100}, as evaluate hashes its cluster values). Only the cells' bucket rows (at most 100 per cell) reach the driver.
 */
final class PairedRows {
    /**
     * How the ids paired, and the cells.
     *
     * @param matched         ids in both runs
     * @param onlyInA         ids in run a only
     * @param onlyInB         ids in run b only
     * @param incomplete      matched rows left out: a null loss, weight or denominator in either run
     * @param clusterMismatch matched rows whose cluster keys differ between the runs (run a's is used)
     * @param mcnemar         whether both runs have {@code correct}
     * @param cells           the sums of every cell, overall first
     */
    record Pairing(long matched, long onlyInA, long onlyInB, long incomplete, long clusterMismatch, boolean mcnemar,
            Map<CellKey, PairedSums> cells) {
    }

    private PairedRows() {
    }

    static Pairing pair(SparkSession spark, String objective, String pathA, String pathB, List<String> groups, long seed) {
        Dataset<Row> a = spark.read().parquet(pathA);
        Dataset<Row> b = spark.read().parquet(pathB);
        requireColumns(objective, "a", a);
        requireColumns(objective, "b", b);
        boolean mcnemar = has(a, CORRECT) && has(b, CORRECT);
        List<String> groupColumns = groups.stream().filter(group -> has(a, group)).toList();

        Dataset<Row> joined = side(a, "a", mcnemar, groupColumns).join(side(b, "b", mcnemar, List.of()),
                col("id_a").equalTo(col("id_b")), "full_outer");
        Column both = col("id_a").isNotNull().and(col("id_b").isNotNull());
        Column complete = both.and(col("y_a").isNotNull()).and(col("y_b").isNotNull()).and(col("w_a").isNotNull())
                .and(col("w_b").isNotNull()).and(col("x_a").isNotNull()).and(col("x_b").isNotNull());
        // a repeated id on one side shows as more joined rows with that side's id than distinct ids
        Row counts = joined.agg(count(when(both, 1)), count(when(col("id_b").isNull(), 1)), count(when(col("id_a").isNull(), 1)),
                count(when(both.and(not(complete)), 1)), count(when(both.and(not(col("k_a").eqNullSafe(col("k_b")))), 1)),
                count(col("id_a")), countDistinct(col("id_a")), count(col("id_b")), countDistinct(col("id_b"))).first();
        requireUniqueIds(objective, "a", counts.getLong(5), counts.getLong(6));
        requireUniqueIds(objective, "b", counts.getLong(7), counts.getLong(8));

        List<Column> cells = new ArrayList<>();
        cells.add(struct(lit(CellKey.OVERALL.column()).as("c"), lit(CellKey.OVERALL.value()).as("v")));
        for (int g = 0; g < groupColumns.size(); g++) {
            cells.add(struct(lit(groupColumns.get(g)).as("c"), col("g" + g).as("v")));
        }
        Column correctA = col("c_a");
        Column correctB = col("c_b");
        Column pair = correctA.isNotNull().and(correctB.isNotNull());
        Dataset<Row> rows = joined.filter(complete)
                .select(explode(array(cells.toArray(Column[]::new))).as("cell"), col("k_a").as("k"),
                        col("w_a").multiply(col("y_a")).as("s0"), col("w_a").multiply(col("x_a")).as("s1"),
                        col("w_b").multiply(col("y_b")).as("s2"), col("w_b").multiply(col("x_b")).as("s3"),
                        when(pair, 1).otherwise(0).as("pair"),
                        when(pair.and(correctA).and(not(correctB)), 1).otherwise(0).as("only_a"),
                        when(pair.and(correctB).and(not(correctA)), 1).otherwise(0).as("only_b"));
        Dataset<Row> clusters = rows.groupBy(col("cell.c").as("c"), col("cell.v").as("v"), col("k"))
                .agg(count(lit(1)).as("n"), sum("s0").as("s0"), sum("s1").as("s1"), sum("s2").as("s2"), sum("s3").as("s3"),
                        sum("pair").as("pair"), sum("only_a").as("only_a"), sum("only_b").as("only_b"));
        List<Column> bucketSums = new ArrayList<>(List.of(sum("n"), count(lit(1)), sum("s0"), sum("s1"), sum("s2"), sum("s3"),
                sum("pair"), sum("only_a"), sum("only_b")));
        for (int s = 0; s < 4; s++) {
            for (int t = s; t < 4; t++) {
                bucketSums.add(sum(col("s" + s).multiply(col("s" + t))));
            }
        }
        List<Row> buckets = clusters.withColumn("b", Resampling.bucket(xxhash64(lit(seed), col("k"))))
                .groupBy("c", "v", "b").agg(bucketSums.get(0), bucketSums.subList(1, bucketSums.size()).toArray(Column[]::new))
                .collectAsList();

        Map<CellKey, PairedSums> sums = new LinkedHashMap<>();
        sums.put(CellKey.OVERALL, PairedSums.empty());
        for (Row row : buckets) {
            CellKey key = new CellKey(row.getString(0), row.getString(1));
            double[] four = {row.getDouble(5), row.getDouble(6), row.getDouble(7), row.getDouble(8)};
            double[][] moments = new double[4][4];
            int m = 12;
            for (int s = 0; s < 4; s++) {
                for (int t = s; t < 4; t++) {
                    moments[s][t] = row.getDouble(m++);
                    moments[t][s] = moments[s][t];
                }
            }
            sums.put(key, sums.getOrDefault(key, PairedSums.empty()).plusBucket(row.getInt(2), row.getLong(3), row.getLong(4), four,
                    moments, row.getLong(9), row.getLong(10), row.getLong(11)));
        }
        return new Pairing(counts.getLong(0), counts.getLong(1), counts.getLong(2), counts.getLong(3), counts.getLong(4), mcnemar,
                ordered(sums, groupColumns));
    }

    // overall first, then the group columns in their order and each column's values sorted
    private static Map<CellKey, PairedSums> ordered(Map<CellKey, PairedSums> sums, List<String> groupColumns) {
        Map<CellKey, PairedSums> ordered = new LinkedHashMap<>();
        ordered.put(CellKey.OVERALL, sums.get(CellKey.OVERALL));
        for (String group : groupColumns) {
            sums.keySet().stream().filter(key -> key.column().equals(group)).map(CellKey::value).sorted()
                    .forEach(value -> ordered.put(new CellKey(group, value), sums.get(new CellKey(group, value))));
        }
        return ordered;
    }

    // id, y, w, x, cluster key, correct (null unless both have it) and (run a) the group values, suffixed by side
    private static Dataset<Row> side(Dataset<Row> rows, String side, boolean mcnemar, List<String> groups) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(ID).as("id_" + side));
        columns.add(col(LOSS).cast("double").as("y_" + side));
        columns.add((has(rows, WEIGHT) ? col(WEIGHT).cast("double") : lit(1.0)).as("w_" + side));
        columns.add((has(rows, LOSS_DENOMINATOR) ? col(LOSS_DENOMINATOR).cast("double") : lit(1.0)).as("x_" + side));
        columns.add(col(CLUSTER_KEY).cast("string").as("k_" + side));
        columns.add((mcnemar ? col(CORRECT).cast("boolean") : lit(null).cast("boolean")).as("c_" + side));
        for (int g = 0; g < groups.size(); g++) {
            columns.add(coalesce(col("`" + groups.get(g).replace("`", "``") + "`").cast("string"), lit(CellKey.NULL_VALUE)).as("g" + g));
        }
        return rows.select(columns.toArray(Column[]::new));
    }

    private static void requireColumns(String objective, String side, Dataset<Row> rows) {
        for (String column : List.of(ID, LOSS, CLUSTER_KEY)) {
            if (!has(rows, column)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot compare objective '%s': run %s's per_example/%s has "
                        + "no %s column (written by an older alignloss; evaluate the run again)", objective, side, objective, column));
            }
        }
    }

    private static void requireUniqueIds(String objective, String side, long joinedRows, long distinctIds) {
        if (joinedRows != distinctIds) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot compare objective '%s': run %s's per_example/%s repeats "
                    + "ids (%d distinct ids) and compare pairs rows by id; give the input a unique id column", objective, side,
                    objective, distinctIds));
        }
    }

    private static boolean has(Dataset<Row> rows, String column) {
        return Arrays.asList(rows.columns()).contains(column);
    }
}
