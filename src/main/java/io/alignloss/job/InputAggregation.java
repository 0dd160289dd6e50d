package io.alignloss.job;

import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Cell;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.Objective;
import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * One scan of an input computes everything the summary needs: rows read, rows rejected and, per objective,
 * the additive loss sums of every combination of group values (Deequ's "compute it once"). Overall and
 * per-group figures are then sums of cells on the driver, so they agree exactly, and the result does not
 * depend on partitioning beyond floating-point summation order.
 *
 * <p>Spark SQL computes each row's values (group values, bucket, rule verdict, loss terms) in one generated
 * projection; {@link CellAccumulator} then sums them per partition, keyed by the group values with every
 * resampling bucket in one buffer, and a small {@code reduceByKey} merges the partitions' cells. A
 * {@code groupBy(groups, bucket).agg(…)} computed the same sums, but Spark's partial hash aggregation over
 * groups × 100 bucket keys cost ~40% of the scan (profiled: key comparisons and row offsets in
 * {@code doAggregateWithKeys}); with the bucket as an array index the bootstrap costs only its hash.
 *
 * <p>Only distinct sums are kept: without a weight column {@code w = 1}, and for a mean over examples
 * {@code x = 1}. Reject counts by reason are not computed here: they come from the (small) rejects output,
 * written only when there are rejects.
 *
 * <p>Cells are keyed by a resampling bucket from a seeded hash of the row's {@code id} (see
 * {@link Resampling}), so the bootstrap and the estimator learning curve need no further pass and do not
 * depend on partitioning.
 *
 * <p>The same scan counts the clusters the bootstrap resamples (when asked): the distinct bucket hashes of the
 * accepted rows, sent per bucket next to the cells and united per bucket in the same {@code reduceByKey}.
 */
public final class InputAggregation {
    /**
     * Most group-value combinations an input may have: each holds a buffer of 100 buckets in every task that
     * sees it, and its cells go to the driver.
     */
    public static final int MAX_GROUPS = 20_000;
    /*
     * Memory besides the group buffers: counting clusters keeps, per task, the distinct bucket hashes its
     * partition's accepted rows have (8 bytes a distinct cluster, in per-bucket arrays of at most 16/3 × their
     * distinct hashes: up to 43 bytes), then sends them per bucket (8 bytes a cluster without repeats, at most 32); a
     * reduce task holds its buckets' hashes from every partition and, for the bucket it counts, their concatenation and
     * a sort buffer (3 × as much). A partition of 10 million distinct clusters needs up to ~430 MB of task memory for
     * its arrays.
     */
    /** Text standing for a null group value in the summary. */
    public static final String NULL_GROUP = "(null)";

    private InputAggregation() {
    }

    /**
     * @param weighted whether the input has a weight column (else w = 1)
     * @param seed     seeds the hash of {@code id} that assigns rows to resampling buckets
     * @param resample whether any objective wants bootstrap intervals and the learning curve; without, every
     *                 row is in bucket 0 and the hash is not computed
     */
    public static InputStats run(PreparedInput input, List<Objective> objectives, boolean weighted, long seed, boolean resample) {
        return run(input, objectives, weighted, seed, resample, false);
    }

