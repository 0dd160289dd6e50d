package io.alignloss.job;

import io.alignloss.data.RowRule;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.testing.SummaryMaps;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code evaluate} on logged data: the scan's off-policy sums give the hand-computed IPS figures, bad probabilities are rejects. */
class OffPolicyEvaluateTest extends LocalSparkTest {
    @TempDir
    Path temp;

    @Test
    @SuppressWarnings("unchecked")
    void loggedDataGetsIpsSnipsClippedIpsAndEssAndBadProbabilitiesAreRejected() {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
                .add("behavior_prob", DataTypes.DoubleType).add("target_prob", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        // accepted: (U, behavior, target, row weight ω) = (2, 0.5, 0.25, 1) w 0.5; (1, 0.25, 0.75, 2) w 3; (−1, 0.5, 1, 1) w 2
        rows.add(RowFactory.create("a", "p1", "r1", 2.0, 0.5, 0.25, 1.0));
        rows.add(RowFactory.create("b", "p2", "r2", 1.0, 0.25, 0.75, 2.0));
        rows.add(RowFactory.create("c", "p3", "r3", -1.0, 0.5, 1.0, 1.0));
        rows.add(RowFactory.create("zero-behavior", "p4", "r4", 1.0, 0.0, 0.5, 1.0));
        rows.add(RowFactory.create("big-behavior", "p5", "r5", 1.0, 1.5, 0.5, 1.0));
        rows.add(RowFactory.create("null-behavior", "p6", "r6", 1.0, null, 0.5, 1.0));
        rows.add(RowFactory.create("nan-target", "p7", "r7", 1.0, 0.5, Double.NaN, 1.0));
        rows.add(RowFactory.create("negative-target", "p8", "r8", 1.0, 0.5, -0.1, 1.0));
        String path = temp.resolve("logged.parquet").toString();
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);

        EvaluateJob.Settings settings = new EvaluateJob.Settings(Configs.parse("inputs.logged { path = \"" + path
                + "\", kind = sequence }\nobjectives = [ { name = eu, type = expected-utility, input = logged, "
                + "utility { reward = 1 }, clip = 1 } ]\nbootstrap = 50"
                // three accepted rows, resampled by id as when this test was written (by prompt, the buckets differ and
                // with 3 buckets more than 5% of 50 replicates may draw none of them: no interval)
                + "\ninputs.logged.cluster = none"), temp.resolve("out").toString(), false, 1.0, 7,
                EvaluateJob.Mode.EVALUATE);
        EvaluateJob.Result result = new EvaluateJob(settings).run(spark);

        Map<String, Object> summary = SummaryMaps.of(result.summary());
        Map<String, Object> rejects = (Map<String, Object>) summary.get("rejects");
        assertThat((Map<String, Long>) rejects.get("by_reason"))
                .containsEntry(RowRule.BAD_BEHAVIOR_PROB, 3L).containsEntry(RowRule.BAD_TARGET_PROB, 2L);
        Map<String, Object> eu = (Map<String, Object>) ((Map<String, Object>) summary.get("objectives")).get("eu");
        assertThat(((Number) eu.get("count")).longValue()).isEqualTo(3);
        // Σ ω = 4, Σ ω·w = 0.5 + 6 + 2 = 8.5, Σ ω·w·U = 1 + 6 − 2 = 5: ips = 5/4; snips = 5/8.5 = 10/17;
        // clipped (clip 1) = (0.5·2 + 2·1 − 1) / 4 = 1/2; ess (Kish) = 8.5² / (0.25 + 36 + 4) = 289/161
        assertThat((Double) ((Map<String, Object>) eu.get("ips")).get("value")).isCloseTo(5.0 / 4, within(1e-12));
        assertThat((Double) ((Map<String, Object>) eu.get("snips")).get("value")).isCloseTo(10.0 / 17, within(1e-12));
        assertThat((Double) ((Map<String, Object>) eu.get("clipped_ips")).get("value")).isCloseTo(1.0 / 2, within(1e-12));
        assertThat((List<Double>) ((Map<String, Object>) eu.get("ips")).get("ci")).hasSize(2);
        assertThat((Double) eu.get("ess")).isCloseTo(289.0 / 161, within(1e-12));
        // the loss stays −E[U] over the logged rows, weighted: (2 + 2·1 − 1) / 4 = 3/4, unlike every estimate above
        assertThat((Double) eu.get("mean_utility")).isCloseTo(3.0 / 4, within(1e-12));
        assertThat((Double) eu.get("loss")).isCloseTo(-3.0 / 4, within(1e-12));
    }
}
