package io.alignloss.bench;

import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import io.alignloss.synth.SampleData;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.text.Tokens;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** bench lm on a few hundred synthetic rows: the report's fields are there, positive and consistent (timings are never asserted). */
class LmBenchmarkTest extends LocalSparkTest {
    private static final int ROWS = 300;
    private static final long SEED = 7;

    @Test
    void flopsPerTokenFollowsTheFormula() {
        // n = 3, d = 4, C = 3, m = 2: 2·3·4 + 6·4·(3 + 2) + (3 + 2) = 24 + 120 + 5
        assertThat(LmFlops.flopsPerToken(3, 4, 3, 2)).isEqualTo(149);
        assertThat(LmFlops.expsPerToken(3, 2)).isEqualTo(5);
        // 149 FLOPs at 1e9 FLOP/s on 2 cores
        assertThat(LmFlops.floorSecondsPerToken(149, 1e9, 2)).isCloseTo(74.5e-9, within(1e-15));
    }

    @Test
    void targetsCountScoredPositionsAndTheirClassSizes() {
        // kept ids 5 | 6, 7 (two classes); everything else, END included, is rare
        Vocabulary vocabulary = new Vocabulary(new int[] {5, 6, 7}, new int[] {0, 1, 3});
        SequenceBlock block = SequenceBlock.of(List.of(new SequenceBlock.Row(new int[] {5}, new int[] {6, 9999}, 1, 0)));
        // sequence 5, 6, 9999, END: conditional targets 6 (class of 2), 9999 and END (rare)
        LmFlops.Targets conditional = LmFlops.targets(List.of(block).iterator(), vocabulary, false);
        assertThat(conditional).isEqualTo(new LmFlops.Targets(3, 2, 2));
        assertThat(conditional.meanClassSize()).isCloseTo(2.0 / 3, within(1e-12));
        // joint adds target 5 (class of 1)
        assertThat(LmFlops.targets(List.of(block).iterator(), vocabulary, true)).isEqualTo(new LmFlops.Targets(4, 3, 2));
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsTokensPerSecondAgainstTheArithmeticFloor() throws Exception {
        StringWriter text = new StringWriter();
        Map<String, Object> report = LmBenchmark.run(spark, new LmBenchmark.Settings(ROWS, 2, 1, 1, SEED, Optional.empty(), 0.05),
                new PrintWriter(text));

        long responseTokens = 0;
        long allTokens = 0;
        for (Row row : SampleData.sequences(ROWS, SEED)) {
            int response = Tokens.encode(row.getString(2)).length + 1;
            responseTokens += response;
            allTokens += Tokens.encode(row.getString(1)).length + response;
        }
        assertThat(report).containsEntry("rows", (long) ROWS).containsEntry("partitions", 2).containsEntry("cores", 2);
        int classes = (Integer) report.get("output_classes");
        Map<String, Object> conditional = (Map<String, Object>) report.get("conditional");
        Map<String, Object> joint = (Map<String, Object>) report.get("joint");
        assertThat(conditional).containsEntry("tokens_per_pass", responseTokens).containsEntry("scored_positions", responseTokens)
                .containsEntry("counted_positions", responseTokens);
        assertThat(joint).containsEntry("tokens_per_pass", allTokens).containsEntry("scored_positions", allTokens);
        for (Map<String, Object> mode : List.of(conditional, joint)) {
            double meanClassSize = (Double) mode.get("mean_class_size");
            assertThat(meanClassSize).isPositive();
            assertThat((Double) mode.get("flops_per_token")).isEqualTo(LmFlops.flopsPerToken(3, 32, classes, meanClassSize));
            double secondsPerPass = (Double) mode.get("seconds_per_pass");
            double floor = (Double) mode.get("floor_seconds_per_token");
            assertThat(secondsPerPass).isPositive();
            assertThat(floor).isPositive();
            assertThat((Double) mode.get("tokens_per_second")).isCloseTo(((Long) mode.get("tokens_per_pass")) / secondsPerPass, within(1e-6));
            assertThat((Double) mode.get("ratio")).isCloseTo((Double) mode.get("seconds_per_token") / floor, within(1e-9));
            assertThat((Long) mode.get("gradient_entries")).isPositive();
            assertThat((Double) mode.get("cpu_ratio")).isPositive();
            assertThat((Double) mode.get("task_core_share")).isPositive();
        }
        Map<String, Object> arithmetic = (Map<String, Object>) report.get("arithmetic");
        assertThat((Double) arithmetic.get("flops_per_second_per_core")).isPositive();
        assertThat((Double) arithmetic.get("seconds_per_exp")).isPositive();
        Map<String, Object> overhead = (Map<String, Object>) report.get("overhead");
        assertThat((Double) overhead.get("trivial_pass_seconds")).isPositive();
        assertThat((Double) overhead.get("gradient_setup_seconds_per_task")).isPositive();
        Map<String, Object> adam = (Map<String, Object>) report.get("adam");
        assertThat((Double) adam.get("tokens_per_iteration")).isPositive().isLessThan(responseTokens);
        assertThat(text.toString()).contains("\"flops_formula\"").contains("ratio = measured s/token / floor s/token");
        assertThat(spark.sparkContext().getPersistentRDDs().isEmpty()).isTrue();
    }
}
