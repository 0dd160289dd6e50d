package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The expected-utility samples end to end through the command line: {@code conf/train-policy.conf} trains a
 * policy on {@code data-samples/candidates.parquet} and {@code conf/evaluate-logged.conf} estimates a target
 * policy's utility from {@code data-samples/logged.parquet}; both reports render.
 */
class PolicySamplesTest extends LocalSparkTest {
    @TempDir
    Path temp;

    @Test
    void trainPolicyConfTrainsAPolicyBetterThanUniformAndItsReportHasTheTrainingCurve() throws Exception {
        Path out = temp.resolve("train-policy");
        assertThat(Main.execute("train", "--config", "conf/train-policy.conf", "--out", out.toString())).isEqualTo(0);
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
        JsonNode train = summary.get("train");
        assertThat(train.get("model_kind").asText()).isEqualTo("policy");
        assertThat(train.at("/train/prompts").asLong()).isEqualTo(500);
        double uniform = train.at("/uniform/mean_utility").asDouble();
        double trained = train.at("/train/mean_utility").asDouble();
        System.out.printf("samples policy: uniform %.4f, trained %.4f%n", uniform, trained);
        assertThat(trained).isGreaterThan(uniform + 0.5);
        // by hand from the rows and the saved θ: V(π) = mean_x Σ_y π_θ(y|x)·U, V(uniform) = mean_x mean_y U,
        // U = 0.8·helpfulness − 0.2·harmfulness, candidate sets = rows sharing prompt_id
        double[] theta = io.alignloss.model.RewardModel.load(out.resolve("model").toString(),
                spark.sparkContext().hadoopConfiguration()).weights();
        java.util.Map<String, List<Row>> sets = new java.util.TreeMap<>();
        for (Row row : spark.read().parquet("data-samples/candidates.parquet").collectAsList()) {
            sets.computeIfAbsent(row.getAs("prompt_id"), key -> new java.util.ArrayList<>()).add(row);
        }
        double policyValue = 0;
        double uniformValue = 0;
        for (List<Row> set : sets.values()) {
            double[][] features = new double[set.size()][];
            double[] utilities = new double[set.size()];
            for (int y = 0; y < set.size(); y++) {
                Row row = set.get(y);
                List<Float> embedding = row.getList(row.fieldIndex("embedding"));
                features[y] = embedding.stream().mapToDouble(Float::doubleValue).toArray();
                utilities[y] = 0.8 * row.<Double>getAs("helpfulness") - 0.2 * row.<Double>getAs("harmfulness");
                uniformValue += utilities[y] / set.size() / 500;
            }
            policyValue += io.alignloss.testing.PlainPolicy.expectedUtility(theta, features, utilities) / 500;
        }
        assertThat(sets).hasSize(500);
        assertThat(trained).isCloseTo(policyValue, within(1e-9));
        assertThat(train.at("/train/loss").asDouble()).isCloseTo(-policyValue, within(1e-9));
        assertThat(uniform).isCloseTo(uniformValue, within(1e-9));
        assertThat(train.at("/history/0/train_mean_utility").isNumber()).isTrue();
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("id=\"plot-train\"").contains("<th>mean utility</th>");
        assertThat(out.resolve("model/model.json")).exists();

        // conf/evaluate-policy.conf with this model: exact E_π[U] on the candidate sets, off-policy estimates on logged candidate sets
        Path conf = temp.resolve("evaluate-policy.conf");
        Files.writeString(conf, Files.readString(Path.of("conf/evaluate-policy.conf"))
                .replace("target/runs/train-policy/model", out.resolve("model").toString()));
        Path evaluated = temp.resolve("evaluate-policy");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", evaluated.toString())).isEqualTo(0);
        JsonNode objectives = SummaryJson.mapper().readTree(Files.readString(evaluated.resolve("summary.json"))).get("objectives");
        JsonNode policy = objectives.at("/exact/policy");
        assertThat(policy.get("mean_utility").asDouble()).isCloseTo(trained, within(1e-6));
        assertThat(policy.get("uniform_mean_utility").asDouble()).isCloseTo(uniform, within(1e-9));
        assertThat(objectives.at("/exact/policy_mean_utility").asDouble()).isCloseTo(trained, within(1e-6));
        assertThat(policy.at("/gain/ci/0").asDouble()).isGreaterThan(0);
        // the logged data follow the same hidden utility: the policy's SNIPS estimate beats the behaviour policy's logged mean utility
        JsonNode offPolicy = objectives.get("offpolicy");
        System.out.printf("samples policy off-policy: snips %.4f %s, ips %.4f, ess %.1f%n", offPolicy.at("/snips/value").asDouble(),
                offPolicy.at("/snips/ci"), offPolicy.at("/ips/value").asDouble(), offPolicy.get("ess").asDouble());
        assertThat(offPolicy.at("/snips/value").asDouble()).isGreaterThan(offPolicy.get("mean_utility").asDouble());
    }

