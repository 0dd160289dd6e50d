package io.alignloss.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.stats.Expressions;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * compare end to end: two small runs evaluated by the real {@code evaluate} (run b's scores shifted, its sequence
 * log-probabilities scaled by 1.1, and a few ids missing on either side), compared from the command line, and every
 * figure checked against plain-Java loops over the rows read back from the two runs' inputs.
 */
class CompareJobTest extends LocalSparkTest {
    private static final Set<String> ONLY_IN_A = Set.of("p000003", "p000011", "s000005");
    private static final Set<String> ONLY_IN_B = Set.of("p000020", "s000007", "s000013");

    @TempDir
    static Path temp;
    private Path runA;
    private Path runB;

    @BeforeAll
    void evaluateTwoRuns() throws IOException {
        String prefs = "data-samples/preferences.parquet";
        String seqs = "data-samples/sequences.parquet";
        // run a lacks ONLY_IN_B, run b lacks ONLY_IN_A; run b's margins move by a row-dependent amount and its token
        // log-probabilities are 10% lower (a worse language model)
        Dataset<Row> somePrefs = spark.read().parquet(prefs).filter(col("id").lt(lit("p000400")));
        Dataset<Row> someSeqs = spark.read().parquet(seqs).filter(col("id").lt(lit("s000400")));
        somePrefs.filter(not(col("id").isin(ONLY_IN_B.toArray()))).write().parquet(temp.resolve("a-prefs").toString());
        someSeqs.filter(not(col("id").isin(ONLY_IN_B.toArray()))).write().parquet(temp.resolve("a-seqs").toString());
        somePrefs.filter(not(col("id").isin(ONLY_IN_A.toArray())))
                .withColumn("chosen_score", col("chosen_score").plus(pmod(xxhash64(col("id")), lit(7L)).minus(3).multiply(0.4)))
                .write().parquet(temp.resolve("b-prefs").toString());
        someSeqs.filter(not(col("id").isin(ONLY_IN_A.toArray())))
                .withColumn("response_logprobs", expr("transform(response_logprobs, v -> v * 1.1)"))
                .write().parquet(temp.resolve("b-seqs").toString());
        runA = evaluate("a");
        runB = evaluate("b");
    }

