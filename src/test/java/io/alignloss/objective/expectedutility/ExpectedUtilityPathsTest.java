package io.alignloss.objective.expectedutility;

import io.alignloss.config.FeatureSpec;
import io.alignloss.model.PolicyData;
import io.alignloss.model.RewardModel;
import io.alignloss.stats.LossStats;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Column forms evaluate uses and the training aggregators give the same loss on the same rows (1e-12): the
 * exact expected utility E_x E_π[U] (π_θ by {@link PolicyEvaluation#withProbability}, U by the objective's
 * column) against {@link PolicyLoss} and {@link PolicyEvaluation}, and the logged IPS / SNIPS (the objective's
 * sums with the policy as the target) against {@link LoggedPolicyLoss}.
 */
class ExpectedUtilityPathsTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("prompt_id", DataTypes.StringType).add("prompt", DataTypes.StringType).add("response", DataTypes.StringType)
            .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)).add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType).add("weight", DataTypes.DoubleType).add("logged", DataTypes.BooleanType)
            .add("behavior_prob", DataTypes.DoubleType);
    private static final double[] THETA = {0.7, -1.3};
    private static final RewardModel POLICY = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), THETA,
            Map.of("objective", Map.of("name", "eu", "type", "expected-utility")));

    private final ExpectedUtilityObjective objective = new ExpectedUtilityObjective(Configs.objective("sequence",
            "{ name = eu, type = expected-utility, input = in, utility { helpfulness = 0.8, harmfulness = -0.2 }, clip = 1.5 }"));

    private static Row candidate(String prompt, int j, double e1, double e2, double help, double harm, double weight, Boolean logged,
            Double behavior) {
        return RowFactory.create(prompt, "prompt " + prompt, "response " + j, List.of(e1, e2), help, harm, weight, logged, behavior);
    }

    /**
     * Four prompts of 2–4 candidates, each with one logged (shown) candidate; the prompt's weight on every candidate.
     * Embeddings are exact in float, as the training features hold them (Spark scores the double column).
     */
    private Dataset<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(candidate("a", 0, 1.0, 0.5, 3.0, 1.0, 1.0, true, 0.6));
        rows.add(candidate("a", 1, -0.5, 0.25, 1.0, 4.0, 1.0, false, null));
        rows.add(candidate("b", 0, 0.375, -0.75, 2.0, 0.0, 2.5, false, null));
        rows.add(candidate("b", 1, 0.0, 0.0, -1.0, 2.0, 2.5, true, 0.25));
        rows.add(candidate("b", 2, 1.5, 1.0, 5.0, 3.0, 2.5, false, null));
        rows.add(candidate("c", 0, -1.0, -1.0, 0.5, 0.5, 0.5, false, null));
        rows.add(candidate("c", 1, 0.875, -0.375, 4.0, 1.0, 0.5, false, null));
        rows.add(candidate("c", 2, 0.125, 0.875, 1.5, 6.0, 0.5, false, null));
        rows.add(candidate("c", 3, 2.0, 0.25, 3.5, 0.5, 0.5, true, 0.1));
        rows.add(candidate("d", 0, 0.375, 0.375, 2.0, 2.0, 1.0, true, 0.9));
        rows.add(candidate("d", 1, -0.25, 1.125, 0.0, 1.0, 1.0, false, null));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** E_x E_π[U] = Σ_rows w·π(y|x)·U(x, y) / Σ_x w_x, in Spark SQL from the window softmax and the utility column. */
    @Test
    void exactExpectationAsColumnsEqualsThePolicyLossAndThePolicyEvaluation() {
        Dataset<Row> rows = PolicyEvaluation.withProbability(rows(), POLICY, "pi");
        Column weight = col("weight");
        Row totals = rows.agg(sum(weight.multiply(col("pi")).multiply(objective.utilityOf())), sum(col("pi").multiply(weight))).first();
        double columns = totals.getDouble(0) / totals.getDouble(1);

        PolicyLoss loss = new PolicyLoss(PolicyData.blocks(rows(), POLICY.featurizer(), objective.utilityOf(), 7), THETA.length,
                0, 0, 2, 1, 7);
        assertThat(-loss.evaluate(THETA).value()).isCloseTo(columns, within(1e-12));
        assertThat((Double) PolicyEvaluation.evaluate(rows(), POLICY, objective.utilityOf(), 7, 0, 0.95).get("mean_utility"))
                .isCloseTo(columns, within(1e-12));
        // not a restatement of the uniform mean: the policy moves the value
        assertThat(Math.abs(columns - 3.0)).isGreaterThan(1e-3);
    }

    /** The objective's IPS and SNIPS with the policy as the off-policy target, against the logged-data training loss. */
    @Test
    void loggedEstimatesAsColumnsEqualTheLoggedPolicyLoss() {
        ExpectedUtilityObjective logged = objective.withPolicy(POLICY).forInput(List.of(SCHEMA.fieldNames()));
        assertThat(logged.policyTarget()).isTrue();
        Dataset<Row> shown = logged.withPolicyTarget(rows());
        List<String> names = new ArrayList<>(logged.sums().keySet());
        List<Column> columns = new ArrayList<>(List.of(col("weight"), logged.lossNumerator()));
        for (String name : names) {
            columns.add(logged.sums().get(name).as(name));
        }
        LossStats stats = LossStats.empty();
        for (Row row : shown.select(columns.toArray(Column[]::new)).collectAsList()) {
            stats.add(row.getDouble(0), row.getDouble(1), 1);
            for (int k = 0; k < names.size(); k++) {
                stats.addSum(names.get(k), row.getDouble(2 + k));
            }
        }
        Map<String, Double> figures = logged.resampledFigures(stats);

        for (boolean selfNormalised : new boolean[] {false, true}) {
            LoggedPolicyLoss loss = new LoggedPolicyLoss(PolicyData.loggedBlocks(rows(), POLICY.featurizer(), objective.utilityOf(), 7),
                    THETA.length, 0, selfNormalised, 2, 1, 7);
            double estimate = figures.get(selfNormalised ? "snips" : "ips");
            assertThat(-loss.evaluate(THETA).value()).isCloseTo(estimate, within(1e-12));
        }
        assertThat(figures.get("ips")).isNotCloseTo(figures.get("snips"), within(1e-6));
    }
}
