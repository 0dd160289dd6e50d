package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.JobConfig;
import io.alignloss.data.PreparedInput;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.Objective;
import io.alignloss.objective.Objectives;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link EvaluateInputs#read} on the committed samples: each objective as it reads its input ({@code forInput}), in
 * config order, and the columns it computes ({@code prepare}) on the checked rows.
 */
class EvaluateInputsTest extends LocalSparkTest {
    private static final JobConfig CONFIG = Configs.parse("""
            inputs.prefs { path = "data-samples/preferences-embedded.parquet", kind = preference }
            inputs.logged { path = "data-samples/logged.parquet", kind = sequence }
            objectives = [
              { name = offpolicy, type = expected-utility, input = logged, utility { helpfulness = 0.8, harmfulness = -0.2 } }
              { name = bt, type = bradley-terry, input = prefs }
            ]
            """);

    @Test
    void objectivesReadTheirInputsAndAddTheirColumns() {
        double[] weights = new double[16];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = (k % 3 - 1) * 0.25 + 0.0625 * k;
        }
        RewardModel model = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), weights,
                Map.of("objective", Map.of("name", "bt", "type", "bradley-terry")));
        List<Objective> configured = CONFIG.objectives().stream().map(Objectives::create).toList();
        Objective bound = ((BradleyTerryObjective) configured.get(1)).withModel(model);
        List<String> stages = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        EvaluateInputs inputs = EvaluateInputs.read(spark, CONFIG, List.of(configured.get(0), bound), input -> {
            checked.add(input.name());
            return input;
        }, new ArrayList<>(), new Stages(stages::add));

        List<String> names = List.copyOf(CONFIG.inputs().keySet());
        assertThat(stages).containsExactlyElementsOf(names.stream().map(name -> "check schema of input " + name).toList());
        assertThat(checked).containsExactlyElementsOf(names);
        assertThat(inputs.inputs().keySet()).containsExactlyElementsOf(names);
        // logged.parquet logs behavior_prob: the expected-utility objective reads it off-policy
        assertThat(inputs.objectives()).hasSize(2);
        assertThat(((ExpectedUtilityObjective) inputs.objectives().get(0)).offPolicy()).isTrue();
        assertThat(((ExpectedUtilityObjective) configured.get(0)).offPolicy()).isFalse();
        assertThat(inputs.objectives().get(1)).isSameAs(bound);
        assertThat(inputs.on("prefs")).containsExactly(bound);

        // the model's scores, w·e, against a plain loop over the embeddings read back
        PreparedInput prefs = inputs.inputs().get("prefs");
        List<Row> rows = prefs.rows().select(PreparedInput.column(FeatureSpec.CHOSEN_EMBEDDING), PreparedInput.column(FeatureSpec.REJECTED_EMBEDDING),
                bound.perExample().get(BradleyTerryObjective.CHOSEN_SCORE), bound.perExample().get(BradleyTerryObjective.REJECTED_SCORE))
                .limit(25).collectAsList();
        assertThat(rows).hasSize(25);
        for (Row row : rows) {
            assertThat(row.getDouble(2)).isCloseTo(dot(weights, row.getList(0)), within(1e-12));
            assertThat(row.getDouble(3)).isCloseTo(dot(weights, row.getList(1)), within(1e-12));
        }
    }

    private static double dot(double[] weights, List<Object> embedding) {
        assertThat(embedding).hasSize(weights.length);
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
            sum += weights[k] * ((Number) embedding.get(k)).doubleValue();
        }
        return sum;
    }
}
