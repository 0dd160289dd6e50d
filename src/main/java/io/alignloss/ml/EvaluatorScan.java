package io.alignloss.ml;

import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.job.InputAggregation;
import io.alignloss.objective.Objective;
import io.alignloss.stats.LossStats;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan behind the evaluators: an objective's additive {@link LossStats} over a Dataset, through evaluate's own
 * aggregation ({@link InputAggregation#run}) and the objective's own Columns, so an evaluator's figure is the one
 * evaluate reports for the same rows. The rows are the Dataset's columns under the contract's names; rows failing the
 * objective's row rules or the weight and label rules (null or non-finite scores or log-probabilities, bad weights or
 * labels) are left out, as evaluate rejects them. No group columns, no resampling: the whole Dataset's figures.
 */
final class EvaluatorScan {
    /** The input name the scanned rows go by (it appears in no figure). */
    private static final String INPUT = "evaluated";

    private EvaluatorScan() {
    }

    /**
     * @param rows      the Dataset's columns renamed to the contract's names ({@code weight} and {@code label} only when
     *                  the Dataset has them)
     * @param kind      preference or sequence
     * @param objective the objective whose figures are read
     */
    static LossStats total(Dataset<Row> rows, InputKind kind, Objective objective) {
        List<String> present = List.of(rows.columns());
        List<RowRule> rules = new ArrayList<>(objective.rules());
        if (present.contains(InputContract.WEIGHT)) {
            rules.add(Rules.badWeight(InputContract.WEIGHT));
        }
        if (kind == InputKind.PREFERENCE && present.contains(InputContract.LABEL)) {
            rules.add(Rules.badLabel(InputContract.LABEL));
        }
        Map<String, Column> byCode = new LinkedHashMap<>();
        for (RowRule rule : rules) {
            byCode.merge(rule.code(), rule.failsWhen(), Column::or);
        }
        Dataset<Row> typed = rows;
        if (!present.contains(InputContract.WEIGHT)) {
            typed = typed.withColumn(InputContract.WEIGHT, org.apache.spark.sql.functions.lit(1.0));
        }
        if (kind == InputKind.PREFERENCE && !present.contains(InputContract.LABEL)) {
            typed = typed.withColumn(InputContract.LABEL, org.apache.spark.sql.functions.lit(1.0));
        }
        PreparedInput input = new PreparedInput(new InputConfig(INPUT, "(Dataset)", kind), typed, present, List.of(), byCode);
        return InputAggregation.run(input, List.of(objective), present.contains(InputContract.WEIGHT), 0L, false).total(objective.name());
    }
}
