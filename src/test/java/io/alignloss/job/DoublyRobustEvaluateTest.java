package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.data.RowRule;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.RewardModel;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.testing.SummaryMaps;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The doubly robust estimates of {@code evaluate} with a trained policy as the target and {@code q-hat}, on a hand
 * example where IPS, DM and DR differ. The policy θ = (ln 2, 0) gives a candidate with e = (1, ·) the unnormalised
 * weight 2 and one with e = (0, ·) the weight 1. Sets (logged candidate first; U, μ and q̂):
 * <pre>
 *   p1: a (1,0) U 2, μ ½, q̂ 1.5 | b (0,0) q̂ 0.5           π = (2/3, 1/3)       w = 4/3   DM = 7/6   U − q̂ = ½
 *   p2: a (0,0) U 1, μ ¼, q̂ 0   | b, c (1,0) q̂ 2, 1        π = (1/5, 2/5, 2/5)  w = 4/5   DM = 6/5   U − q̂ = 1
 *   p3: a (1,0) U −1, μ ½, q̂ 0  | b (0,5) q̂ 3               π = (2/3, 1/3)       w = 4/3   DM = 1     U − q̂ = −1
 *   p4: a (1,0) U 1, μ ½, q̂ 1   | b (0,0) q̂ null            a bad_q_hat reject
 * </pre>
 * so IPS = 32/45, DM = 101/90, DR = 101/90 + (2/15)/3 = 7/6, SNDR = 101/90 + (2/15)/(52/15) = 101/90 + 1/26 and, at
 * τ = 1 (only p2's correction kept), switch-DR = 101/90 + (4/5)/3 = 25/18. The test recomputes each from the rows
 * with a plain loop over the formulas and checks the fractions too.
 */
class DoublyRobustEvaluateTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("prompt_id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType).add("response", DataTypes.StringType).add("reward", DataTypes.DoubleType)
            .add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)).add("behavior_prob", DataTypes.DoubleType)
            .add("logged", DataTypes.BooleanType).add("q", DataTypes.DoubleType);

    /** Per kept set: unnormalised π weights (2 or 1), q̂ of each candidate (logged first), U, μ. */
    private static final double[][][] SETS = {
            {{2, 1}, {1.5, 0.5}, {2, 0.5}},
            {{1, 2, 2}, {0, 2, 1}, {1, 0.25}},
            {{2, 1}, {0, 3}, {-1, 0.5}}};

    @TempDir
    Path temp;

    private String data;
    private String model;

    @BeforeEach
    void write() {
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create("p1-a", "p1", "q1", "a", 2.0, List.of(1.0, 0.0), 0.5, true, 1.5));
        rows.add(RowFactory.create("p1-b", "p1", "q1", "b", null, List.of(0.0, 0.0), null, false, 0.5));
        rows.add(RowFactory.create("p2-a", "p2", "q2", "a", 1.0, List.of(0.0, 0.0), 0.25, true, 0.0));
        rows.add(RowFactory.create("p2-b", "p2", "q2", "b", null, List.of(1.0, 0.0), null, false, 2.0));
        rows.add(RowFactory.create("p2-c", "p2", "q2", "c", null, List.of(1.0, 0.0), null, false, 1.0));
        rows.add(RowFactory.create("p3-a", "p3", "q3", "a", -1.0, List.of(1.0, 0.0), 0.5, true, 0.0));
        rows.add(RowFactory.create("p3-b", "p3", "q3", "b", null, List.of(0.0, 5.0), null, false, 3.0));
        rows.add(RowFactory.create("p4-a", "p4", "q4", "a", 1.0, List.of(1.0, 0.0), 0.5, true, 1.0));
        rows.add(RowFactory.create("p4-b", "p4", "q4", "b", null, List.of(0.0, 0.0), null, false, null));
        data = temp.resolve("logged.parquet").toString();
        spark.createDataFrame(rows, SCHEMA).repartition(2).write().parquet(data);
        model = temp.resolve("policy").toString();
        new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[] {Math.log(2), 0},
                Map.of("objective", Map.of("name", "eu", "type", "expected-utility")))
                .save(new org.apache.hadoop.fs.Path(model), spark.sparkContext().hadoopConfiguration());
    }

    private Map<String, Object> evaluate(String objectives) {
        EvaluateJob.Settings settings = new EvaluateJob.Settings(Configs.parse("inputs.logged { path = \"" + data
                + "\", kind = sequence }\nobjectives = [ " + objectives + " ]\nbootstrap = 20"), temp.resolve("out").toString(),
                false, 1.0, 7, EvaluateJob.Mode.EVALUATE);
        return SummaryMaps.of(new EvaluateJob(settings).run(spark).summary());
    }

    private String objective(String name, String extra) {
        return "{ name = " + name + ", type = expected-utility, input = logged, utility { reward = 1 }, model = \"" + model + "\"" + extra + " }";
    }

    @SuppressWarnings("unchecked")
    private static double value(Map<String, Object> objective, String figure) {
        return (Double) ((Map<String, Object>) objective.get(figure)).get("value");
    }

    @Test
    @SuppressWarnings("unchecked")
    void drIpsAndDmDifferAndEqualHandValues() {
        Map<String, Object> summary = evaluate(objective("dr", ", q-hat = q, switch-tau = 1") + "\n"
                + objective("inf", ", q-hat = q, switch-tau = 1e300") + "\n" + objective("zero", ", q-hat = q, switch-tau = 0"));

        // the formulas over the kept sets, in a plain loop
        double n = SETS.length;
        double ips = 0;
        double dm = 0;
        double correction = 0;
        double weights = 0;
        double switched = 0;
        for (double[][] set : SETS) {
            double total = 0;
            for (double e : set[0]) {
                total += e;
            }
            double direct = 0;
            for (int a = 0; a < set[0].length; a++) {
                direct += set[0][a] / total * set[1][a];
            }
            double w = set[0][0] / total / set[2][1];
            double u = set[2][0];
            ips += w * u / n;
            dm += direct / n;
            correction += w * (u - set[1][0]);
            weights += w;
            switched += w <= 1 ? w * (u - set[1][0]) : 0;
        }
        double dr = dm + correction / n;
        double sndr = dm + correction / weights;
        double switchDr = dm + switched / n;
        assertThat(ips).isCloseTo(32.0 / 45, within(1e-12));
        assertThat(dm).isCloseTo(101.0 / 90, within(1e-12));
        assertThat(dr).isCloseTo(7.0 / 6, within(1e-12));
        assertThat(sndr).isCloseTo(101.0 / 90 + 1.0 / 26, within(1e-12));
        assertThat(switchDr).isCloseTo(25.0 / 18, within(1e-12));

        Map<String, Object> rejects = (Map<String, Object>) summary.get("rejects");
        assertThat((Map<String, Long>) rejects.get("by_reason")).containsOnly(Map.entry(RowRule.BAD_Q_HAT, 1L));
        Map<String, Object> objectives = (Map<String, Object>) summary.get("objectives");
        Map<String, Object> eu = (Map<String, Object>) objectives.get("dr");
        assertThat(((Number) eu.get("count")).longValue()).isEqualTo(3);
        assertThat(value(eu, "ips")).isCloseTo(ips, within(1e-12));
        assertThat(value(eu, "dm")).isCloseTo(dm, within(1e-12));
        assertThat(value(eu, "dr")).isCloseTo(dr, within(1e-12));
        assertThat(value(eu, "sndr")).isCloseTo(sndr, within(1e-12));
        assertThat(value(eu, "switch_dr")).isCloseTo(switchDr, within(1e-12));
        assertThat(eu.get("q_hat")).isEqualTo("q");
        assertThat(((Number) eu.get("switch_tau")).doubleValue()).isEqualTo(1.0);
        // each with an interval block, as ips (the golden run of conf/evaluate-dr.conf has them filled)
        for (String figure : List.of("dm", "dr", "sndr", "switch_dr")) {
            assertThat((Map<String, Object>) eu.get(figure)).as(figure).containsOnlyKeys("value", "ci");
        }
        // switch-DR at τ = ∞ keeps every correction (= DR), at τ = 0 none (= DM), on the same rows
        Map<String, Object> inf = (Map<String, Object>) objectives.get("inf");
        assertThat(value(inf, "switch_dr")).isCloseTo(value(inf, "dr"), within(1e-12)).isNotCloseTo(value(inf, "dm"), within(1e-3));
        Map<String, Object> zero = (Map<String, Object>) objectives.get("zero");
        assertThat(value(zero, "switch_dr")).isCloseTo(value(zero, "dm"), within(1e-12)).isNotCloseTo(value(zero, "dr"), within(1e-3));
    }

    @Test
    void anAbsentQHatColumnOrNoPolicyTargetIsAConfigError() {
        assertThatThrownBy(() -> evaluate(objective("eu", ", q-hat = nowhere")))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code().exitStatus()).isEqualTo(2))
                .hasMessageContaining("nowhere");
        assertThatThrownBy(() -> evaluate("{ name = eu, type = expected-utility, input = logged, utility { reward = 1 }, q-hat = q }"))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("the objective has no model");
    }
}
