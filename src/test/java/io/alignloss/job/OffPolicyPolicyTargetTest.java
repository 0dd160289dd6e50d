package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.data.RowRule;
import io.alignloss.model.RewardModel;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Off-policy estimates with a trained policy as the target ({@code model = …}): the logged data holds each
 * prompt's candidates, {@code logged = true} on the one shown; π_θ is normalised over the candidates and its
 * probability of the logged response is the target probability.
 */
class OffPolicyPolicyTargetTest extends LocalSparkTest {
    @TempDir
    Path temp;

    @Test
    @SuppressWarnings("unchecked")
    void thePolicyNormalisedOverEachPromptsCandidatesGivesTheTargetProbability() {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt_id", DataTypes.StringType)
                .add("prompt", DataTypes.StringType).add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
                .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)).add("behavior_prob", DataTypes.DoubleType)
                .add("logged", DataTypes.BooleanType);
        List<Row> rows = new ArrayList<>();
        // θ = (ln 2, 0): a candidate with e = (1, ·) has e^s = 2, one with e = (0, ·) has e^s = 1
        // p1: logged (1,0) U 2 b ½ vs (0,0): π = 2/3, w = 4/3
        rows.add(RowFactory.create("p1-a", "p1", "q1", "a", 2.0, List.of(1.0, 0.0), 0.5, true));
        rows.add(RowFactory.create("p1-b", "p1", "q1", "b", null, List.of(0.0, 0.0), null, false));
        // p2: logged (0,0) U 1 b ¼ vs (1,0), (1,0): π = 1/5, w = 4/5
        rows.add(RowFactory.create("p2-a", "p2", "q2", "a", 1.0, List.of(0.0, 0.0), 0.25, true));
        rows.add(RowFactory.create("p2-b", "p2", "q2", "b", null, List.of(1.0, 0.0), null, false));
        rows.add(RowFactory.create("p2-c", "p2", "q2", "c", null, List.of(1.0, 0.0), null, false));
        // p3: logged (1,0) U −1 b ½ vs (0,5) (θ ignores the second dimension): π = 2/3, w = 4/3
        rows.add(RowFactory.create("p3-a", "p3", "q3", "a", -1.0, List.of(1.0, 0.0), 0.5, true));
        rows.add(RowFactory.create("p3-b", "p3", "q3", "b", null, List.of(0.0, 5.0), null, false));
        // p4: a candidate without an embedding: π cannot be normalised, the logged row is a bad_target_prob reject
        rows.add(RowFactory.create("p4-a", "p4", "q4", "a", 1.0, List.of(1.0, 0.0), 0.5, true));
        rows.add(RowFactory.create("p4-b", "p4", "q4", "b", null, null, null, false));
        String path = temp.resolve("logged.parquet").toString();
        spark.createDataFrame(rows, schema).repartition(2).write().parquet(path);

        String model = temp.resolve("policy").toString();
        new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[] {Math.log(2), 0},
                Map.of("objective", Map.of("name", "eu", "type", "expected-utility")))
                .save(new org.apache.hadoop.fs.Path(model), spark.sparkContext().hadoopConfiguration());

        EvaluateJob.Settings settings = new EvaluateJob.Settings(Configs.parse("inputs.logged { path = \"" + path
                + "\", kind = sequence }\nobjectives = [ { name = eu, type = expected-utility, input = logged, "
                + "utility { reward = 1 }, model = \"" + model + "\", clip = 1 } ]\nbootstrap = 20"), temp.resolve("out").toString(),
                false, 1.0, 7, EvaluateJob.Mode.EVALUATE);
        Map<String, Object> summary = SummaryMaps.of(new EvaluateJob(settings).run(spark).summary());

        Map<String, Object> rejects = (Map<String, Object>) summary.get("rejects");
        assertThat((Map<String, Long>) rejects.get("by_reason")).containsOnly(Map.entry(RowRule.BAD_TARGET_PROB, 1L));
        Map<String, Object> eu = (Map<String, Object>) ((Map<String, Object>) summary.get("objectives")).get("eu");
        assertThat(((Number) eu.get("count")).longValue()).isEqualTo(3);
        // w = (4/3, 4/5, 4/3), U = (2, 1, −1): ips = (8/3 + 4/5 − 4/3) / 3 = 32/45; snips = (32/15) / (52/15) = 8/13;
        // clipped at 1: (2 + 4/5 − 1) / 3 = 3/5; ess = (52/15)² / (16/9 + 16/25 + 16/9)
        assertThat((Double) ((Map<String, Object>) eu.get("ips")).get("value")).isCloseTo(32.0 / 45, within(1e-12));
        assertThat((Double) ((Map<String, Object>) eu.get("snips")).get("value")).isCloseTo(8.0 / 13, within(1e-12));
        assertThat((Double) ((Map<String, Object>) eu.get("clipped_ips")).get("value")).isCloseTo(3.0 / 5, within(1e-12));
        double ess = Math.pow(52.0 / 15, 2) / (16.0 / 9 + 16.0 / 25 + 16.0 / 9);
        assertThat((Double) eu.get("ess")).isCloseTo(ess, within(1e-12));
        assertThat((Double) eu.get("mean_utility")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(eu).doesNotContainKey("policy");
        assertThat(Arrays.asList(((String) eu.get("description")).split(";"))).anyMatch(part -> part.contains("target policy " + model));
    }
}
