package io.alignloss.job;

import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Cell;
import io.alignloss.diagnostics.Resampling;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.LossStats;
import io.alignloss.objective.Objective;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * One scan of an input computes everything the summary needs: rows read, rows rejected and, per objective,
 * the additive loss sums of every combination of group values (Deequ's "compute it once": one
 * {@code groupBy().agg()}). Overall and per-group figures are then sums of cells on the driver, so they
 * agree exactly, and the result does not depend on partitioning beyond floating-point summation order.
 *
 * <p>Only distinct sums are computed: without a weight column {@code w = 1}, and for a mean over examples
 * {@code x = 1}, so e.g. {@code Σw·x} is the count and {@code Σw²·x·y} is {@code Σy}. Reject counts by
 * reason are not computed here: they come from the (small) rejects output, written only when there are
 * rejects.
 *
 * <p>Cells are also keyed by a resampling bucket from a seeded hash of the row's {@code id} (see
 * {@link Resampling}), so the bootstrap and the estimator learning curve need no further pass and do not
 * depend on partitioning.
 */
public final class InputAggregation {
    /** Most cells (group-value combinations × resampling buckets) an input may have. */
    public static final int MAX_CELLS = 2_000_000;
    /** Text standing for a null group value in the summary. */
    public static final String NULL_GROUP = "(null)";

    private InputAggregation() {
    }

    /** The aggregate column names that hold one objective's seven core sums. */
    private record CoreSums(String count, String w, String wx, String wy, String w2x2, String w2xy, String w2y2) {
    }

    /** Collects distinct aggregate expressions, naming each once. */
    private static final class Aggregates {
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private final List<Column> columns = new ArrayList<>();

        String add(Column aggregate) {
            String key = aggregate.toString();
            return aliases.computeIfAbsent(key, ignored -> {
                String alias = "a" + columns.size();
                columns.add(aggregate.as(alias));
                return alias;
            });
        }
    }