    @Test
    void evaluateLoggedConfReportsIpsSnipsClippedIpsAndEssEqualToAPlainComputation() throws Exception {
        Path out = temp.resolve("evaluate-logged");
        assertThat(Main.execute("evaluate", "--config", "conf/evaluate-logged.conf", "--out", out.toString())).isEqualTo(0);
        JsonNode o = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json"))).at("/objectives/offpolicy");

        // ips = Σ w·U / n, snips = Σ w·U / Σ w, clipped = Σ min(w, 10)·U / n, ess = (Σ w)² / Σ w², w = target/behavior
        List<Row> rows = spark.read().parquet("data-samples/logged.parquet").collectAsList();
        double n = 0, sw = 0, sw2 = 0, swu = 0, sclipped = 0, su = 0;
        for (Row row : rows) {
            double u = 0.8 * row.<Double>getAs("helpfulness") - 0.2 * row.<Double>getAs("harmfulness");
            double w = row.<Double>getAs("target_prob") / row.<Double>getAs("behavior_prob");
            n++;
            su += u;
            sw += w;
            sw2 += w * w;
            swu += w * u;
            sclipped += Math.min(w, 10) * u;
        }
        assertThat(o.at("/ips/value").asDouble()).isCloseTo(swu / n, within(1e-9));
        assertThat(o.at("/snips/value").asDouble()).isCloseTo(swu / sw, within(1e-9));
        assertThat(o.at("/clipped_ips/value").asDouble()).isCloseTo(sclipped / n, within(1e-9));
        assertThat(o.get("ess").asDouble()).isCloseTo(sw * sw / sw2, within(1e-6));
        for (String estimator : new String[] {"ips", "snips", "clipped_ips"}) {
            JsonNode ci = o.at("/" + estimator + "/ci");
            assertThat(ci.size()).isEqualTo(2);
            assertThat(ci.get(0).asDouble()).isLessThanOrEqualTo(o.at("/" + estimator + "/value").asDouble());
            assertThat(ci.get(1).asDouble()).isGreaterThanOrEqualTo(o.at("/" + estimator + "/value").asDouble());
        }
        // the logged rows' own mean utility, which no estimate above equals
        assertThat(o.get("mean_utility").asDouble()).isCloseTo(su / n, within(1e-9));
        assertThat(o.get("loss").asDouble()).isCloseTo(-su / n, within(1e-9));
        assertThat(Files.readString(out.resolve("report.html"))).startsWith("<!DOCTYPE html>").contains("offpolicy");
    }

    @Test
    void trainOffpolicyConfTrainsOnLoggedCandidateSetsAndEvaluatesTheTrainedPolicyAsTheTarget() throws Exception {
        Path out = temp.resolve("train-offpolicy");
        assertThat(Main.execute("train", "--config", "conf/train-offpolicy.conf", "--out", out.toString())).isEqualTo(0);
        JsonNode summary = SummaryJson.mapper().readTree(Files.readString(out.resolve("summary.json")));
        JsonNode train = summary.get("train");
        assertThat(train.get("estimator").asText()).isEqualTo("snips");
        assertThat(train.at("/train/logged").asLong()).isEqualTo(1000);
        double before = train.at("/uniform/snips").asDouble();
        double after = train.at("/train/snips").asDouble();
        System.out.printf("samples off-policy training: snips uniform %.4f, trained %.4f, ess %.1f -> %.1f%n", before, after,
                train.at("/uniform/ess").asDouble(), train.at("/train/ess").asDouble());
        assertThat(after).isGreaterThan(before + 0.3);
        // the evaluation after training: the logged rows, with the trained policy as the target
        JsonNode policy = summary.at("/objectives/policy");
        assertThat(policy.get("count").asLong()).isEqualTo(1000);
        assertThat(policy.at("/snips/value").asDouble()).isCloseTo(after, within(1e-6));
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"plot-train\"");
    }
}
