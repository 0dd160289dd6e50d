package io.alignloss.leaderboard;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * The battles input: Parquet with string columns {@code model_a}, {@code model_b} and {@code winner}. Each row is
 * accepted or rejected with a reason; accepted rows are counted per unique (model_a, model_b, winner) in one Spark
 * aggregation (the rejects collapse to one row per reason in the same pass), so only those counts reach the driver.
 * With style features ({@link #withStyle}) the unique key also holds each feature's per-battle value, so the
 * outcomes are in effect per battle.
 */
public final class BattleTable {
    private static final Logger LOG = LoggerFactory.getLogger(BattleTable.class);

    public static final String MODEL_A = "model_a";
    public static final String MODEL_B = "model_b";
    public static final String WINNER = "winner";
    public static final String REASON = "reason";

    /** A model name is null or blank. */
    public static final String MISSING_MODEL = "missing_model";
    /** model_a equals model_b. */
    public static final String SAME_MODEL = "same_model";
    /** winner is null or not one of {@link Winner#strings()}. */
    public static final String UNKNOWN_WINNER = "unknown_winner";
    /** With --style: a style feature of either side is null (text or number), NaN, infinite or negative. */
    public static final String MISSING_STYLE = "missing_style";

    private final Dataset<Row> rows;
    private final String path;
    private final List<StyleFeature> style;
    /** The input's columns (rows may also hold the style values, computed once per row). */
    private final List<String> inputColumns;

    private BattleTable(Dataset<Row> rows, String path, List<StyleFeature> style, List<String> inputColumns) {
        this.rows = rows;
        this.path = path;
        this.style = List.copyOf(style);
        this.inputColumns = List.copyOf(inputColumns);
    }

    /**
     * The counts the fit needs, plus what was read and rejected; with style features, {@code styles.get(k)} holds
     * outcome k's per-battle feature values (empty arrays without).
     */
    public record Counts(long rows, List<Outcome> outcomes, Map<String, Long> rejectedByReason, List<double[]> styles) {
        public Counts(long rows, List<Outcome> outcomes, Map<String, Long> rejectedByReason) {
            this(rows, outcomes, rejectedByReason, outcomes.stream().map(outcome -> new double[0]).toList());
        }

        public long rejected() {
            return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        public long accepted() {
            return rows - rejected();
        }
    }

    /** Reads the Parquet battles and checks that the three columns are there and are strings (exit 2 otherwise). */
    public static BattleTable read(SparkSession spark, String path) {
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(path);
        }
        catch (Exception e) {
            throw Failures.reading("battles", path, e);
        }
        List<String> columns = Arrays.asList(rows.columns());
        for (String name : List.of(MODEL_A, MODEL_B, WINNER)) {
            if (!columns.contains(name)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot read battles at %s: column '%s' is missing (columns: %s)", path, name, String.join(", ", columns)));
            }
            StructField field = rows.schema().apply(name);
            if (!field.dataType().equals(DataTypes.StringType)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot read battles at %s: column '%s' is %s (must be string)", path, name, field.dataType().simpleString()));
            }
        }
        return new BattleTable(rows, path, List.of(), Arrays.asList(rows.columns()));
    }

    /**
     * The same battles with the style features {@code names} ({@link StyleFeature#resolve}: numeric a_/b_ columns or
     * counts in response_a/response_b); exit 2 for an unknown name or missing columns.
     */
    public BattleTable withStyle(List<String> names) {
        // each side's value is one column, computed once per row (a text feature is a UDF; the reason and the
        // difference refer to it several times, and Spark does not inline a projected UDF into each use)
        List<StyleFeature> resolved = StyleFeature.resolve(names, rows.schema(), path);
        List<Column> columns = new ArrayList<>();
        for (String name : inputColumns) {
            columns.add(col("`" + name + "`"));
        }
        List<StyleFeature> projected = new ArrayList<>();
        for (int j = 0; j < resolved.size(); j++) {
            String a = "__alignloss_style_a_" + j;
            String b = "__alignloss_style_b_" + j;
            columns.add(resolved.get(j).a().as(a));
            columns.add(resolved.get(j).b().as(b));
            projected.add(new StyleFeature(resolved.get(j).name(), col(a), col(b)));
        }
        return new BattleTable(rows.select(columns.toArray(Column[]::new)), path, projected, inputColumns);
    }

    /** The names of the style features, in order (empty without --style). */
    public List<String> styleNames() {
        return style.stream().map(StyleFeature::name).toList();
    }

    // reason = first failed rule: missing_model, same_model, unknown_winner, missing_style (with style features); null when accepted
    Column reason() {
        Column missing = col(MODEL_A).isNull().or(trim(col(MODEL_A)).equalTo(""))
                .or(col(MODEL_B).isNull()).or(trim(col(MODEL_B)).equalTo(""));
        Column knownWinner = col(WINNER).isin(Winner.strings().toArray());
        Column reason = when(missing, lit(MISSING_MODEL))
                .when(col(MODEL_A).equalTo(col(MODEL_B)), lit(SAME_MODEL))
                .when(col(WINNER).isNull().or(knownWinner.equalTo(false)), lit(UNKNOWN_WINNER));
        if (!style.isEmpty()) {
            reason = reason.when(style.stream().map(StyleFeature::missing).reduce(Column::or).orElseThrow(), lit(MISSING_STYLE));
        }
        return reason;
    }

    /**
     * One Spark aggregation: counts per unique accepted (model_a, model_b, winner[, style values]), and per reject
     * reason. The outcomes are sorted by model_a, model_b, winner, then style values, so a seeded bootstrap repeats.
     */
    public Counts count() {
        Column accepted = col(REASON).isNull();
        List<Column> keys = new ArrayList<>(List.of(col(REASON), when(accepted, col(MODEL_A)).as(MODEL_A),
                when(accepted, col(MODEL_B)).as(MODEL_B), when(accepted, col(WINNER)).as(WINNER)));
        for (int j = 0; j < style.size(); j++) {
            keys.add(when(accepted, style.get(j).difference()).as("style_" + j));
        }
        List<Row> groups = rows.withColumn(REASON, reason())
                .groupBy(keys.toArray(Column[]::new))
                .count()
                .collectAsList();
        long total = 0;
        List<Outcome> outcomes = new ArrayList<>();
        List<double[]> styles = new ArrayList<>();
        Map<String, Long> rejected = new TreeMap<>();
        int countField = keys.size();
        for (Row group : groups) {
            long count = group.getLong(countField);
            total += count;
            if (!group.isNullAt(0)) {
                rejected.merge(group.getString(0), count, Long::sum);
                continue;
            }
            Optional<Winner> winner = Winner.parse(group.getString(3));
            outcomes.add(new Outcome(group.getString(1), group.getString(2), winner.orElseThrow(), count));
            double[] values = new double[style.size()];
            for (int j = 0; j < values.length; j++) {
                values[j] = group.getDouble(4 + j);
            }
            styles.add(values);
        }
        Comparator<Outcome> byOutcome = Comparator.comparing(Outcome::modelA).thenComparing(Outcome::modelB).thenComparing(Outcome::winner);
        Integer[] order = new Integer[outcomes.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.<Integer, Outcome>comparing(outcomes::get, byOutcome)
                .thenComparing((Integer k) -> styles.get(k), Arrays::compare));
        List<Outcome> sorted = Arrays.stream(order).map(outcomes::get).toList();
        List<double[]> sortedStyles = Arrays.stream(order).map(styles::get).toList();
        LOG.info("battles: {} rows read, {} accepted as {} unique outcomes, {} rejected {}", total, total - rejected.values()
                .stream().mapToLong(Long::longValue).sum(), outcomes.size(), rejected.values().stream().mapToLong(Long::longValue).sum(), rejected);
        return new Counts(total, sorted, rejected, sortedStyles);
    }

    /** Writes the rejected rows, every input column plus {@code reason} (an input column of that name becomes input_reason). */
    public void writeRejects(String path) {
        List<Column> columns = new ArrayList<>();
        for (String name : inputColumns) {
            columns.add(col("`" + name + "`").as(name.equals(REASON) ? "input_" + REASON : name));
        }
        columns.add(reason().as(REASON));
        Dataset<Row> selected = rows.select(columns.toArray(Column[]::new));
        selected.filter(col(REASON).isNotNull()).write().parquet(path);
    }
}