    private Path evaluate(String side) throws IOException {
        Path config = temp.resolve(side + ".conf");
        Files.writeString(config, String.format("""
                inputs {
                  prefs { path = "%s", kind = preference }
                  seqs  { path = "%s", kind = sequence }
                }
                objectives = [
                  { name = bt, type = bradley-terry, input = prefs }
                  { name = lm, type = sequence-likelihood, input = seqs, mode = conditional }
                ]
                groups = [ language ]
                bootstrap = 0
                preference-biases = false
                """, temp.resolve(side + "-prefs"), temp.resolve(side + "-seqs")));
        Path out = temp.resolve("run-" + side);
        assertThat(Main.execute("evaluate", "--config", config.toString(), "--out", out.toString())).isZero();
        return out;
    }

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome compare(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = new String[args.length + 1];
        command[0] = "compare";
        System.arraycopy(args, 0, command, 1, args.length);
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command);
        return new Outcome(status, out.toString(), err.toString());
    }

    /** One row's figures in one run: cluster (its prompt), language, weight, y, x, correct (null for ties). */
    private record Scored(String cluster, String language, double w, double y, double x, Boolean correct) {
    }

    private Map<String, Scored> preferences(String side) {
        Map<String, Scored> rows = new HashMap<>();
        for (Row row : spark.read().parquet(temp.resolve(side + "-prefs").toString()).collectAsList()) {
            double margin = row.<Double>getAs("chosen_score") - row.<Double>getAs("rejected_score");
            double label = row.getAs("label");
            double loss = label * Expressions.softplus(-margin) + (1 - label) * Expressions.softplus(margin);
            Boolean correct = label == 0.5 ? null : label > 0.5 ? margin > 0 : margin < 0;
            rows.put(row.getAs("id"), new Scored(row.getAs("prompt"), row.getAs("language"), row.getAs("weight"), loss, 1, correct));
        }
        return rows;
    }

    private Map<String, Scored> sequences(String side) {
        Map<String, Scored> rows = new HashMap<>();
        for (Row row : spark.read().parquet(temp.resolve(side + "-seqs").toString()).collectAsList()) {
            List<Double> logprobs = row.getList(row.fieldIndex("response_logprobs"));
            double nll = -logprobs.stream().mapToDouble(Double::doubleValue).sum();
            rows.put(row.getAs("id"), new Scored(row.getAs("prompt"), row.getAs("language"), row.getAs("weight"), nll, logprobs.size(), null));
        }
        return rows;
    }

    /** L_b − L_a and its clustered linearised stderr over the matched ids (of one language, or all when null), by loops. */
    private static double[] pairedByHand(Map<String, Scored> a, Map<String, Scored> b, String language) {
        double ya = 0, xa = 0, yb = 0, xb = 0;
        for (Map.Entry<String, Scored> row : a.entrySet()) {
            Scored other = b.get(row.getKey());
            if (other != null && (language == null || language.equals(row.getValue().language()))) {
                ya += row.getValue().w() * row.getValue().y();
                xa += row.getValue().w() * row.getValue().x();
                yb += other.w() * other.y();
                xb += other.w() * other.x();
            }
        }
        double la = ya / xa;
        double lb = yb / xb;
        Map<String, Double> clusters = new LinkedHashMap<>();
        for (Map.Entry<String, Scored> row : a.entrySet()) {
            Scored other = b.get(row.getKey());
            if (other != null && (language == null || language.equals(row.getValue().language()))) {
                Scored mine = row.getValue();
                double u = other.w() * (other.y() - lb * other.x()) / xb - mine.w() * (mine.y() - la * mine.x()) / xa;
                clusters.merge(mine.cluster(), u, Double::sum);
            }
        }
        double squares = clusters.values().stream().mapToDouble(u -> u * u).sum();
        return new double[] {la, lb, lb - la, Math.sqrt(squares), clusters.size()};
    }

    @Test
    void pairedFiguresMatchPlainLoopsOverTheTwoRuns() throws IOException {
        Path out = temp.resolve("compare");
        Outcome outcome = compare("--a", runA.toString(), "--b", runB.toString(), "--out", out.toString(), "--bootstrap", "200");
        assertThat(outcome.status()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("alignloss: lm: L_b - L_a = ").contains("comparison published at");
        assertThat(out.resolve("_ALIGNLOSS")).exists();
        assertThat(out.resolve("_SUCCESS")).exists();
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>bt (bradley-terry)</h2>").contains("language = ");
        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(json.get("confidence").asDouble()).isCloseTo(0.95, within(1e-12));

        for (String objective : List.of("bt", "lm")) {
            boolean bt = objective.equals("bt");
            Map<String, Scored> a = bt ? preferences("a") : sequences("a");
            Map<String, Scored> b = bt ? preferences("b") : sequences("b");
            JsonNode figures = json.get("objectives").get(objective);
            long onlyA = a.keySet().stream().filter(id -> !b.containsKey(id)).count();
            long onlyB = b.keySet().stream().filter(id -> !a.containsKey(id)).count();
            assertThat(onlyA + onlyB).as(objective).isGreaterThan(0);
            assertThat(figures.get("only_in_a").asLong()).as(objective).isEqualTo(onlyA);
            assertThat(figures.get("only_in_b").asLong()).as(objective).isEqualTo(onlyB);
            assertThat(figures.get("matched").asLong()).as(objective).isEqualTo(a.size() - onlyA);
            assertThat(figures.get("ci_cluster").asText()).isEqualTo("prompt");

            double[] hand = pairedByHand(a, b, null);
            JsonNode overall = figures.get("overall");
            assertThat(overall.get("loss_a").asDouble()).as(objective).isCloseTo(hand[0], within(1e-12));
            assertThat(overall.get("loss_b").asDouble()).as(objective).isCloseTo(hand[1], within(1e-12));
            assertThat(overall.get("difference").asDouble()).as(objective).isCloseTo(hand[2], within(1e-12));
            assertThat(overall.get("stderr").asDouble()).as(objective).isCloseTo(hand[3], within(1e-12));
            assertThat(overall.get("clusters").asLong()).as(objective).isEqualTo((long) hand[4]);
            assertThat(overall.get("z").asDouble()).as(objective).isCloseTo(hand[2] / hand[3], within(1e-9));
            assertThat(overall.get("ci").get(0).asDouble()).isLessThan(hand[2]);
            assertThat(overall.get("ci").get(1).asDouble()).isGreaterThan(hand[2]);

            JsonNode languages = figures.get("groups").get("language");
            assertThat(languages.size()).isGreaterThan(1);
            languages.fields().forEachRemaining(group -> {
                double[] groupHand = pairedByHand(a, b, group.getKey());
                assertThat(group.getValue().get("difference").asDouble()).as(objective + " " + group.getKey())
                        .isCloseTo(groupHand[2], within(1e-12));
                assertThat(group.getValue().get("stderr").asDouble()).as(objective + " " + group.getKey())
                        .isCloseTo(groupHand[3], within(1e-12));
                assertThat(group.getValue().get("p_adjusted").asDouble()).isGreaterThanOrEqualTo(group.getValue().get("p_value").asDouble());
            });

            if (bt) {
                long aOnly = 0;
                long bOnly = 0;
                long pairs = 0;
                for (Map.Entry<String, Scored> row : a.entrySet()) {
                    Scored other = b.get(row.getKey());
                    if (other != null && row.getValue().correct() != null && other.correct() != null) {
                        pairs++;
                        aOnly += row.getValue().correct() && !other.correct() ? 1 : 0;
                        bOnly += other.correct() && !row.getValue().correct() ? 1 : 0;
                    }
                }
                JsonNode mcnemar = overall.get("mcnemar");
                assertThat(mcnemar.get("pairs").asLong()).isEqualTo(pairs);
                assertThat(mcnemar.get("only_a").asLong()).isEqualTo(aOnly);
                assertThat(mcnemar.get("only_b").asLong()).isEqualTo(bOnly);
                assertThat(aOnly + bOnly).isGreaterThan(0);
                assertThat(mcnemar.get("p_value").asDouble()).isCloseTo(McNemar.exactPValue(aOnly, bOnly), within(1e-15));
            }
            else {
                assertThat(overall.get("mcnemar").isNull()).isTrue();
                // 10% lower log-probabilities: per-token NLL 10% higher, far outside the interval's width
                assertThat(overall.get("difference").asDouble()).isCloseTo(0.1 * hand[0], within(1e-9));
                assertThat(overall.get("ci").get(0).asDouble()).isGreaterThan(0);
            }
        }
    }

    @Test
    void aLowerBoundAboveMaxRegressionExitsFourAfterPublishing() throws IOException {
        double[] lm = pairedByHand(sequences("a"), sequences("b"), null);
        Path gated = temp.resolve("gated");
        Outcome failed = compare("--a", runA.toString(), "--b", runB.toString(), "--out", gated.toString(), "--objective", "lm",
                "--bootstrap", "100", "--max-regression", String.valueOf(lm[2] / 2));
        assertThat(failed.status()).isEqualTo(4);
        assertThat(failed.err()).startsWith("alignloss: threshold exceeded").contains("objective 'lm'");
        JsonNode json = new ObjectMapper().readTree(gated.resolve("compare.json").toFile());
        assertThat(json.get("objectives").get("lm").get("regression").asBoolean()).isTrue();
        assertThat(json.get("objectives").has("bt")).isFalse();
        assertThat(json.get("regressions")).hasSize(1);

        // reversed, b is the better run: never gated
        Outcome reversed = compare("--a", runB.toString(), "--b", runA.toString(), "--out", temp.resolve("reversed").toString(),
                "--objective", "lm", "--bootstrap", "100", "--max-regression", "0");
        assertThat(reversed.status()).as(reversed.err()).isZero();
    }

    @Test
    void aRunWithoutPerExampleRowsIsExitTwoWithOneLine() throws IOException {
        Path bare = temp.resolve("bare");
        Files.createDirectories(bare);
        Files.copy(runA.resolve("summary.json"), bare.resolve("summary.json"));
        Outcome outcome = compare("--a", bare.toString(), "--b", runB.toString(), "--out", temp.resolve("never").toString());
        assertThat(outcome.status()).isEqualTo(2);
        assertThat(outcome.err().trim()).isEqualTo("alignloss: Cannot compare objective 'bt': run a (" + bare
                + ") has no per_example/bt (evaluate it with output.per-example = true)");
        assertThat(temp.resolve("never")).doesNotExist();

        Path repeated = temp.resolve("repeated");
        Files.createDirectories(repeated);
        Files.copy(runA.resolve("summary.json"), repeated.resolve("summary.json"));
        Dataset<Row> rows = spark.read().parquet(runA.resolve("per_example/bt").toString());
        rows.union(rows.limit(1)).write().parquet(repeated.resolve("per_example/bt").toString());
        Outcome twice = compare("--a", repeated.toString(), "--b", runB.toString(), "--out", temp.resolve("never").toString(),
                "--objective", "bt");
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err().trim()).isEqualTo("alignloss: Cannot compare objective 'bt': run a's per_example/bt repeats ids ("
                + rows.count() + " distinct ids) and compare pairs rows by id; give the input a unique id column");

        Outcome unknown = compare("--a", runA.toString(), "--b", runB.toString(), "--out", temp.resolve("never").toString(),
                "--objective", "nope");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().trim()).isEqualTo("alignloss: Cannot compare objective 'nope': run a (" + runA
                + ") did not evaluate it (its objectives: bt, lm)");
    }
}