    /**
     * As {@link #run(PreparedInput, List, boolean, long, boolean)}, and with {@code countClusters} also the number
     * of clusters the bootstrap resamples ({@link InputStats#clusters}): distinct values of the bucket hash
     * {@code xxhash64(seed, string(cluster value))} among the accepted rows (a null value is one cluster). Two
     * values whose 64-bit hashes collide (probability about G²/2^65: 3·10⁻⁶ for ten million clusters) share every
     * bucket and move together in every replicate, so this counts exactly the units the bootstrap resamples.
     *
     * <p>Counted in the scan: each task keeps its distinct hashes ({@link DistinctHashes}) and sends them per bucket;
     * the scan's {@code reduceByKey} collects each bucket's from all partitions, counts the distinct ones with one sort
     * ({@link CellAccumulator.ClusterHashes}) and only the 100 counts come to the driver. Requires a cluster column and {@code resample}.
     */
    public static InputStats run(PreparedInput input, List<Objective> objectives, boolean weighted, long seed, boolean resample,
                                 boolean countClusters) {
        checkClusterCounting(input, resample, countClusters);
        Projection projection = Projection.of(input, objectives, weighted, seed, resample);
        List<String> groups = input.groupColumns();
        CellAccumulator accumulator = new CellAccumulator(groups.size(), projection.weight(), projection.numerators(),
                projection.denominators(), projection.extras(), MAX_GROUPS, countClusters);
        Scanned scanned = scan(input.rows().select(projection.columns()), accumulator);
        checkGroupCount(input, scanned.groups());
        Map<String, List<Cell>> cells = cellsByObjective(scanned.groups(), objectives, projection.sumNames(), accumulator);
        return new InputStats(scanned.rows(), scanned.rejected(), groups, cells,
                countClusters ? OptionalLong.of(scanned.clusters()) : OptionalLong.empty());
    }

    private static void checkClusterCounting(PreparedInput input, boolean resample, boolean countClusters) {
        if (countClusters && (input.clusterColumn().isEmpty() || !resample)) {
            throw new IllegalArgumentException(format("Cannot count clusters of input '%s': %s", input.name(),
                    input.clusterColumn().isEmpty() ? "it has cluster = none" : "its rows are not hashed into buckets"));
        }
    }

    /**
     * The scan's projection, columns {@code c0, c1, …}: the group values (null as {@link #NULL_GROUP}), the bucket hash
     * (0 without resampling), the rule verdict, the weight when there is one, then per objective its loss numerator, its
     * denominator when it has one and its extra sums; the index arrays say where each objective's values are.
     *
     * @param weight       index of the weight column, -1 without one
     * @param denominators per objective, the index of its denominator column, -1 without one
     * @param sumNames     per objective, the names of its extra sums in the order of {@code extras}
     */
    private record Projection(Column[] columns, int weight, int[] numerators, int[] denominators, int[][] extras,
            List<List<String>> sumNames) {
        static Projection of(PreparedInput input, List<Objective> objectives, boolean weighted, long seed, boolean resample) {
            List<Column> projected = new ArrayList<>();
            List<String> groups = input.groupColumns();
            for (int g = 0; g < groups.size(); g++) {
                projected.add(coalesce(PreparedInput.column(groups.get(g)).cast("string"), lit(NULL_GROUP)));
            }
            // the hash in the generated projection reads the key's bytes in place; copying the key into the row for a
            // hash in Java cost ~7% more of the scan's CPU time
            projected.add(resample ? input.bucketHash(seed) : lit(0L));
            projected.add(input.accepted());
            int weight = weighted ? projected.size() : -1;
            if (weighted) {
                projected.add(col(InputContract.WEIGHT).cast("double"));
            }
            int[] numerators = new int[objectives.size()];
            int[] denominators = new int[objectives.size()];
            int[][] extras = new int[objectives.size()][];
            // once per objective: sums() builds Spark columns, which cost ~0.3 ms a call (0.15 s over 500 cells)
            List<Map<String, Column>> sums = objectives.stream().map(Objective::sums).toList();
            for (int o = 0; o < objectives.size(); o++) {
                Objective objective = objectives.get(o);
                numerators[o] = projected.size();
                projected.add(objective.lossNumerator().cast("double"));
                Optional<Column> denominator = objective.lossDenominator();
                denominators[o] = denominator.isPresent() ? projected.size() : -1;
                denominator.ifPresent(x -> projected.add(x.cast("double")));
                extras[o] = new int[sums.get(o).size()];
                int s = 0;
                for (Column value : sums.get(o).values()) {
                    extras[o][s++] = projected.size();
                    projected.add(value.cast("double"));
                }
            }
            Column[] columns = new Column[projected.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = projected.get(i).as("c" + i);
            }
            return new Projection(columns, weight, numerators, denominators, extras,
                    sums.stream().map(named -> List.copyOf(named.keySet())).toList());
        }
    }

