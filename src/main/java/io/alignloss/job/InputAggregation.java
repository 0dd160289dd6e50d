package io.alignloss.job;

import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
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

import static java.lang.String.format;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * One scan of an input computes everything the summary needs: rows read, rejects per reason and, per
 * objective, the additive loss sums of every combination of group values (Deequ's "compute it once":
 * one {@code groupBy().agg()}). Overall and per-group figures are then sums of cells on the driver, so
 * they agree exactly, and the result does not depend on partitioning beyond floating-point summation order.
 */
public final class InputAggregation {
    /** Most group-value combinations an input may have; more means a group column is not categorical. */
    public static final int MAX_CELLS = 100_000;
    /** Text standing for a null group value in the summary. */
    public static final String NULL_GROUP = "(null)";

    private static final String[] CORE = {"count", "sw", "swx", "swy", "sw2x2", "sw2xy", "sw2y2"};

    private InputAggregation() {
    }

    public static InputStats run(PreparedInput input, List<Objective> objectives) {
        List<Column> projected = new ArrayList<>();
        List<String> groups = input.groupColumns();
        for (int g = 0; g < groups.size(); g++) {
            projected.add(coalesce(PreparedInput.column(groups.get(g)), lit(NULL_GROUP)).as("g" + g));
        }
        projected.add(col(PreparedInput.REASONS));
        projected.add(col(InputContract.WEIGHT).as("w"));
        for (int o = 0; o < objectives.size(); o++) {
            Objective objective = objectives.get(o);
            projected.add(objective.lossNumerator().as("o" + o + "_y"));
            projected.add(objective.lossDenominator().as("o" + o + "_x"));
            int s = 0;
            for (Column value : objective.sums().values()) {
                projected.add(value.as("o" + o + "_s" + s++));
            }
        }
        Dataset<Row> values = input.rows().select(projected.toArray(Column[]::new));

        Column accepted = PreparedInput.accepted();
        Column w = col("w");
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)).as("rows"));
        aggregates.add(count(when(not(accepted), 1)).as("rejected"));
        for (int r = 0; r < input.ruleCodes().size(); r++) {
            aggregates.add(count(when(array_contains(col(PreparedInput.REASONS), input.ruleCodes().get(r)), 1)).as("r" + r));
        }
        for (int o = 0; o < objectives.size(); o++) {
            Column y = col("o" + o + "_y");
            Column x = col("o" + o + "_x");
            aggregates.add(count(when(accepted, 1)).as("o" + o + "_count"));
            aggregates.add(acceptedSum(accepted, w, "o" + o + "_sw"));
            aggregates.add(acceptedSum(accepted, w.multiply(x), "o" + o + "_swx"));
            aggregates.add(acceptedSum(accepted, w.multiply(y), "o" + o + "_swy"));
            aggregates.add(acceptedSum(accepted, w.multiply(w).multiply(x).multiply(x), "o" + o + "_sw2x2"));
            aggregates.add(acceptedSum(accepted, w.multiply(w).multiply(x).multiply(y), "o" + o + "_sw2xy"));
            aggregates.add(acceptedSum(accepted, w.multiply(w).multiply(y).multiply(y), "o" + o + "_sw2y2"));
            for (int s = 0; s < objectives.get(o).sums().size(); s++) {
                aggregates.add(acceptedSum(accepted, col("o" + o + "_s" + s), "o" + o + "_s" + s));
            }
        }
        Column first = aggregates.get(0);
        Column[] rest = aggregates.subList(1, aggregates.size()).toArray(Column[]::new);
        Dataset<Row> cells = groups.isEmpty()
                ? values.agg(first, rest)
                : values.groupBy(groupColumns(groups.size())).agg(first, rest);
        List<Row> rows = cells.limit(MAX_CELLS + 1).collectAsList();
        if (rows.size() > MAX_CELLS) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Cannot compute per-group figures for input '%s': group columns %s have more than %,d distinct combinations; "
                            + "group by categorical columns", input.name(), groups, MAX_CELLS));
        }
        return parse(rows, input, objectives);
    }

    private static Column acceptedSum(Column accepted, Column value, String name) {
        return coalesce(sum(when(accepted, value)), lit(0.0)).as(name);
    }

    private static Column[] groupColumns(int count) {
        Column[] columns = new Column[count];
        for (int g = 0; g < count; g++) {
            columns[g] = col("g" + g);
        }
        return columns;
    }

    private static InputStats parse(List<Row> rows, PreparedInput input, List<Objective> objectives) {
        long total = 0;
        long rejected = 0;
        Map<String, Long> byReason = new LinkedHashMap<>();
        Map<String, List<InputStats.Cell>> cells = new LinkedHashMap<>();
        objectives.forEach(objective -> cells.put(objective.name(), new ArrayList<>()));
        for (Row row : rows) {
            total += row.<Long>getAs("rows");
            rejected += row.<Long>getAs("rejected");
            for (int r = 0; r < input.ruleCodes().size(); r++) {
                byReason.merge(input.ruleCodes().get(r), row.<Long>getAs("r" + r), Long::sum);
            }
            List<String> key = new ArrayList<>();
            for (int g = 0; g < input.groupColumns().size(); g++) {
                key.add(row.getAs("g" + g));
            }
            for (int o = 0; o < objectives.size(); o++) {
                Objective objective = objectives.get(o);
                String prefix = "o" + o + "_";
                LossStats stats = LossStats.empty().addSums(row.<Long>getAs(prefix + CORE[0]),
                        row.<Double>getAs(prefix + CORE[1]), row.<Double>getAs(prefix + CORE[2]),
                        row.<Double>getAs(prefix + CORE[3]), row.<Double>getAs(prefix + CORE[4]),
                        row.<Double>getAs(prefix + CORE[5]), row.<Double>getAs(prefix + CORE[6]));
                int s = 0;
                for (String name : objective.sums().keySet()) {
                    stats.addSum(name, toDouble(row.getAs(prefix + "s" + s++)));
                }
                cells.get(objective.name()).add(new InputStats.Cell(List.copyOf(key), stats));
            }
        }
        byReason.entrySet().removeIf(entry -> entry.getValue() == 0);
        return new InputStats(total, rejected, byReason, input.groupColumns(), cells);
    }

    private static double toDouble(Object value) {
        return value == null ? 0.0 : ((Number) value).doubleValue();
    }
}
