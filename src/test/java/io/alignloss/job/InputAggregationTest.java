package io.alignloss.job;

import io.alignloss.config.BradleyTerryOptions;
import io.alignloss.config.ClusterKey;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveType;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.diagnostics.Cell;
import io.alignloss.error.AlignLossException;
import io.alignloss.objective.Objective;
import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scan's cells against plain-Java sums over the same rows: random groups (with nulls and a numeric group
 * column), weights, numerators, denominators and named sums with nulls, and a rule whose verdict is sometimes
 * null (such a row is rejected: rows read = accepted + rejected). The buckets come from the same seeded hash,
 * read back from Spark.
 */
class InputAggregationTest extends LocalSparkTest {
    private static final long SEED = 7;
    /** These inputs have no prompt: rows are resampled by id (the row-level bucket hash these tests check). */
    private static final InputConfig ROW_RESAMPLED = new InputConfig("in", "unused", InputKind.PREFERENCE)
            .withCluster(ClusterKey.of(ClusterKey.NONE_VALUE, "test"));

    /** An objective that reads its terms from columns, so the expected sums are plain arithmetic. */
    private record ColumnObjective(String name, boolean withDenominator) implements Objective {
        @Override
        public ObjectiveConfig config() {
            return new ObjectiveConfig(name, ObjectiveType.BRADLEY_TERRY, "in", BradleyTerryOptions.defaults());
        }

        @Override
        public List<ColumnSpec> columns() {
            return List.of();
        }

        @Override
        public List<RowRule> rules() {
            return List.of();
        }

        @Override
        public Map<String, Column> perExample() {
            return Map.of();
        }

        @Override
        public Column lossNumerator() {
            return col("y");
        }

        @Override
        public Optional<Column> lossDenominator() {
            return withDenominator ? Optional.of(col("x")) : Optional.empty();
        }

        @Override
        public Map<String, Column> sums() {
            Map<String, Column> sums = new LinkedHashMap<>();
            sums.put("s", col("s"));
            sums.put("two_s", col("s").multiply(2));
            return sums;
        }

        @Override
        public Map<String, Object> figures(LossStats stats) {
            return Map.of();
        }

        @Override
        public String describe() {
            return name;
        }
    }