    /** What the scan brought back: each group's cells, and the clusters counted (0 when not asked). */
    private record Scanned(List<Tuple2<List<String>, CellAccumulator.GroupCells>> groups, long clusters) {
        long rows() {
            return groups.stream().mapToLong(group -> group._2().rows()).sum();
        }

        long rejected() {
            return groups.stream().mapToLong(group -> group._2().rejected()).sum();
        }
    }

    /** The scan: per-partition cells ({@link CellAccumulator#accumulate}), merged per key by a small {@code reduceByKey}. */
    private static Scanned scan(Dataset<Row> values, CellAccumulator accumulator) {
        SparkSession spark = values.sparkSession();
        int partitions = Math.max(1, Math.min(Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")),
                spark.sparkContext().defaultParallelism()));
        List<Tuple2<CellAccumulator.ScanKey, CellAccumulator.Part>> parts = values.queryExecution().toRdd().toJavaRDD()
                .mapPartitionsToPair(accumulator::accumulate)
                .reduceByKey(CellAccumulator.Part::merge, partitions)
                .mapValues(CellAccumulator.Part::collected)
                .collect();
        List<Tuple2<List<String>, CellAccumulator.GroupCells>> collected = new ArrayList<>();
        long clusters = 0;
        for (Tuple2<CellAccumulator.ScanKey, CellAccumulator.Part> part : parts) {
            if (part._1().isClusters()) {
                clusters += ((CellAccumulator.ClusterCount) part._2()).count();
            } else {
                collected.add(new Tuple2<>(part._1().group(), (CellAccumulator.GroupCells) part._2()));
            }
        }
        return new Scanned(collected, clusters);
    }

    private static void checkGroupCount(PreparedInput input, List<Tuple2<List<String>, CellAccumulator.GroupCells>> collected) {
        if (collected.size() > MAX_GROUPS || collected.stream().anyMatch(group -> group._2().overflowed())) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Cannot compute per-group figures for input '%s': group columns %s have more than %,d distinct combinations; "
                            + "group by categorical columns", input.name(), input.groupColumns(), MAX_GROUPS));
        }
    }

    /** Per objective (in order), one {@link Cell} per group and bucket, read from the collected cell buffers. */
    private static Map<String, List<Cell>> cellsByObjective(List<Tuple2<List<String>, CellAccumulator.GroupCells>> collected,
            List<Objective> objectives, List<List<String>> sumNames, CellAccumulator accumulator) {
        int cellSize = accumulator.cellSize();
        Map<String, List<Cell>> byObjective = new LinkedHashMap<>();
        objectives.forEach(objective -> byObjective.put(objective.name(), new ArrayList<>()));
        for (Tuple2<List<String>, CellAccumulator.GroupCells> group : collected) {
            int[] buckets = group._2().buckets();
            double[] cells = group._2().cells();
            for (int c = 0; c < buckets.length; c++) {
                int start = c * cellSize;
                for (int o = 0; o < objectives.size(); o++) {
                    int at = start + CellAccumulator.COUNTS + accumulator.offset(o);
                    LossStats stats = LossStats.empty().addSums((long) cells[start],
                            cells[at + CellAccumulator.CoreSlots.W], cells[at + CellAccumulator.CoreSlots.WX],
                            cells[at + CellAccumulator.CoreSlots.WY], cells[at + CellAccumulator.CoreSlots.W2X2],
                            cells[at + CellAccumulator.CoreSlots.W2XY], cells[at + CellAccumulator.CoreSlots.W2Y2]);
                    int s = CellAccumulator.CoreSlots.SIZE;
                    for (String name : sumNames.get(o)) {
                        stats.addSum(name, cells[at + s++]);
                    }
                    byObjective.get(objectives.get(o).name()).add(new Cell(group._1(), buckets[c], stats));
                }
            }
        }
        return byObjective;
    }
}
