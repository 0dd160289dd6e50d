package io.alignloss.diagnostics;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The length-confound baseline ({@code biases.length.characters|tokens|groups}) against plain-Java loops over the
 * same rows: characters as code points, tokens by jtokkit's cl100k_base called here directly, the reward model
 * correct as in the Bradley-Terry accuracy, and the paired difference's standard error two-pass.
 */
class LengthBaselineTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("chosen_score", DataTypes.DoubleType)
            .add("rejected_score", DataTypes.DoubleType)
            .add("lang", DataTypes.StringType);
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final String NULL_GROUP = "(none)";

    /** One row as the plain loops read it. */
    private record Pair(String chosen, String rejected, double label, double weight, Double margin, String group) {
        int difference(boolean tokens) {
            return tokens ? CL100K.encodeOrdinary(chosen).size() - CL100K.encodeOrdinary(rejected).size()
                    : chosen.codePointCount(0, chosen.length()) - rejected.codePointCount(0, rejected.length());
        }
    }

    /** The figures of one unit over some pairs, by plain loops. */
    private record Expected(long pairs, long equal, double longerWins, double chosenLonger, double accuracy, double difference,
            double stderr) {
        static Expected of(List<Pair> rows, boolean tokens) {
            long pairs = 0;
            long equal = 0;
            double w = 0;
            double longer = 0;
            double chosenLonger = 0;
            List<double[]> scored = new ArrayList<>(); // {w, correct, longer}
            for (Pair row : rows) {
                if (row.label == 0.5) {
                    continue;
                }
                int d = row.difference(tokens);
                if (d == 0) {
                    equal++;
                    continue;
                }
                pairs++;
                w += row.weight;
                boolean longerPreferred = (d > 0) == (row.label > 0.5);
                longer += longerPreferred ? row.weight : 0;
                chosenLonger += d > 0 ? row.weight : 0;
                if (row.margin != null) {
                    boolean correct = row.label > 0.5 ? row.margin > 0 : row.margin < 0;
                    scored.add(new double[] {row.weight, correct ? 1 : 0, longerPreferred ? 1 : 0});
                }
            }
            double sw = 0;
            double correct = 0;
            double delta = 0;
            for (double[] s : scored) {
                sw += s[0];
                correct += s[0] * s[1];
                delta += s[0] * (s[1] - s[2]);
            }
            double mean = delta / sw;
            double squares = 0;
            for (double[] s : scored) {
                squares += s[0] * s[0] * Math.pow(s[1] - s[2] - mean, 2);
            }
            return new Expected(pairs, equal, longer / w, chosenLonger / w, correct / sw, mean, Math.sqrt(squares) / sw);
        }

        @SuppressWarnings("unchecked")
        void check(Object actual) {
            Map<String, Object> figures = (Map<String, Object>) actual;
            assertThat(figures.get("pairs")).isEqualTo(pairs);
            assertThat(figures.get("equal_length_pairs")).isEqualTo(equal);
            assertThat((Double) figures.get("longer_wins_accuracy")).isCloseTo(longerWins, within(1e-12));
            assertThat((Double) figures.get("chosen_longer_share")).isCloseTo(chosenLonger, within(1e-12));
            assertThat(figures.get("flagged")).isEqualTo(longerWins > 0.7);
            assertThat((Double) figures.get("reward_model_accuracy")).isCloseTo(accuracy, within(1e-12));
            Map<String, Object> minus = (Map<String, Object>) figures.get("accuracy_minus_baseline");
            assertThat((Double) minus.get("value")).isCloseTo(difference, within(1e-12));
            assertThat((Double) minus.get("stderr")).isCloseTo(stderr, within(1e-12));
            List<Double> ci = (List<Double>) minus.get("ci");
            assertThat(ci.get(0)).isCloseTo(difference - 1.959963984540054 * stderr, within(1e-9));
            assertThat(ci.get(1)).isCloseTo(difference + 1.959963984540054 * stderr, within(1e-9));
        }
    }

    private static Pair pair(String chosen, String rejected, double label, double weight, Double margin, String group) {
        return new Pair(chosen, rejected, label, weight, margin, group);
    }

    private Dataset<Row> data(List<Pair> pairs) {
        List<Row> rows = new ArrayList<>();
        for (Pair p : pairs) {
            rows.add(RowFactory.create("q", p.chosen, p.rejected, p.label, p.weight, p.margin, p.margin == null ? null : 0.0, p.group));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> value = map;
        for (String key : path) {
            value = (Map<String, Object>) value.get(key);
        }
        return value;
    }

    /**
     * Group "en": "aaaa" is one cl100k token and "a b c d" seven, so the pairs that differ in characters may be equal in
     * tokens; group "de" always prefers the longer answer (baseline 1: flagged); a null group value shows as NULL_GROUP.
     */
    @Test
    void handWorkedRowsPerGroupInCharactersAndTokens() {
        List<Pair> pairs = List.of(
                pair("aaaa", "a", 1.0, 1.0, 2.0, "en"),
                pair("a b c d", "aaaa", 1.0, 2.0, -1.0, "en"),
                pair("short", "much longer answer", 0.0, 1.0, -0.5, "en"),
                pair("x", "yyyy", 1.0, 3.0, 1.0, "en"),   // the shorter wins, with weight 3: en's baseline (1 + 2 + 1) / 7
                pair("same", "size", 1.0, 1.0, 1.0, "en"),
                pair("tie", "tied answer", 0.5, 1.0, 1.0, "en"),
                pair("ein längerer Satz", "kurz", 1.0, 1.0, 0.3, "de"),
                pair("größer als das", "klein", 0.9, 3.0, -0.2, "de"),
                pair("no score here at all", "none", 1.0, 1.0, null, "de"),
                pair("lange Antwort hier", "kurz", 1.0, 0.5, 1.5, null));
        Map<String, Object> biases = PreferenceBiases.compute(data(pairs), Optional.empty(),
                new PreferenceBiases.Grouping(List.of("lang"), NULL_GROUP, 0.95));
        Map<String, Object> length = at(biases, "length");
        for (boolean tokens : new boolean[] {false, true}) {
            String unit = tokens ? "tokens" : "characters";
            Expected.of(pairs, tokens).check(length.get(unit));
            Map<String, List<Pair>> byGroup = new TreeMap<>();
            pairs.forEach(p -> byGroup.computeIfAbsent(p.group == null ? NULL_GROUP : p.group, g -> new ArrayList<>()).add(p));
            assertThat(at(length, "groups", "lang").keySet()).containsExactlyInAnyOrderElementsOf(byGroup.keySet());
            byGroup.forEach((group, rows) -> {
                if (rows.size() > 1) {
                    Expected.of(rows, tokens).check(at(length, "groups", "lang", group).get(unit));
                }
            });
        }
        assertThat(at(length, "groups", "lang", "de", "characters")).containsEntry("longer_wins_accuracy", 1.0).containsEntry("flagged", true);
        assertThat(at(length, "groups", "lang", "en", "characters")).containsEntry("equal_length_pairs", 1L).containsEntry("flagged", false);
        assertThat((Double) at(length, "groups", "lang", "en", "characters").get("longer_wins_accuracy")).isCloseTo(4.0 / 7, within(1e-15));
        assertThat(length).containsEntry("flag_above", 0.7);
        // the existing figure is unchanged beside the new ones
        assertThat((Double) length.get("longer_wins_accuracy"))
                .isCloseTo((Double) at(length, "characters").get("longer_wins_accuracy"), within(1e-12));
    }

    @Test
    void withoutScoresOnlyTheBaselineIsGiven() {
        List<Pair> pairs = List.of(pair("aaaa", "a", 1.0, 1.0, null, "en"), pair("a", "aaa", 1.0, 1.0, null, "en"));
        Dataset<Row> rows = data(pairs).drop("chosen_score", "rejected_score");
        Map<String, Object> characters = at(PreferenceBiases.compute(rows, Optional.empty(),
                new PreferenceBiases.Grouping(List.of("lang"), NULL_GROUP, 0.95)), "length", "characters");
        assertThat(characters).containsEntry("pairs", 2L).containsEntry("longer_wins_accuracy", 0.5)
                .doesNotContainKeys("reward_model_accuracy", "accuracy_minus_baseline");
    }

    /** The sample preferences, per language and per domain, against plain loops over the collected rows. */
    @Test
    void samplePreferencesPerGroupEqualPlainLoops() {
        Dataset<Row> rows = spark.read().parquet("data-samples/preferences.parquet")
                .selectExpr("prompt", "chosen", "rejected", "coalesce(label, 1.0) as label", "coalesce(weight, 1.0) as weight",
                        "chosen_score", "rejected_score", "language", "domain");
        Map<String, Object> length = at(PreferenceBiases.compute(rows, Optional.empty(),
                new PreferenceBiases.Grouping(List.of("language", "domain"), NULL_GROUP, 0.95)), "length");
        List<Pair> all = new ArrayList<>();
        Map<String, Map<String, List<Pair>>> byColumn = new TreeMap<>();
        for (Row row : rows.collectAsList()) {
            Double margin = row.isNullAt(5) || row.isNullAt(6) ? null : row.getDouble(5) - row.getDouble(6);
            for (String column : List.of("language", "domain")) {
                String value = row.isNullAt(row.fieldIndex(column)) ? NULL_GROUP : row.getAs(column).toString();
                Pair pair = pair(row.getString(1), row.getString(2), row.getDouble(3), row.getDouble(4), margin, value);
                byColumn.computeIfAbsent(column, c -> new TreeMap<>()).computeIfAbsent(value, v -> new ArrayList<>()).add(pair);
                if (column.equals("language")) {
                    all.add(pair);
                }
            }
        }
        for (boolean tokens : new boolean[] {false, true}) {
            String unit = tokens ? "tokens" : "characters";
            Expected.of(all, tokens).check(length.get(unit));
            byColumn.forEach((column, values) -> values.forEach((value, pairs) ->
                    Expected.of(pairs, tokens).check(at(length, "groups", column, value).get(unit))));
        }
        assertThat(Arrays.asList(at(length, "groups", "language").keySet().toArray())).hasSizeGreaterThan(1);
    }
}