    private Dataset<Row> rows(int n, long seed, int partitions) {
        Random random = new Random(seed);
        String[] languages = {"en", "de", "fr", null};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create("id-" + seed + "-" + i, languages[random.nextInt(languages.length)],
                    random.nextInt(3), random.nextInt(20) == 0 ? null : 0.5 + random.nextDouble(),
                    random.nextInt(25) == 0 ? null : random.nextGaussian(), 1.0 + random.nextInt(30),
                    random.nextInt(30) == 0 ? null : random.nextDouble(),
                    random.nextInt(10) == 0 ? null : random.nextInt(6) == 0));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.StringType).add("lang", DataTypes.StringType).add("tier", DataTypes.IntegerType)
                .add("weight", DataTypes.DoubleType).add("y", DataTypes.DoubleType).add("x", DataTypes.DoubleType)
                .add("s", DataTypes.DoubleType).add("flag", DataTypes.BooleanType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    private static PreparedInput input(Dataset<Row> rows, List<String> groups) {
        return new PreparedInput(ROW_RESAMPLED, rows, List.of(rows.columns()), groups,
                Map.of("flagged", col("flag")));
    }

    /** Expected cells: key "lang|tier|bucket" → [rows, rejected, accepted, then per objective its sums]. */
    private static Map<String, double[]> expected(List<Row> rows, boolean resample) {
        Map<String, double[]> cells = new HashMap<>();
        for (Row row : rows) {
            String lang = row.isNullAt(1) ? InputAggregation.NULL_GROUP : row.getString(1);
            int bucket = resample ? row.getInt(8) : 0;
            double[] cell = cells.computeIfAbsent(lang + "|" + row.getInt(2) + "|" + bucket, k -> new double[3 + 2 * 8]);
            cell[0]++;
            // flag true fails the rule; a null flag is a rule that evaluates to null, rejected as rule_error
            if (row.isNullAt(7) || row.getBoolean(7)) {
                cell[1]++;
                continue;
            }
            cell[2]++;
            Double w = row.isNullAt(3) ? null : row.getDouble(3);
            Double y = row.isNullAt(4) ? null : row.getDouble(4);
            Double s = row.isNullAt(6) ? null : row.getDouble(6);
            for (int o = 0; o < 2; o++) {
                Double x = o == 0 ? (Double) 1.0 : (Double) row.getDouble(5);
                int at = 3 + 8 * o;
                if (w != null) {
                    cell[at] += w;
                    cell[at + 1] += w * x;
                    cell[at + 3] += w * w * x * x;
                    if (y != null) {
                        cell[at + 2] += w * y;
                        cell[at + 4] += w * w * x * y;
                        cell[at + 5] += w * w * y * y;
                    }
                }
                if (s != null) {
                    cell[at + 6] += s;
                    cell[at + 7] += 2 * s;
                }
            }
        }
        return cells;
    }

    private void assertCells(InputStats stats, Map<String, double[]> expected, List<Objective> objectives) {
        long rows = 0;
        long rejected = 0;
        for (double[] cell : expected.values()) {
            rows += (long) cell[0];
            rejected += (long) cell[1];
        }
        assertThat(stats.rows()).isEqualTo(rows);
        assertThat(stats.rejected()).isEqualTo(rejected);
        // nothing is dropped: every row read is accepted (counted in the cells) or rejected
        assertThat(stats.total(objectives.get(0).name()).count() + stats.rejected()).isEqualTo(stats.rows());
        assertThat(stats.groupColumns()).containsExactly("lang", "tier");
        for (int o = 0; o < objectives.size(); o++) {
            List<Cell> cells = stats.cells().get(objectives.get(o).name());
            // a cell is a bucket with accepted rows; rows read and rejected are counted per input
            assertThat(cells).hasSize((int) expected.values().stream().filter(cell -> cell[2] > 0).count());
            for (Cell cell : cells) {
                double[] want = expected.get(String.join("|", cell.key()) + "|" + cell.bucket());
                assertThat(want).as("cell %s %d", cell.key(), cell.bucket()).isNotNull();
                LossStats got = cell.stats();
                int at = 3 + 8 * o;
                assertThat(got.count()).isEqualTo((long) want[2]);
                double[] actual = {got.weightSum(), got.denominatorSum(), got.numeratorSum(), got.sum("s"), got.sum("two_s")};
                double[] wanted = {want[at], want[at + 1], want[at + 2], want[at + 6], want[at + 7]};
                for (int i = 0; i < actual.length; i++) {
                    assertThat(actual[i]).as("cell %s %d sum %d", cell.key(), cell.bucket(), i)
                            .isCloseTo(wanted[i], Offset.offset(1e-9 * Math.max(1, Math.abs(wanted[i]))));
                }
            }
            // the squared sums, through the linearised standard error of the whole input (a single cell's can cancel to ~0)
            LossStats expectedTotal = LossStats.empty();
            for (double[] want : expected.values()) {
                int at = 3 + 8 * o;
                expectedTotal.addSums((long) want[2], want[at], want[at + 1], want[at + 2], want[at + 3], want[at + 4], want[at + 5]);
            }
            LossStats total = stats.total(objectives.get(o).name());
            assertThat(total.loss().getAsDouble()).isCloseTo(expectedTotal.loss().getAsDouble(), Offset.offset(1e-12));
            assertThat(total.stderr().getAsDouble()).isCloseTo(expectedTotal.stderr().getAsDouble(), Offset.offset(1e-12));
        }
    }

    @Test
    void cellsMatchPlainSumsForAnyPartitioning() {
        List<Objective> objectives = List.of(new ColumnObjective("mean", false), new ColumnObjective("ratio", true));
        for (int partitions : new int[]{1, 5}) {
            Dataset<Row> rows = rows(4000, 11, partitions);
            PreparedInput input = input(rows, List.of("lang", "tier"));
            List<Row> withBuckets = rows.withColumn("b", Resampling.bucket(input.bucketHash(SEED))).collectAsList();
            assertThat(withBuckets.stream().map(row -> row.getInt(8)).distinct().count()).isEqualTo(Resampling.BUCKETS);

            assertCells(InputAggregation.run(input, objectives, true, SEED, true), expected(withBuckets, true), objectives);
            assertCells(InputAggregation.run(input, objectives, true, SEED, false), expected(withBuckets, false), objectives);
        }
    }

    /**
     * Rows whose cluster key {@code topic} repeats (a few hundred values, some rows null), with the same random
     * rule verdicts (some null) as {@link #rows}: column 8.
     */
    private Dataset<Row> clusteredRows(int n, long seed, int partitions) {
        Random random = new Random(seed + 1);
        List<Row> rows = new ArrayList<>();
        for (Row row : rows(n, seed, 1).collectAsList()) {
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            // clusters of a few rows each and a long tail of singletons; a null topic is one more cluster
            int draw = random.nextInt(100);
            values[row.length()] = draw < 3 ? null : draw < 80 ? "topic-" + random.nextInt(n / 8) : "single-" + random.nextLong();
            rows.add(RowFactory.create(values));
        }
        StructType schema = rows(0, seed, 1).schema().add("topic", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    @Test
    void theScanCountsDistinctClustersOfAcceptedRowsForAnyPartitioning() {
        InputConfig byTopic = new InputConfig("in", "unused", InputKind.PREFERENCE).withCluster(ClusterKey.of("topic", "test"));
        List<Objective> objectives = List.of(new ColumnObjective("mean", false), new ColumnObjective("ratio", true));
        for (int partitions : new int[]{1, 5}) {
            Dataset<Row> rows = clusteredRows(6000, 23, partitions);
            PreparedInput input = new PreparedInput(byTopic, rows, List.of(rows.columns()), List.of("lang", "tier"),
                    Map.of("flagged", col("flag")));
            List<Row> collected = rows.collectAsList();
            // plain Java: distinct topics (null one of them) among rows the rule accepts (flag false; null or true rejects)
            java.util.Set<String> accepted = new java.util.HashSet<>();
            java.util.Set<String> all = new java.util.HashSet<>();
            boolean acceptedNull = false;
            for (Row row : collected) {
                all.add(row.isNullAt(8) ? null : row.getString(8));
                if (!row.isNullAt(7) && !row.getBoolean(7)) {
                    accepted.add(row.isNullAt(8) ? null : row.getString(8));
                    acceptedNull |= row.isNullAt(8);
                }
            }
            // the data exercise what the count must get right: rejected-only clusters, a null key, repeats
            assertThat(acceptedNull).isTrue();
            assertThat(all.size()).isGreaterThan(accepted.size());
            assertThat(accepted.size()).isBetween(1000, 5000);

            InputStats counted = InputAggregation.run(input, objectives, true, SEED, true, true);
            assertThat(counted.clusters()).as("%d partitions", partitions).hasValue(accepted.size());

            // counting leaves the cells as they are
            List<Row> withBuckets = rows.withColumn("b", Resampling.bucket(input.bucketHash(SEED))).drop("topic").collectAsList();
            assertCells(counted, expected(withBuckets, true), objectives);
            assertThat(InputAggregation.run(input, objectives, true, SEED, true).clusters()).isEmpty();
        }
    }

    @Test
    void countingClustersNeedsAClusterColumn() {
        Dataset<Row> rows = rows(10, 3, 1);
        assertThatThrownBy(() -> InputAggregation.run(input(rows, List.of()), List.of(new ColumnObjective("mean", false)), false,
                SEED, true, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster = none");
    }

    @Test
    void tooManyGroupCombinationsIsAClearError() {
        // two partitions of ~10,000 combinations each: no task overflows, the total does
        Dataset<Row> rows = spark.range(0, InputAggregation.MAX_GROUPS + 1, 1, 2).select(col("id").cast("string").as("id"),
                col("id").cast("string").as("lang"), col("id").cast("double").as("y"), col("id").cast("double").as("s"));
        PreparedInput input = new PreparedInput(ROW_RESAMPLED, rows, List.of(rows.columns()),
                List.of("lang"), Map.of());
        assertThatThrownBy(() -> InputAggregation.run(input, List.of(new ColumnObjective("mean", false)), false, SEED, true))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("more than 20,000 distinct combinations");
    }
}
