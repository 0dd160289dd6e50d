package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.JobConfig;
import io.alignloss.diagnostics.Cell;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.Objective;
import io.alignloss.objective.Objectives;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.stats.LossStats;
import io.alignloss.testing.Configs;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Why a run stops before publishing, from hand-made scan results: reject fractions and inputs with nothing to evaluate. */
class InputChecksTest {
    private static final JobConfig CONFIG = Configs.parse("""
            inputs.prefs { path = "unused", kind = preference }
            inputs.logged { path = "unused", kind = sequence }
            objectives = [
              { name = bt, type = bradley-terry, input = prefs }
              { name = eu, type = expected-utility, input = logged, utility { reward = 1 } }
            ]
            """);

    /** One cell of an objective whose accepted rows have the given weights (loss 1 each). */
    private static Map<String, List<Cell>> cells(String objective, double... weights) {
        LossStats stats = LossStats.empty();
        for (double weight : weights) {
            stats.add(weight, 1.0, 1.0);
        }
        return Map.of(objective, List.of(new Cell(List.of(), 0, stats)));
    }

    private static Map<String, InputStats> stats(InputStats prefs, InputStats logged) {
        Map<String, InputStats> stats = new LinkedHashMap<>();
        stats.put("prefs", prefs);
        stats.put("logged", logged);
        return stats;
    }

    private static EvaluateInputs inputs(List<Objective> objectives) {
        return new EvaluateInputs(objectives, Map.of());
    }

    private static List<Objective> configured() {
        return CONFIG.objectives().stream().map(Objectives::create).toList();
    }

    @Test
    void aRejectFractionAboveTheLimitStopsTheRunOneAtTheLimitDoesNot() {
        // 1 of 4 = 0.25 is not above 0.25; 3 of 10 = 0.3 is
        Map<String, InputStats> stats = stats(new InputStats(4, 1, List.of(), cells("bt", 1, 1, 1)),
                new InputStats(10, 3, List.of(), cells("eu", 1, 1, 1, 1, 1, 1, 1)));
        assertThat(InputChecks.rejectFractionExceeded(stats, 0.25))
                .containsExactly("input 'logged': 3 of 10 rows rejected (0.3000 > 0.25)");
        assertThat(InputChecks.rejectFractionExceeded(stats, 0.3)).isEmpty();
        assertThat(InputChecks.rejectFractionExceeded(stats, 0.2)).hasSize(2);
    }

    @Test
    void inputsWithNoRowsAllRejectedOrNoWeightHaveNothingToEvaluate() {
        EvaluateInputs inputs = inputs(configured());
        assertThat(InputChecks.nothingToEvaluate(inputs, stats(new InputStats(0, 0, List.of(), Map.of()),
                new InputStats(5, 5, List.of(), Map.of()))))
                .containsExactly(Map.entry("prefs", "0 rows read"), Map.entry("logged", "5 rows read, all rejected"));
        // accepted rows whose weights sum to 0 give no loss
        assertThat(InputChecks.nothingToEvaluate(inputs, stats(new InputStats(3, 0, List.of(), cells("bt", 0, 0, 0)),
                new InputStats(2, 0, List.of(), cells("eu", 1, 0.5)))))
                .containsExactly(Map.entry("prefs", "objective 'bt': its 3 rows weigh 0 in total"));
        assertThat(InputChecks.nothingToEvaluate(inputs, stats(new InputStats(3, 1, List.of(), cells("bt", 1, 2)),
                new InputStats(2, 0, List.of(), cells("eu", 1, 0.5))))).isEmpty();
    }

    @Test
    void withAPolicyAsOffPolicyTargetOnlyLoggedRowsAreCounted() {
        RewardModel policy = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[] {1, 0},
                Map.of("objective", Map.of("name", "eu", "type", "expected-utility")));
        List<Objective> objectives = configured().stream().map(objective -> objective instanceof ExpectedUtilityObjective eu
                ? eu.withPolicy(policy).forInput(List.of("reward", ExpectedUtilityObjective.BEHAVIOR_PROB, "logged")) : objective).toList();
        assertThat(objectives.get(1).policyTarget()).isTrue();
        EvaluateInputs inputs = inputs(objectives);
        assertThat(InputChecks.nothingToEvaluate(inputs, stats(new InputStats(2, 0, List.of(), cells("bt", 1, 1)),
                new InputStats(0, 0, List.of(), Map.of()))))
                .containsExactly(Map.entry("logged", "no logged rows: no row has logged = true"));
        assertThat(InputChecks.nothingToEvaluate(inputs, stats(new InputStats(2, 0, List.of(), cells("bt", 1, 1)),
                new InputStats(4, 4, List.of(), Map.of()))))
                .containsExactly(Map.entry("logged", "4 logged rows read, all rejected"));
    }
}
