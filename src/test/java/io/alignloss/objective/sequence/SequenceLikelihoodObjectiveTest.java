package io.alignloss.objective.sequence;

import io.alignloss.error.AlignLossException;
import io.alignloss.stats.LossStats;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SequenceLikelihoodObjectiveTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("prompt_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, true))
            .add("response_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, true))
            .add("weight", DataTypes.DoubleType);
    /** {@link #SCHEMA} with the text the log-probabilities score, which the byte and word sums read. */
    private static final StructType TEXT_SCHEMA = SCHEMA.add("prompt", DataTypes.StringType).add("response", DataTypes.StringType);

    private static SequenceLikelihoodObjective objective(String mode) {
        return new SequenceLikelihoodObjective(Configs.objective("sequence",
                "{ name = lm, type = sequence-likelihood, input = in" + mode + " }"));
    }

    @Test
    void jointAndConditionalNllAndTokenCounts() {
        SequenceLikelihoodObjective objective = objective("");
        Map<String, org.apache.spark.sql.Column> figures = objective.perExample();
        List<Row> rows = spark.createDataFrame(List.of(
                        RowFactory.create(Arrays.asList(null, -1.0, -2.0), Arrays.asList(-0.5, -0.25), 1.0),
                        RowFactory.create(Arrays.asList(-1.5), Arrays.asList(-3.0), 1.0)), SCHEMA)
                .select(figures.get("joint_nll"), figures.get("conditional_nll"), figures.get("prompt_tokens"),
                        figures.get("response_tokens"), objective.lossNumerator(), objective.lossDenominator().get())
                .collectAsList();
        Row first = rows.get(0);
        assertThat(first.getDouble(0)).isCloseTo(3.75, within(1e-15));   // −(−1 −2 −0.5 −0.25), the null first token excluded
        assertThat(first.getDouble(1)).isCloseTo(0.75, within(1e-15));
        assertThat(first.getLong(2)).isEqualTo(2);
        assertThat(first.getLong(3)).isEqualTo(2);
        assertThat(first.getDouble(4)).isCloseTo(0.75, within(1e-15));   // conditional by default
        assertThat(first.getDouble(5)).isEqualTo(2.0);
        Row second = rows.get(1);
        assertThat(second.getDouble(0)).isCloseTo(4.5, within(1e-15));
        assertThat(second.getLong(2)).isEqualTo(1);
    }

    @Test
    void jointModeMakesTheJointNllTheLoss() {
        SequenceLikelihoodObjective objective = objective(", mode = joint");
        Row row = spark.createDataFrame(List.of(RowFactory.create(Arrays.asList(null, -1.0, -2.0), Arrays.asList(-0.5, -0.25), 1.0)),
                SCHEMA).select(objective.lossNumerator(), objective.lossDenominator().get()).first();
        assertThat(row.getDouble(0)).isCloseTo(3.75, within(1e-15));
        assertThat(row.getDouble(1)).isEqualTo(4.0);
    }

    @Test
    void tokenWeightedFiguresDivideTotalsNotMeans() {
        SequenceLikelihoodObjective objective = objective("");
        // two sequences: 3.0 NLL over 1 response token, 1.0 NLL over 9 tokens -> 4/10, not mean(3, 1/9)
        LossStats stats = LossStats.empty().add(1, 3.0, 1).add(1, 1.0, 9)
                .addSum("w_conditional_nll", 4.0).addSum("w_response_tokens", 10).addSum("response_tokens", 10)
                .addSum("w_joint_nll", 6.0).addSum("w_prompt_tokens", 4).addSum("prompt_tokens", 4);
        assertThat(stats.loss().getAsDouble()).isCloseTo(0.4, within(1e-15));
        @SuppressWarnings("unchecked")
        Map<String, Object> conditional = (Map<String, Object>) objective.figures(stats).get("conditional");
        assertThat((Double) conditional.get("token_nll")).isCloseTo(0.4, within(1e-15));
        assertThat((Double) conditional.get("sequence_nll")).isCloseTo(2.0, within(1e-15));
        assertThat((Double) conditional.get("perplexity")).isCloseTo(Math.exp(0.4), within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> prompt = (Map<String, Object>) objective.figures(stats).get("prompt_term");
        assertThat((Double) prompt.get("sequence_nll")).isCloseTo(1.0, within(1e-15));
        assertThat((Double) prompt.get("token_nll")).isCloseTo(0.5, within(1e-15));
    }

    /**
     * Generated rows (some with an unscored first prompt token, row weights 0.5, 1 and 2) through the objective's own
     * columns and sums, as the scan adds them up, against plain loops over the raw arrays:
     * joint token NLL = Σ w·(−Σ scored prompt − Σ response) / Σ w·(scored prompt tokens + response tokens),
     * conditional = Σ w·(−Σ response) / Σ w·response tokens, per sequence = / Σ w; prompt term per scored prompt token.
     */
    @Test
    void figuresOnGeneratedRowsEqualPlainLoopsOverTheLogprobArrays() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<Row> generated = new java.util.ArrayList<>();
        double promptNll = 0;
        double responseNll = 0;
        double promptTokens = 0;
        double responseTokens = 0;
        double weights = 0;
        for (int i = 0; i < 40; i++) {
            Double[] prompt = new Double[1 + random.nextInt(6)];
            Double[] response = new Double[1 + random.nextInt(5)];
            double w = new double[] {0.5, 1, 2}[random.nextInt(3)];
            for (int t = 0; t < prompt.length; t++) {
                prompt[t] = t == 0 && random.nextBoolean() ? null : -5 * random.nextDouble();
                if (prompt[t] != null) {
                    promptNll -= w * prompt[t];
                    promptTokens += w;
                }
            }
            for (int t = 0; t < response.length; t++) {
                response[t] = -5 * random.nextDouble();
                responseNll -= w * response[t];
            }
            responseTokens += w * response.length;
            weights += w;
            generated.add(RowFactory.create(Arrays.asList(prompt), Arrays.asList(response), w, "prompt " + i, "response " + i));
        }
        for (String mode : new String[] {"", ", mode = joint"}) {
            SequenceLikelihoodObjective objective = objective(mode);
            List<String> names = new java.util.ArrayList<>(objective.sums().keySet());
            List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>(List.of(org.apache.spark.sql.functions.col("weight"),
                    objective.lossNumerator(), objective.lossDenominator().get()));
            columns.addAll(objective.sums().values());
            LossStats stats = LossStats.empty();
            for (Row row : spark.createDataFrame(generated, TEXT_SCHEMA).select(columns.toArray(org.apache.spark.sql.Column[]::new))
                    .collectAsList()) {
                stats.add(row.getDouble(0), row.getDouble(1), row.getDouble(2));
                for (int k = 0; k < names.size(); k++) {
                    stats.addSum(names.get(k), ((Number) row.get(3 + k)).doubleValue());
                }
            }
            Map<String, Object> figures = objective.figures(stats);
            @SuppressWarnings("unchecked")
            Map<String, Object> joint = (Map<String, Object>) figures.get("joint");
            @SuppressWarnings("unchecked")
            Map<String, Object> conditional = (Map<String, Object>) figures.get("conditional");
            @SuppressWarnings("unchecked")
            Map<String, Object> prompt = (Map<String, Object>) figures.get("prompt_term");
            double jointTokenNll = (promptNll + responseNll) / (promptTokens + responseTokens);
            assertThat((Double) joint.get("token_nll")).isCloseTo(jointTokenNll, within(1e-12));
            assertThat((Double) joint.get("sequence_nll")).isCloseTo((promptNll + responseNll) / weights, within(1e-12));
            assertThat((Double) conditional.get("token_nll")).isCloseTo(responseNll / responseTokens, within(1e-12));
            assertThat((Double) conditional.get("sequence_nll")).isCloseTo(responseNll / weights, within(1e-12));
            assertThat((Double) conditional.get("perplexity")).isCloseTo(Math.exp(responseNll / responseTokens), within(1e-12));
            assertThat((Double) prompt.get("token_nll")).isCloseTo(promptNll / promptTokens, within(1e-12));
            assertThat(stats.loss().getAsDouble()).isCloseTo(mode.isEmpty() ? responseNll / responseTokens : jointTokenNll, within(1e-12));
        }
    }

    /** The objective's per-example columns and sums over {@code rows} (of {@link #TEXT_SCHEMA}), added up as the scan does. */
    private LossStats scan(SequenceLikelihoodObjective objective, List<Row> rows) {
        List<String> names = new java.util.ArrayList<>(objective.sums().keySet());
        List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>(List.of(org.apache.spark.sql.functions.col("weight"),
                objective.lossNumerator(), objective.lossDenominator().get()));
        columns.addAll(objective.sums().values());
        LossStats stats = LossStats.empty();
        for (Row row : spark.createDataFrame(rows, TEXT_SCHEMA).select(columns.toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
            stats.add(row.getDouble(0), row.getDouble(1), row.getDouble(2));
            for (int k = 0; k < names.size(); k++) {
                stats.addSum(names.get(k), ((Number) row.get(3 + k)).doubleValue());
            }
        }
        return stats;
    }

    /**
     * Hand-worked rows with multi-byte UTF-8 text, counted by hand:
     * <pre>
     *   row 1 (w = 2): prompt "Grüße\tdir\n" = G r ü(2) ß(2) e \t d i r \n = 12 bytes, 2 words;
     *                  response "héllo wörld 日本" = 6 + 1 + 6 + 1 + 3 + 3 = 20 bytes, 3 words;
     *                  prompt log-probs [null, −1, −2] (3 nats), response [−4, −1] (5 nats)
     *   row 2 (w = 1): prompt "a\u00A0b" (a no-break space: 1 + 2 + 1 = 4 bytes, 2 words);
     *                  response " x " (3 bytes, 1 word); prompt [−0.5], response [−1.5]
     *   conditional: Σ w·NLL = 2·5 + 1.5 = 11.5, Σ w·bytes = 2·20 + 3 = 43, Σ w·words = 2·3 + 1 = 7
     *   joint:       Σ w·NLL = 2·8 + 2 = 18,     Σ w·bytes = 2·32 + 7 = 71, Σ w·words = 2·5 + 3 = 13
     * </pre>
     * bits per byte = Σ w·NLL / (Σ w·bytes · ln 2); byte and word perplexity = exp(Σ w·NLL / Σ w·unit).
     */
    @Test
    void bitsPerByteAndWordPerplexityOfHandWorkedMultiByteRows() {
        List<Row> rows = List.of(
                RowFactory.create(Arrays.asList(null, -1.0, -2.0), Arrays.asList(-4.0, -1.0), 2.0, "Grüße\tdir\n", "héllo wörld 日本"),
                RowFactory.create(Arrays.asList(-0.5), Arrays.asList(-1.5), 1.0, "a\u00A0b", " x "));
        for (String mode : new String[] {"", ", mode = joint"}) {
            SequenceLikelihoodObjective objective = objective(mode);
            LossStats stats = scan(objective, rows);
            Map<String, Object> figures = objective.figures(stats);
            @SuppressWarnings("unchecked")
            Map<String, Object> conditional = (Map<String, Object>) figures.get("conditional");
            @SuppressWarnings("unchecked")
            Map<String, Object> joint = (Map<String, Object>) figures.get("joint");
            assertThat(conditional).containsEntry("bytes", 23L).containsEntry("words", 4L);
            assertThat(joint).containsEntry("bytes", 39L).containsEntry("words", 8L);
            Map<String, Double> resampled = objective.resampledFigures(stats);
            double ln2 = 0.6931471805599453;
            assertThat(resampled.get("conditional.bits_per_byte")).isCloseTo(11.5 / (43 * ln2), within(1e-14));
            assertThat(resampled.get("conditional.byte_perplexity")).isCloseTo(Math.exp(11.5 / 43), within(1e-14));
            assertThat(resampled.get("conditional.word_perplexity")).isCloseTo(Math.exp(11.5 / 7), within(1e-13));
            assertThat(resampled.get("joint.bits_per_byte")).isCloseTo(18 / (71 * ln2), within(1e-14));
            assertThat(resampled.get("joint.byte_perplexity")).isCloseTo(Math.exp(18.0 / 71), within(1e-14));
            assertThat(resampled.get("joint.word_perplexity")).isCloseTo(Math.exp(18.0 / 13), within(1e-13));
        }
    }

    @Test
    void bitsPerByteIsNaNWithoutBytes() {
        SequenceLikelihoodObjective objective = objective("");
        LossStats stats = scan(objective, List.of(RowFactory.create(Arrays.asList(-1.0), Arrays.asList(-2.0), 1.0, "p", "")));
        Map<String, Double> resampled = objective.resampledFigures(stats);
        assertThat(resampled.get("conditional.bits_per_byte")).isNaN();
        assertThat(resampled.get("conditional.word_perplexity")).isNaN();
        assertThat(resampled.get("joint.bits_per_byte")).isCloseTo(3.0 / Math.log(2), within(1e-14));   // (1 + 2) nats over the prompt's 1 byte
    }

    @Test
    void unknownModeIsAnError() {
        assertThatThrownBy(() -> objective(", mode = both"))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Invalid objectives.lm.mode").hasMessageContaining("'both' (valid: joint, conditional)");
    }
}