    /**
     * @param weighted whether the input has a weight column (else w = 1)
     * @param seed     seeds the hash of {@code id} that assigns rows to resampling buckets
     * @param resample whether any objective wants bootstrap intervals and the learning curve; without, every
     *                 row is in bucket 0 and the hash is not computed
     */
    public static InputStats run(PreparedInput input, List<Objective> objectives, boolean weighted, long seed, boolean resample) {
        List<Column> projected = new ArrayList<>();
        List<String> groups = input.groupColumns();
        for (int g = 0; g < groups.size(); g++) {
            projected.add(coalesce(PreparedInput.column(groups.get(g)), lit(NULL_GROUP)).as("g" + g));
        }
        projected.add((resample ? Resampling.bucket(input.bucketHash(seed)) : lit(0)).as("b"));
        projected.add(input.accepted().as("accepted"));
        if (weighted) {
            projected.add(col(InputContract.WEIGHT).as("w"));
        }
        for (int o = 0; o < objectives.size(); o++) {
            Objective objective = objectives.get(o);
            projected.add(objective.lossNumerator().as("o" + o + "_y"));
            Optional<Column> denominator = objective.lossDenominator();
            if (denominator.isPresent()) {
                projected.add(denominator.get().as("o" + o + "_x"));
            }
            int s = 0;
            for (Column value : objective.sums().values()) {
                projected.add(value.as("o" + o + "_s" + s++));
            }
        }
        Dataset<Row> values = input.rows().select(projected.toArray(Column[]::new));

        Column accepted = col("accepted");
        Aggregates aggregates = new Aggregates();
        String rows = aggregates.add(count(lit(1)));
        String rejected = aggregates.add(count(when(not(accepted), 1)));
        String acceptedCount = aggregates.add(count(when(accepted, 1)));
        List<CoreSums> core = new ArrayList<>();
        List<List<String>> extras = new ArrayList<>();
        Optional<Column> w = weighted ? Optional.of(col("w")) : Optional.empty();
        for (int o = 0; o < objectives.size(); o++) {
            Column y = col("o" + o + "_y");
            Optional<Column> x = objectives.get(o).lossDenominator().isPresent() ? Optional.of(col("o" + o + "_x")) : Optional.empty();
            Optional<Column> w2 = w.map(weight -> weight.multiply(weight));
            String sw = w.map(weight -> aggregates.add(acceptedSum(accepted, weight))).orElse(acceptedCount);
            String sw2 = w2.map(square -> aggregates.add(acceptedSum(accepted, square))).orElse(acceptedCount);
            core.add(new CoreSums(acceptedCount,
                    sw,
                    x.map(d -> aggregates.add(acceptedSum(accepted, times(w, d)))).orElse(sw),
                    aggregates.add(acceptedSum(accepted, times(w, y))),
                    x.map(d -> aggregates.add(acceptedSum(accepted, times(w2, d.multiply(d))))).orElse(sw2),
                    aggregates.add(acceptedSum(accepted, times(w2, x.map(y::multiply).orElse(y)))),
                    aggregates.add(acceptedSum(accepted, times(w2, y.multiply(y))))));
            List<String> objectiveExtras = new ArrayList<>();
            for (int s = 0; s < objectives.get(o).sums().size(); s++) {
                objectiveExtras.add(aggregates.add(acceptedSum(accepted, col("o" + o + "_s" + s))));
            }
            extras.add(objectiveExtras);
        }
        Column first = aggregates.columns.get(0);
        Column[] rest = aggregates.columns.subList(1, aggregates.columns.size()).toArray(Column[]::new);
        Dataset<Row> cells = values.groupBy(groupColumns(groups.size())).agg(first, rest);
        List<Row> collected = fewShufflePartitions(input.rows().sparkSession(), () -> cells.limit(MAX_CELLS + 1).collectAsList());
        if (collected.size() > MAX_CELLS) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Cannot compute per-group figures for input '%s': group columns %s have more than %,d distinct combinations; "
                            + "group by categorical columns", input.name(), groups, MAX_CELLS / Resampling.BUCKETS));
        }

        long total = 0;
        long rejectedTotal = 0;
        Map<String, List<Cell>> byObjective = new LinkedHashMap<>();
        objectives.forEach(objective -> byObjective.put(objective.name(), new ArrayList<>()));
        for (Row row : collected) {
            total += row.<Long>getAs(rows);
            rejectedTotal += row.<Long>getAs(rejected);
            List<String> key = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                key.add(row.getAs("g" + g));
            }
            int bucket = row.<Integer>getAs("b");
            for (int o = 0; o < objectives.size(); o++) {
                Objective objective = objectives.get(o);
                CoreSums sums = core.get(o);
                LossStats stats = LossStats.empty().addSums(row.<Long>getAs(sums.count()),
                        number(row, sums.w()), number(row, sums.wx()), number(row, sums.wy()),
                        number(row, sums.w2x2()), number(row, sums.w2xy()), number(row, sums.w2y2()));
                int s = 0;
                for (String name : objective.sums().keySet()) {
                    stats.addSum(name, number(row, extras.get(o).get(s++)));
                }
                byObjective.get(objective.name()).add(new Cell(List.copyOf(key), bucket, stats));
            }
        }
        return new InputStats(total, rejectedTotal, groups, byObjective);
    }

    /**
     * Runs an aggregation whose result is small (cells) with few shuffle partitions: the default 200 makes
     * every map task write 200 shuffle blocks for a few thousand rows, which costs more than the aggregation.
     */
    static <T> T fewShufflePartitions(org.apache.spark.sql.SparkSession spark, java.util.function.Supplier<T> work) {
        String key = "spark.sql.shuffle.partitions";
        String previous = spark.conf().get(key);
        int partitions = Math.max(1, Math.min(Integer.parseInt(previous), spark.sparkContext().defaultParallelism()));
        spark.conf().set(key, partitions);
        try {
            return work.get();
        }
        finally {
            spark.conf().set(key, previous);
        }
    }

    // Σ over accepted rows (rejected rows add 0, so the aggregation buffer never holds null)
    private static Column acceptedSum(Column accepted, Column value) {
        return sum(when(accepted, value).otherwise(0));
    }

    private static Column times(Optional<Column> factor, Column value) {
        return factor.map(f -> f.multiply(value)).orElse(value);
    }

    private static double number(Row row, String alias) {
        Object value = row.getAs(alias);
        return value == null ? 0.0 : ((Number) value).doubleValue();
    }

    private static Column[] groupColumns(int count) {
        Column[] columns = new Column[count + 1];
        for (int g = 0; g < count; g++) {
            columns[g] = col("g" + g);
        }
        columns[count] = col("b");
        return columns;
    }
}
