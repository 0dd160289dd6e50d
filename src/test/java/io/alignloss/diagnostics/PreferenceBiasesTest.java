package io.alignloss.diagnostics;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.SummaryJson;
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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreferenceBiasesTest extends LocalSparkTest {
    private static final StructType TEXT = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType);
    private static final StructType SCORED = TEXT
            .add("chosen_score", DataTypes.DoubleType)
            .add("rejected_score", DataTypes.DoubleType);

    /** One accepted preference row; scores and position are optional. */
    private record Pref(String prompt, String chosen, String rejected, double label, double weight, Double chosenScore,
            Double rejectedScore, Object position) {
        Pref weight(double value) {
            return new Pref(prompt, chosen, rejected, label, value, chosenScore, rejectedScore, position);
        }

        Pref scores(Double chosen, Double rejected) {
            return new Pref(prompt, this.chosen, this.rejected, label, weight, chosen, rejected, position);
        }

        Pref at(Object value) {
            return new Pref(prompt, chosen, rejected, label, weight, chosenScore, rejectedScore, value);
        }
    }

    private static Pref pref(String prompt, String chosen, String rejected, double label) {
        return new Pref(prompt, chosen, rejected, label, 1.0, null, null, null);
    }

    /** A row whose chosen and rejected responses differ in length by {@code lengthDiff}, with margin {@code margin}. */
    private static Pref scored(int index, int lengthDiff, double margin) {
        String chosen = "c".repeat(5 + Math.max(lengthDiff, 0));
        String rejected = "r".repeat(5 + Math.max(-lengthDiff, 0));
        return pref("p" + index, chosen, rejected, 1.0).scores(margin, 0.0);
    }

    private Dataset<Row> data(boolean withScores, List<Pref> prefs) {
        StructType schema = withScores ? SCORED : TEXT;
        List<Row> rows = new ArrayList<>();
        int id = 0;
        for (Pref pref : prefs) {
            List<Object> values = new ArrayList<>(Arrays.asList("r" + id++, pref.prompt, pref.chosen, pref.rejected, pref.label, pref.weight));
            if (withScores) {
                values.add(pref.chosenScore);
                values.add(pref.rejectedScore);
            }
            rows.add(RowFactory.create(values.toArray()));
        }
        return spark.createDataFrame(rows, schema);
    }

    private Dataset<Row> withPosition(List<Pref> prefs, org.apache.spark.sql.types.DataType type) {
        List<Row> rows = new ArrayList<>();
        int id = 0;
        for (Pref pref : prefs) {
            rows.add(RowFactory.create("r" + id++, pref.prompt, pref.chosen, pref.rejected, pref.label, pref.weight, pref.position));
        }
        return spark.createDataFrame(rows, TEXT.add("shown_at", type));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> length(Map<String, Object> biases) {
        return (Map<String, Object>) biases.get("length");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> bins(Map<String, Object> biases) {
        return (List<Map<String, Object>>) length(biases).get("bins");
    }

    @Test
    void longerResponseWinsThreeOfFourDecidedRowsTiesAndEqualLengthsLeftOut() {
        List<Pref> prefs = List.of(
                pref("p1", "aaaa", "a", 1.0),       // chosen longer, chosen preferred: longer wins
                pref("p2", "aaa", "a", 0.8),        // chosen longer, chosen preferred: longer wins
                pref("p3", "a", "aaaa", 0.0),       // rejected longer, rejected preferred: longer wins
                pref("p4", "a", "aaa", 1.0),        // chosen shorter, chosen preferred: shorter wins
                pref("p5", "aaaaaa", "a", 0.5),     // tie: left out
                pref("p6", "bb", "cc", 1.0));       // equal lengths: left out
        Map<String, Object> biases = PreferenceBiases.compute(data(false, prefs), Optional.empty());

        assertThat(biases.keySet()).containsExactly("length", "duplicate_rate", "contradictory_duplicates");
        assertThat(length(biases).keySet()).containsExactly("correlation", "longer_wins_accuracy", "bins", "characters", "tokens",
                "groups", "flag_above");
        assertThat((Double) length(biases).get("longer_wins_accuracy")).isCloseTo(0.75, within(1e-15));
        assertThat(length(biases).get("correlation")).isNull();
        assertThat(bins(biases)).isEmpty();
    }

    @Test
    void longerWinsAccuracyIsWeighted() {
        List<Pref> prefs = List.of(
                pref("p1", "aaaa", "a", 1.0),
                pref("p2", "aaa", "a", 1.0),
                pref("p3", "a", "aaaa", 0.0),
                pref("p4", "a", "aaa", 1.0).weight(3.0));
        Map<String, Object> biases = PreferenceBiases.compute(data(false, prefs), Optional.empty());
        // (1 + 1 + 1) / (1 + 1 + 1 + 3)
        assertThat((Double) length(biases).get("longer_wins_accuracy")).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void correlationEqualsPlainJavaWeightedPearsonAndIgnoresAnOffsetOfTheMargins() {
        Random random = new Random(7);
        int n = 400;
        List<Pref> prefs = new ArrayList<>();
        List<Pref> shifted = new ArrayList<>();
        double[] d = new double[n];
        double[] m = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            int chosenLength = 1 + random.nextInt(300);
            int rejectedLength = 1 + random.nextInt(300);
            w[i] = 2 * random.nextDouble();
            double chosenScore = 0.004 * chosenLength + random.nextGaussian();
            double rejectedScore = 0.004 * rejectedLength + random.nextGaussian();
            d[i] = chosenLength - rejectedLength;
            m[i] = chosenScore - rejectedScore;
            Pref pref = pref("p" + i, "c".repeat(chosenLength), "r".repeat(rejectedLength), random.nextBoolean() ? 1.0 : 0.0)
                    .weight(w[i]);
            prefs.add(pref.scores(chosenScore, rejectedScore));
            // margins around 1e7: a one-pass Σw·m² − (Σw·m)²/Σw would lose about half the digits here
            shifted.add(pref.scores(chosenScore + 1e7, rejectedScore));
        }
        double expected = weightedPearson(d, m, w);
        assertThat(expected).isBetween(0.2, 0.9);

        Double correlation = (Double) length(PreferenceBiases.compute(data(true, prefs).repartition(3), Optional.empty())).get("correlation");
        Double shiftedCorrelation = (Double) length(PreferenceBiases.compute(data(true, shifted), Optional.empty())).get("correlation");
        assertThat(correlation).isCloseTo(expected, within(1e-12));
        assertThat(shiftedCorrelation).isCloseTo(expected, within(1e-9));
    }

    /** Two-pass weighted Pearson correlation, in plain Java. */
    private static double weightedPearson(double[] x, double[] y, double[] w) {
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < x.length; i++) {
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * y[i];
        }
        double mx = sx / sw;
        double my = sy / sw;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < x.length; i++) {
            xx += w[i] * (x[i] - mx) * (x[i] - mx);
            yy += w[i] * (y[i] - my) * (y[i] - my);
            xy += w[i] * (x[i] - mx) * (y[i] - my);
        }
        return xy / Math.sqrt(xx * yy);
    }

    @Test
    void binsHoldTheWeightedMeanMarginPerLengthDifference() {
        List<Pref> prefs = List.of(
                scored(1, -1, 1.0),
                scored(2, -1, 4.0).weight(2.0),
                scored(3, 0, -2.0),
                scored(4, 2, 0.5),
                scored(5, 2, 1.5));
        List<Map<String, Object>> bins = bins(PreferenceBiases.compute(data(true, prefs), Optional.empty()));
        // range [-1, 2] is 4 characters wide: one bin per length difference; difference 1 has no rows
        assertThat(bins).containsExactly(
                Map.of("length_diff", -1.0, "mean_margin", (1.0 + 2 * 4.0) / 3, "count", 2L),
                Map.of("length_diff", 0.0, "mean_margin", -2.0, "count", 1L),
                Map.of("length_diff", 2.0, "mean_margin", 1.0, "count", 2L));
        assertThat(bins.get(0).keySet()).containsExactly("length_diff", "mean_margin", "count");
    }

    @Test
    void binsClipTheRangeToThePercentilesAndKeepOutliersInTheEdgeBins() {
        List<Pref> prefs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            prefs.add(scored(i, i % 100, 0.01 * (i % 100)));
        }
        prefs.add(scored(1000, 5000, 100.0));
        List<Map<String, Object>> bins = bins(PreferenceBiases.compute(data(true, prefs), Optional.empty()));

        assertThat(bins).hasSizeBetween(15, PreferenceBiases.LENGTH_BINS);
        assertThat(bins.stream().mapToLong(bin -> (Long) bin.get("count")).sum()).isEqualTo(401);
        assertThat(bins.stream().mapToDouble(bin -> (Double) bin.get("length_diff")).max().orElseThrow()).isLessThan(100);
        // the outlier's margin lands in the last bin
        assertThat((Double) bins.get(bins.size() - 1).get("mean_margin")).isGreaterThan(5);
        List<Double> centres = bins.stream().map(bin -> (Double) bin.get("length_diff")).toList();
        assertThat(centres).isSorted();
        double width = centres.get(1) - centres.get(0);
        for (int b = 1; b < centres.size(); b++) {
            assertThat(centres.get(b) - centres.get(b - 1)).isCloseTo(width, within(1e-12));
        }
    }

    @Test
    void correlationIsNullWithoutVariance() {
        List<Pref> sameLengthDiff = List.of(scored(1, 3, 1.0).weight(0.3), scored(2, 3, 2.0).weight(0.7), scored(3, 3, -1.0).weight(0.1));
        List<Pref> sameMargin = List.of(scored(1, 1, 0.1).weight(0.3), scored(2, 2, 0.1).weight(0.7), scored(3, 5, 0.1).weight(0.1));
        assertThat(length(PreferenceBiases.compute(data(true, sameLengthDiff), Optional.empty())).get("correlation")).isNull();
        assertThat(length(PreferenceBiases.compute(data(true, sameMargin), Optional.empty())).get("correlation")).isNull();
    }

    @Test
    void rowsWithoutAFiniteMarginAreLeftOutOfTheMarginFigures() {
        List<Pref> prefs = List.of(
                scored(1, 1, 1.0),
                scored(2, 2, 2.0),
                scored(3, 4, 3.0),
                scored(4, 3, 0.0).scores(Double.NaN, 0.0),
                scored(5, -6, 0.0).scores(null, 1.0),
                scored(6, -7, 0.0).scores(Double.POSITIVE_INFINITY, 1.0));
        Map<String, Object> length = length(PreferenceBiases.compute(data(true, prefs), Optional.empty()));
        assertThat((Double) length.get("correlation"))
                .isCloseTo(weightedPearson(new double[] {1, 2, 4}, new double[] {1, 2, 3}, new double[] {1, 1, 1}), within(1e-12));
        assertThat(bins(Map.of("length", length)).stream().mapToLong(bin -> (Long) bin.get("count")).sum()).isEqualTo(3);
    }

    @Test
    void positionSharesCountWhereThePreferredResponseWasShown() {
        List<Pref> prefs = List.of(
                pref("p1", "x", "y", 1.0).at("A"),   // preferred shown at A
                pref("p2", "x", "y", 0.9).at("A"),   // preferred shown at A
                pref("p3", "x", "y", 1.0).at("B"),   // preferred shown at B
                pref("p4", "x", "y", 0.0).at("B"),   // rejected preferred; it was shown at A
                pref("p5", "x", "y", 0.5).at("A"),   // tie: counted, no preference
                pref("p6", "x", "y", 1.0).at(null)); // unknown position: left out
        Map<String, Object> biases = PreferenceBiases.compute(withPosition(prefs, DataTypes.StringType), Optional.of("shown_at"));

        assertThat(biases.keySet()).containsExactly("length", "position", "duplicate_rate", "contradictory_duplicates");
        assertThat(biases.get("position")).isEqualTo(Map.of(
                "A", Map.of("count", 3L, "preferred_share", 0.75),
                "B", Map.of("count", 2L, "preferred_share", 0.25)));
    }

    @Test
    void positionSharesAreWeightedAndNumericPositionsBecomeKeys() {
        List<Pref> prefs = List.of(
                pref("p1", "x", "y", 1.0).at(0).weight(3.0),
                pref("p2", "x", "y", 1.0).at(1));
        Map<String, Object> biases = PreferenceBiases.compute(withPosition(prefs, DataTypes.IntegerType), Optional.of("shown_at"));
        assertThat(biases.get("position")).isEqualTo(Map.of(
                "0", Map.of("count", 1L, "preferred_share", 0.75),
                "1", Map.of("count", 1L, "preferred_share", 0.25)));
    }

    @Test
    void aPositionColumnWithMoreThanTwoValuesOrMissingIsAConfigError() {
        List<Pref> prefs = List.of(pref("p1", "x", "y", 1.0).at("A"), pref("p2", "x", "y", 1.0).at("B"),
                pref("p3", "x", "y", 1.0).at("C"));
        Dataset<Row> rows = withPosition(prefs, DataTypes.StringType);
        assertThatThrownBy(() -> PreferenceBiases.compute(rows, Optional.of("shown_at")))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("Cannot compute position bias: position column 'shown_at' has more than 2 distinct values (A, B, C); "
                        + "it must say in which of the two positions of a pairwise comparison the chosen response was shown");
        assertThatThrownBy(() -> PreferenceBiases.compute(rows, Optional.of("slot")))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("Cannot compute position bias: position column 'slot' is not in the input; columns present: "
                        + "[id, prompt, chosen, rejected, label, weight, shown_at]");
    }

    @Test
    void duplicateRateCountsExactRepeatsOfPromptChosenRejected() {
        List<Pref> prefs = List.of(
                pref("p", "x", "y", 1.0),
                pref("p", "x", "y", 1.0),   // duplicate
                pref("p", "x", "y", 0.7),   // duplicate (the label is not part of the key)
                pref("p", "y", "x", 0.0),   // swapped: not an exact duplicate
                pref("q", "x", "y", 1.0));  // other prompt
        Map<String, Object> biases = PreferenceBiases.compute(data(false, prefs), Optional.empty());
        // 1 − 3 distinct / 5 rows
        assertThat((Double) biases.get("duplicate_rate")).isCloseTo(0.4, within(1e-15));
        // (p, x, y) prefers x in every row, swapped or not
        assertThat(biases.get("contradictory_duplicates")).isEqualTo(0L);
    }

    @Test
    void contradictoryDuplicatesArePairsPreferredBothWays() {
        List<Pref> prefs = List.of(
                pref("swapped", "x", "y", 1.0), pref("swapped", "y", "x", 1.0),          // x, then y: contradictory
                pref("relabelled", "x", "y", 1.0), pref("relabelled", "x", "y", 0.2),    // x, then y: contradictory
                pref("consistent", "x", "y", 1.0), pref("consistent", "y", "x", 0.0),    // x both times
                pref("tie", "x", "y", 1.0), pref("tie", "y", "x", 0.5),                  // a tie prefers neither
                pref("a", "x", "y", 1.0), pref("b", "y", "x", 1.0),                      // different prompts
                pref("same", "x", "x", 1.0), pref("same", "x", "x", 0.0));               // no pair of two responses
        Map<String, Object> biases = PreferenceBiases.compute(data(false, prefs), Optional.empty());
        assertThat(biases.get("contradictory_duplicates")).isEqualTo(2L);
        // distinct (prompt, chosen, rejected): swapped 2, relabelled 1, consistent 2, tie 2, a 1, b 1, same 1 = 10 of 12 rows
        assertThat((Double) biases.get("duplicate_rate")).isCloseTo(1 - 10.0 / 12, within(1e-15));
    }

    @Test
    void noRowsGiveNullFiguresAndRenderAsJson() {
        Map<String, Object> biases = PreferenceBiases.compute(data(true, List.of()), Optional.empty());
        assertThat(length(biases).get("correlation")).isNull();
        assertThat(length(biases).get("longer_wins_accuracy")).isNull();
        assertThat(bins(biases)).isEmpty();
        assertThat(biases.get("duplicate_rate")).isNull();
        assertThat(biases.get("contradictory_duplicates")).isEqualTo(0L);
        assertThat(SummaryJson.render(biases)).contains("\"correlation\" : null");
    }
}
