package io.alignloss.diagnostics;

import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.Rules;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.bradleyterry.BradleyTerryColumns;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.summary.Json;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * Biases of preference data that let a reward model score well for the wrong reasons: preferring the longer
 * response, preferring a display position, and duplicated or contradictory pairs.
 *
 * <p>Input: the typed, accepted preference rows ({@code PreparedInput.rows().filter(input.accepted())}):
 * {@code prompt}, {@code chosen}, {@code rejected}, {@code label} (probability that {@code chosen} is
 * preferred; 0.5 a tie), {@code weight}, and optionally {@code chosen_score}/{@code rejected_score}. A row is
 * <em>decided</em> when its label is not 0.5; its preferred response is {@code chosen} for label &gt; 0.5 and
 * {@code rejected} for label &lt; 0.5. Shares and means are weighted by {@code weight}; counts are rows.
 *
 * <p>Cost: three Spark queries over the rows, each returning at most a few dozen rows to the driver (and one per
 * group value): one global aggregate (sums, extremes and percentiles), one {@code groupBy} over at most
 * {@code (LENGTH_BINS + 1) × 3} cells (length bins × position values) that needs the first one's means and
 * range, with grouping sets that give the {@link LengthBaseline} sums per group value from the same read (the only
 * query that tokenises the responses), and the {@link DuplicatePairs} count: one {@code groupBy} over an 8-byte key of
 * the unordered (prompt, response, response) pairs, and a second query over the rows of repeated keys only, when
 * there are any. The caller decides whether to cache the rows.
 */
public final class PreferenceBiases {
    /** Most bins of the margin-vs-length-difference plot; bins are whole characters wide, so fewer when the range is narrow. */
    public static final int LENGTH_BINS = 20;
    /** Percentiles of the length difference (over rows with a margin) that bound the binned range. */
    public static final double LOW_PERCENTILE = 0.01;
    public static final double HIGH_PERCENTILE = 0.99;
    /** {@code percentile_approx} accuracy: the rank error is at most 1/accuracy of the rows. */
    static final int PERCENTILE_ACCURACY = 10_000;
    /** A pairwise comparison shows its two responses in two positions. */
    static final int MAX_POSITIONS = 2;
    /** Most values of one group column the length baseline is given for (the loss figures allow as many combinations). */
    public static final int MAX_GROUP_VALUES = 20_000;

    private static final String LENGTH_DIFF = "d";
    private static final String MARGIN = "m";
    private static final String POSITION = "p";
    private static final String BIN = "bin";
    private static final String TOKEN_DIFF = "t";
    private static final String GROUP = "g";

    private PreferenceBiases() {
    }

    /**
     * @param rows           accepted preference rows (see the class comment for the columns)
     * @param positionColumn a column of {@code rows} saying in which position (e.g. "A"/"B", 0/1) the
     *                       {@code chosen} response was shown; at most two distinct values
     * @return insertion-ordered {@code length}, {@code position} (only with a position column),
     *         {@code duplicate_rate}, {@code contradictory_duplicates}
     * @throws AlignLossException (CONFIG) when the position column is missing or has more than two values
     */
    public static Map<String, Object> compute(Dataset<Row> rows, Optional<String> positionColumn) {
        return compute(rows, positionColumn, new Grouping(List.of(), "(null)", 0.95));
    }

    /**
     * Where the length baseline is also given per group, and at which confidence its intervals are.
     *
     * @param columns    the input's group columns (values read as strings)
     * @param nullValue  the value a null group value shows as (the one the loss figures use)
     * @param confidence the level of the accuracy-minus-baseline intervals
     */
    public record Grouping(List<String> columns, String nullValue, double confidence) {
        public Grouping {
            columns = List.copyOf(columns);
            requireNonNull(nullValue, "nullValue is null");
        }
    }

