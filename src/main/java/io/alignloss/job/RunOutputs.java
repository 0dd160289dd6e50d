package io.alignloss.job;

import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.objective.Objective;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.PerExampleColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

/** The row-level files an evaluation stages for publication: {@code rejects/<input>} and {@code per_example/<objective>}. */
final class RunOutputs {
    private RunOutputs() {
    }

    /** Writes the rejects of every input that has any; input name → rows failing each rule. */
    static Map<String, Map<String, Long>> writeRejects(SparkSession spark, EvaluateInputs inputs, Map<String, InputStats> stats,
            OutputCommitter committer, Stages stages) {
        Map<String, Map<String, Long>> reasons = new LinkedHashMap<>();
        for (PreparedInput input : inputs.inputs().values()) {
            if (stats.get(input.name()).rejected() > 0) {
                String path = committer.stagingPath("rejects/" + input.name());
                reasons.put(input.name(), stages.timed("write rejects of input " + input.name(), () -> writeRejects(spark, input, path)));
            }
        }
        return reasons;
    }

    /** Writes the rejected rows and returns, read back from them, how many rows fail each rule. */
    static Map<String, Long> writeRejects(SparkSession spark, PreparedInput input, String path) {
        List<Column> columns = new ArrayList<>();
        columns.add(col(InputContract.ID));
        columns.add(get(input.reasons(), lit(0)).as("reason"));
        columns.add(input.reasons().as("reasons"));
        for (String original : input.originalColumns()) {
            if (original.equals(InputContract.ID)) {
                continue;
            }
            String name = original.equals("reason") || original.equals("reasons") ? "input_" + original : original;
            columns.add(PreparedInput.column(original).as(name));
        }
        input.rows().filter(not(input.accepted())).select(columns.toArray(Column[]::new)).write().parquet(path);
        Map<String, Long> byReason = new TreeMap<>();
        for (Row row : spark.read().parquet(path).select(explode(col("reasons")).as("code")).groupBy("code").count().collectAsList()) {
            byReason.put(row.getString(0), row.getLong(1));
        }
        return byReason;
    }

    /**
     * Writes every objective's per-example figures with the id, the loss denominator (token-weighted objectives), the
     * cluster key and the group columns of its accepted rows.
     */
    static void writePerExample(EvaluateInputs inputs, OutputCommitter committer, Stages stages) {
        Map<String, Runnable> writes = new LinkedHashMap<>();
        for (Objective objective : inputs.objectives()) {
            PreparedInput input = inputs.inputs().get(objective.config().input());
            writes.put("write per-example figures of objective " + objective.name(),
                    () -> writePerExample(input, objective, committer.stagingPath("per_example/" + objective.name())));
        }
        stages.timedConcurrently(writes, CONCURRENT_WRITES);
    }

    /** Per-example outputs written at the same time: each is its own query, planned on its own driver thread. */
    private static final int CONCURRENT_WRITES = 3;

    private static void writePerExample(PreparedInput input, Objective objective, String path) {
        perExample(input, objective).write().parquet(path);
    }

    /** The objective's per-example figures with the id and group columns of its accepted rows. */
    static Dataset<Row> perExample(PreparedInput input, Objective objective) {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        columns.add(col(InputContract.ID));
        names.add(InputContract.ID);
        for (Map.Entry<String, Column> figure : objective.perExample().entrySet()) {
            columns.add(figure.getValue().as(figure.getKey()));
            names.add(figure.getKey());
        }
        if (objective.lossDenominator().isPresent() && names.add(PerExampleColumns.LOSS_DENOMINATOR)) {
            columns.add(objective.lossDenominator().get().cast("double").as(PerExampleColumns.LOSS_DENOMINATOR));
        }
        if (names.add(PerExampleColumns.CLUSTER_KEY)) {
            columns.add(clusterKey(input).as(PerExampleColumns.CLUSTER_KEY));
        }
        for (String group : input.groupColumns()) {
            if (names.add(group)) {
                columns.add(PreparedInput.column(group));
            }
        }
        return input.rows().filter(input.accepted()).select(columns.toArray(Column[]::new));
    }

    /**
     * The cluster value as text, whose seeded hash is the row's bucket hash ({@link PreparedInput#bucketHash}): the
     * input's cluster column; with {@code cluster = none} the row's {@code id} (every row a cluster of its own).
     */
    static Column clusterKey(PreparedInput input) {
        return input.clusterColumn().map(PreparedInput::column).orElse(col(InputContract.ID)).cast("string");
    }
}
