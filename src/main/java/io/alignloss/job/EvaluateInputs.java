package io.alignloss.job;

import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.InputReader;
import io.alignloss.data.InputTables;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.objective.Objective;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * An evaluation's inputs, read and checked, and its objectives as they read them ({@link Objective#forInput}).
 *
 * @param objectives every objective of the run, in config order
 * @param inputs     input name → the checked input, its rows with the columns its objectives add
 */
record EvaluateInputs(List<Objective> objectives, Map<String, PreparedInput> inputs) {
    EvaluateInputs {
        objectives = List.copyOf(objectives);
        inputs = requireNonNull(inputs, "inputs is null");
    }

    /** The objectives on an input. */
    List<Objective> on(String input) {
        return objectivesOn(objectives, input);
    }

    /**
     * Reads every input's schema and checks it against the columns and rules of the objectives on it, then adds
     * the columns those objectives compute ({@link Objective#prepare}).
     *
     * @param checked applied to each input once its schema is checked and its rules are set
     */
    static EvaluateInputs read(SparkSession spark, JobConfig config, List<Objective> objectives, UnaryOperator<PreparedInput> checked,
            List<String> warnings, Stages stages) {
        List<Objective> forInputs = new ArrayList<>(objectives);
        Map<String, PreparedInput> inputs = new LinkedHashMap<>();
        for (InputConfig configured : config.inputs().values()) {
            // a table's version is resolved once, here; every scan of the run reads that version
            InputConfig input = InputTables.pin(spark, configured);
            inputs.put(input.name(), stages.timed("check schema of input " + input.name(),
                    () -> prepare(spark, config, input, forInputs, checked, warnings)));
        }
        return new EvaluateInputs(forInputs, inputs);
    }

    // replaces the objectives on the input by their forInput form
    private static PreparedInput prepare(SparkSession spark, JobConfig config, InputConfig input, List<Objective> objectives,
            UnaryOperator<PreparedInput> checked, List<String> warnings) {
        InputReader.Opened opened = InputReader.open(spark, input);
        List<String> present = opened.columnNames();
        objectives.replaceAll(objective -> objective.config().input().equals(input.name()) ? objective.forInput(present) : objective);
        List<Objective> on = objectivesOn(objectives, input.name());
        List<ColumnSpec> columns = new ArrayList<>();
        List<RowRule> rules = new ArrayList<>();
        for (Objective objective : on) {
            columns.addAll(objective.columns());
            rules.addAll(objective.rules());
        }
        PreparedInput prepared = InputReader.prepare(spark, opened, columns, rules, config.groups(), warnings);
        Dataset<Row> rows = prepared.rows();
        for (Objective objective : on) {
            rows = objective.prepare(rows);
        }
        return checked.apply(new PreparedInput(prepared.config(), rows, prepared.originalColumns(), prepared.groupColumns(),
                prepared.rules()));
    }

    private static List<Objective> objectivesOn(List<Objective> objectives, String input) {
        return objectives.stream().filter(objective -> objective.config().input().equals(input)).toList();
    }
}