    /**
     * As {@link #compute(Dataset, Optional)}, with {@code length.characters}, {@code length.tokens} (the
     * {@link LengthBaseline}, overall) and {@code length.groups.<column>.<value>} (the same per value of each group
     * column of {@code grouping}).
     */
    public static Map<String, Object> compute(Dataset<Row> rows, Optional<String> positionColumn, Grouping grouping) {
        requireNonNull(rows, "rows is null");
        requireNonNull(positionColumn, "positionColumn is null");
        List<String> columns = Arrays.asList(rows.columns());
        for (String required : List.of(InputContract.PROMPT, InputContract.CHOSEN, InputContract.REJECTED,
                InputContract.LABEL, InputContract.WEIGHT)) {
            if (!columns.contains(required)) {
                throw new AlignLossException(ErrorCode.INTERNAL, format(
                        "Cannot compute preference biases: column '%s' is missing; columns present: %s", required, columns));
            }
        }
        if (positionColumn.isPresent() && !columns.contains(positionColumn.get())) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Cannot compute position bias: position column '%s' is not in the input; columns present: %s",
                    positionColumn.get(), columns));
        }
        boolean scored = columns.contains(BradleyTerryObjective.CHOSEN_SCORE) && columns.contains(BradleyTerryObjective.REJECTED_SCORE);

        List<Column> projection = new ArrayList<>();
        projection.add(col(InputContract.LABEL));
        projection.add(col(InputContract.WEIGHT));
        // d = len(chosen) − len(rejected), in characters (Unicode code points)
        projection.add(length(col(InputContract.CHOSEN)).minus(length(col(InputContract.REJECTED))).as(LENGTH_DIFF));
        if (scored) {
            // m = chosen_score − rejected_score; null unless finite (scores are only checked when an objective reads them)
            Column margin = BradleyTerryColumns.margin(col(BradleyTerryObjective.CHOSEN_SCORE).cast("double"),
                    col(BradleyTerryObjective.REJECTED_SCORE).cast("double"));
            projection.add(when(not(Rules.notFinite(margin)), margin).as(MARGIN));
        }
        positionColumn.ifPresent(name -> projection.add(PreparedInput.column(name).cast("string").as(POSITION)));
        // t = len(chosen) − len(rejected) in cl100k tokens: only the cells' scan reads it, so only it tokenises
        projection.add(udf(new LengthBaseline.TokenLengthDifference(), DataTypes.IntegerType)
                .apply(col(InputContract.CHOSEN), col(InputContract.REJECTED)).as(TOKEN_DIFF));
        List<String> groupColumns = grouping.columns().stream().filter(columns::contains).toList();
        for (int g = 0; g < groupColumns.size(); g++) {
            projection.add(coalesce(PreparedInput.column(groupColumns.get(g)).cast("string"), lit(grouping.nullValue())).as(GROUP + g));
        }
        Dataset<Row> values = rows.select(projection.toArray(Column[]::new));

        Global global = Global.of(values, scored);
        Map<String, Object> result = new LinkedHashMap<>();
        Cells cells = Cells.of(values, global, scored, positionColumn, groupColumns);

        Map<String, Object> length = new LinkedHashMap<>();
        length.put("correlation", cells.correlation(global));
        // longer_wins_accuracy = Σ w·[longer response preferred] / Σ w·[decided, unequal lengths]
        length.put("longer_wins_accuracy", ratio(global.longerPreferredWeight, global.decidedUnequalWeight));
        length.put("bins", cells.bins(global));
        length.putAll(LengthBaseline.byUnit(cells.baseline, scored, grouping.confidence()));
        Map<String, Object> groups = new LinkedHashMap<>();
        for (int g = 0; g < groupColumns.size(); g++) {
            Map<String, Object> byValue = new LinkedHashMap<>();
            cells.groupBaselines.get(g).forEach((value, sums) -> byValue.put(value, LengthBaseline.byUnit(sums, scored, grouping.confidence())));
            groups.put(groupColumns.get(g), byValue);
        }
        length.put("groups", groups);
        length.put("flag_above", LengthBaseline.FLAG_ABOVE);
        result.put("length", length);
        positionColumn.ifPresent(name -> result.put("position", cells.positions(name)));

        DuplicatePairs duplicates = DuplicatePairs.of(rows, global.rows);
        // duplicate_rate = 1 − distinct (prompt, chosen, rejected) / rows
        result.put("duplicate_rate", duplicates.rows() == 0 ? null : 1.0 - (double) duplicates.distinct() / duplicates.rows());
        result.put("contradictory_duplicates", duplicates.contradictory());
        return result;
    }

    /** The first scan: one global aggregate row. */
    private record Global(long rows, double decidedUnequalWeight, double longerPreferredWeight, long marginRows,
            double marginWeight, double meanLengthDiff, double meanMargin, boolean lengthDiffVaries, boolean marginVaries,
            Optional<LengthRange> range) {

        static Global of(Dataset<Row> values, boolean scored) {
            Column d = col(LENGTH_DIFF);
            Column w = col(InputContract.WEIGHT);
            Column label = col(InputContract.LABEL);
            Column longerPreferred = d.gt(0).and(label.gt(0.5)).or(d.lt(0).and(label.lt(0.5)));
            Column decidedUnequal = label.notEqual(0.5).and(d.notEqual(0));
            List<Column> aggregates = new ArrayList<>(List.of(
                    count(lit(1)),
                    sum(when(decidedUnequal, w)),
                    sum(when(decidedUnequal.and(longerPreferred), w))));
            if (scored) {
                Column m = col(MARGIN);
                Column hasMargin = m.isNotNull();
                aggregates.addAll(List.of(
                        count(m),
                        sum(when(hasMargin, w)),
                        sum(when(hasMargin, w.multiply(d))),
                        sum(w.multiply(m)),
                        min(when(hasMargin, d)),
                        max(when(hasMargin, d)),
                        min(m),
                        max(m),
                        percentile_approx(when(hasMargin, d), array(lit(LOW_PERCENTILE), lit(HIGH_PERCENTILE)),
                                lit(PERCENTILE_ACCURACY))));
            }
            Row row = values.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                    .collectAsList().get(0);
            long rows = row.getLong(0);
            double decidedUnequalWeight = number(row, 1);
            double longerPreferredWeight = number(row, 2);
            if (!scored || row.getLong(3) == 0) {
                return new Global(rows, decidedUnequalWeight, longerPreferredWeight, 0, 0, 0, 0, false, false, Optional.empty());
            }
            double marginWeight = number(row, 4);
            // weighted means d̄ = Σ w·d / Σ w, m̄ = Σ w·m / Σ w (0 when the weight is 0: then only the bins use them, as centres)
            double meanLengthDiff = marginWeight > 0 ? number(row, 5) / marginWeight : 0.0;
            double meanMargin = marginWeight > 0 ? number(row, 6) / marginWeight : 0.0;
            List<Integer> percentiles = row.getList(11);
            LengthRange range = LengthRange.of(percentiles.get(0), percentiles.get(1));
            return new Global(rows, decidedUnequalWeight, longerPreferredWeight, row.getLong(3), marginWeight, meanLengthDiff,
                    meanMargin, row.getInt(7) != row.getInt(8), row.getDouble(9) != row.getDouble(10), Optional.of(range));
        }
    }

    /**
     * Fixed-width bins over the clipped length-difference range {@code [low, high]}; lengths are whole
     * characters, so bins are whole characters wide: {@code width = max(1, ⌈(high − low + 1) / LENGTH_BINS⌉)}.
     */
    record LengthRange(int low, int high, int width) {
        static LengthRange of(int low, int high) {
            long span = (long) high - low + 1;
            return new LengthRange(low, high, (int) Math.max(1, (span + LENGTH_BINS - 1) / LENGTH_BINS));
        }

        // bin = ⌊(clip(d, low, high) − low) / width⌋: rows beyond the range fall into the edge bins
        Column bin(Column d) {
            Column clipped = least(greatest(d, lit(low)), lit(high));
            return floor(clipped.minus(lit(low)).divide(lit(width))).cast("int");
        }

        // centre of bin k = low + k·width + (width − 1)/2 (the middle whole-character value)
        double centre(int bin) {
            return low + (double) bin * width + (width - 1) / 2.0;
        }
    }

    /**
     * The second scan: sums per (length bin, position value) cell, merged on the driver, and in the same
     * {@code groupBy} (as grouping sets) the {@link LengthBaseline} sums per value of each group column.
     */
    private static final class Cells {
        private final List<Cell> cells;
        /** The length-baseline sums of all rows (the bin × position cells added up). */
        private final double[] baseline;
        /** Per group column, value → its length-baseline sums. */
        private final List<Map<String, double[]>> groupBaselines;

        private Cells(List<Cell> cells, double[] baseline, List<Map<String, double[]>> groupBaselines) {
            this.cells = cells;
            this.baseline = baseline;
            this.groupBaselines = groupBaselines;
        }

        /** One cell's sums; {@code bin} is null for rows without a margin, {@code position} null for rows without one. */
        private record Cell(Integer bin, String position, long rows, long marginRows, double marginWeight, double weightedMargin,
                double dd, double mm, double dm, double chosenPreferredWeight, double rejectedPreferredWeight) {
        }

        static Cells of(Dataset<Row> values, Global global, boolean scored, Optional<String> positionColumn, List<String> groupColumns) {
            Column w = col(InputContract.WEIGHT);
            Column label = col(InputContract.LABEL);
            Column d = col(LENGTH_DIFF);
            Column m = scored ? col(MARGIN) : lit(null).cast("double");
            Column bin = global.range.map(range -> when(m.isNotNull(), range.bin(d))).orElse(lit(null).cast("int"));
            Column position = positionColumn.isPresent() ? col(POSITION) : lit(null).cast("string");
            // centred values for the two-pass (numerically stable) weighted covariance: d − d̄, m − m̄
            Column dc = d.minus(lit(global.meanLengthDiff));
            Column mc = m.minus(lit(global.meanMargin));
            List<Column> aggregates = new ArrayList<>(List.of(
                    count(m),
                    sum(when(m.isNotNull(), w)),
                    sum(w.multiply(m)),
                    sum(w.multiply(dc).multiply(dc)),
                    sum(w.multiply(mc).multiply(mc)),
                    sum(w.multiply(dc).multiply(mc)),
                    sum(when(label.gt(0.5), w)),
                    sum(when(label.lt(0.5), w))));
            aggregates.addAll(LengthBaseline.aggregates(d, m));
            aggregates.addAll(LengthBaseline.aggregates(col(TOKEN_DIFF), m));
            // grouping sets {(bin, position), (g0), (g1), …}: one read of the rows; a row of set (g_k) has g_k set, the others null
            List<Column> keys = new ArrayList<>(List.of(col(BIN), col(POSITION)));
            List<scala.collection.immutable.Seq<Column>> sets = new ArrayList<>();
            sets.add(seq(List.copyOf(keys)));
            for (int g = 0; g < groupColumns.size(); g++) {
                keys.add(col(GROUP + g));
                sets.add(seq(List.of(col(GROUP + g))));
            }
            Dataset<Row> grouped = values.withColumn(BIN, bin).withColumn(POSITION, position)
                    .groupingSets(seq(sets), keys.toArray(Column[]::new))
                    .agg(count(lit(1)), aggregates.toArray(Column[]::new));
            // legitimate cells: (LENGTH_BINS bins + no margin) × (two positions + null), and each group column's values
            // (at most as many as the loss figures' group-value combinations)
            int maxCells = (LENGTH_BINS + 1) * (MAX_POSITIONS + 1);
            int first = keys.size();
            int baselineAt = first + 9;
            List<Cell> cells = new ArrayList<>();
            double[] baseline = new double[LengthBaseline.SIZE * LengthBaseline.UNITS.size()];
            List<Map<String, double[]>> groupBaselines = new ArrayList<>();
            groupColumns.forEach(column -> groupBaselines.add(new TreeMap<>()));
            Set<String> positions = new TreeSet<>();
            for (Row row : grouped.limit(maxCells + 1 + groupColumns.size() * MAX_GROUP_VALUES).collectAsList()) {
                double[] sums = new double[baseline.length];
                for (int k = 0; k < sums.length; k++) {
                    sums[k] = number(row, baselineAt + k);
                }
                int set = groupSet(row, groupColumns.size());
                if (set >= 0) {
                    groupBaselines.get(set).put(row.getString(2 + set), sums);
                    continue;
                }
                Cell cell = new Cell(row.isNullAt(0) ? null : row.getInt(0), row.isNullAt(1) ? null : row.getString(1),
                        row.getLong(first), row.getLong(first + 1), number(row, first + 2), number(row, first + 3),
                        number(row, first + 4), number(row, first + 5), number(row, first + 6), number(row, first + 7),
                        number(row, first + 8));
                cells.add(cell);
                for (int k = 0; k < sums.length; k++) {
                    baseline[k] += sums[k];
                }
                if (cell.position != null) {
                    positions.add(cell.position);
                }
            }
            if (positions.size() > MAX_POSITIONS || cells.size() > maxCells) {
                throw new AlignLossException(ErrorCode.CONFIG, format(
                        "Cannot compute position bias: position column '%s' has more than %d distinct values (%s%s); it must say "
                                + "in which of the two positions of a pairwise comparison the chosen response was shown",
                        positionColumn.orElseThrow(), MAX_POSITIONS, String.join(", ", positions),
                        cells.size() > maxCells ? ", …" : ""));
            }
            return new Cells(cells, baseline, groupBaselines);
        }

        // which group column's grouping set a result row belongs to (its value is the only one set), −1 for (bin, position)
        private static int groupSet(Row row, int groups) {
            for (int g = 0; g < groups; g++) {
                if (!row.isNullAt(2 + g)) {
                    return g;
                }
            }
            return -1;
        }

        private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
            return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
        }

        // r = Σ w(d − d̄)(m − m̄) / sqrt(Σ w(d − d̄)² · Σ w(m − m̄)²)  (weighted Pearson correlation; the weight normalisation cancels)
        Double correlation(Global global) {
            if (global.marginWeight <= 0 || !global.lengthDiffVaries || !global.marginVaries) {
                return null;
            }
            double dd = 0;
            double mm = 0;
            double dm = 0;
            for (Cell cell : cells) {
                if (cell.bin != null) {
                    dd += cell.dd;
                    mm += cell.mm;
                    dm += cell.dm;
                }
            }
            if (!(dd > 0 && mm > 0)) {
                return null;
            }
            double r = dm / (Math.sqrt(dd) * Math.sqrt(mm));
            return Json.number(Math.max(-1.0, Math.min(1.0, r)));
        }

        // the cells' figures summed by key, in key order, over the cells whose key is not null
        private <K> Map<K, double[]> sumsBy(Function<Cell, K> key, Function<Cell, double[]> figures) {
            Map<K, double[]> byKey = new TreeMap<>();
            for (Cell cell : cells) {
                K value = key.apply(cell);
                if (value != null) {
                    double[] add = figures.apply(cell);
                    double[] sums = byKey.computeIfAbsent(value, ignored -> new double[add.length]);
                    for (int i = 0; i < add.length; i++) {
                        sums[i] += add[i];
                    }
                }
            }
            return byKey;
        }

        List<Map<String, Object>> bins(Global global) {
            if (global.range.isEmpty()) {
                return List.of();
            }
            Map<Integer, double[]> byBin = sumsBy(Cell::bin, cell -> new double[] {cell.marginRows, cell.marginWeight, cell.weightedMargin});
            List<Map<String, Object>> bins = new ArrayList<>();
            byBin.forEach((bin, sums) -> {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("length_diff", global.range.get().centre(bin));
                // mean_margin = Σ w·m / Σ w over the bin
                figures.put("mean_margin", ratio(sums[2], sums[1]));
                figures.put("count", (long) sums[0]);
                bins.add(figures);
            });
            return bins;
        }

        // preferred_share(v) = Σ w·[the response shown at v was preferred] / Σ w·[decided]; with two positions the
        // rejected response was shown at the other one, so it is preferred at v when chosen was at u ≠ v and label < 0.5
        Map<String, Object> positions(String positionColumn) {
            Map<String, double[]> byPosition = sumsBy(Cell::position,
                    cell -> new double[] {cell.rows, cell.chosenPreferredWeight, cell.rejectedPreferredWeight});
            double decided = 0;
            for (double[] sums : byPosition.values()) {
                decided += sums[1] + sums[2];
            }
            Map<String, Object> positions = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> entry : byPosition.entrySet()) {
                double preferred = entry.getValue()[1];
                for (Map.Entry<String, double[]> other : byPosition.entrySet()) {
                    if (!other.getKey().equals(entry.getKey())) {
                        preferred += other.getValue()[2];
                    }
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("count", (long) entry.getValue()[0]);
                figures.put("preferred_share", ratio(preferred, decided));
                positions.put(entry.getKey(), figures);
            }
            return positions;
        }
    }

    private static Double ratio(double numerator, double denominator) {
        return denominator > 0 ? Json.number(numerator / denominator) : null;
    }

    /** A sum of doubles; null (no rows contributed) reads as 0. */
    private static double number(Row row, int index) {
        return row.isNullAt(index) ? 0.0 : ((Number) row.get(index)).doubleValue();
    }
}
