package io.alignloss.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.GoldenFiles;
import io.alignloss.testing.JsonNumbers;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The programmatic entry point against the CLI's golden run of conf/samples.conf, and the evaluators against the
 * figures that run reports (and against plain loops over the rows).
 */
class AlignLossTest extends LocalSparkTest {
    /** evaluate's figures are compared at 1e-12 relative, as the golden test compares them. */
    private static final JsonNumbers.Tolerance FIGURES = new JsonNumbers.Tolerance(1e-12, 1e-15);

    private RunSummary summary;
    private JsonNode tree;

    @BeforeAll
    void evaluateTheSamples(@TempDir Path temp) throws IOException {
        String conf = Files.readString(Path.of("conf/samples.conf")) + "\noutput.path = \"" + temp.resolve("samples").toUri() + "\"\n";
        summary = AlignLoss.evaluate(spark, JobConfig.parse(conf));
        tree = SummaryJson.toTree(summary);
    }

    @Test
    void evaluateGivesTheCliGoldenFigures() throws IOException {
        JsonNode golden = GoldenFiles.read(GoldenFiles.FOLDER.resolve("samples.summary.json"));
        for (String block : List.of("/objectives", "/inputs", "/rejects", "/warnings")) {
            assertThat(JsonNumbers.differences(golden.at(block), tree.at(block), FIGURES, Set.of())).as(block).isEmpty();
        }
        assertThat(tree.at("/command").asText()).isEqualTo(golden.at("/command").asText());
    }

    @Test
    void evaluateLeavesTheCallersSessionRunning() {
        assertThat(spark.sparkContext().isStopped()).isFalse();
        assertThat(spark.range(3).count()).isEqualTo(3);
    }

    @Test
    void aBadConfigTextIsAConfigError() {
        assertThatThrownBy(() -> JobConfig.parse("inputs { prefs { path = \"x\", kind = preference }"))
                .isInstanceOf(AlignLossException.class).satisfies(e -> assertThat(((AlignLossException) e).code()).isEqualTo(ErrorCode.CONFIG));
        assertThatThrownBy(() -> JobConfig.parse("inputs.prefs { path = \"x\", kind = nonsense }\nobjectives = []"))
                .isInstanceOf(AlignLossException.class).hasMessageContaining("kind");
    }

    @Test
    void preferenceLossEvaluatorGivesEvaluatesLossAndAccuracy() {
        Dataset<Row> pairs = spark.read().parquet("data-samples/preferences.parquet");
        PreferenceLossEvaluator evaluator = new PreferenceLossEvaluator();

        double loss = evaluator.setMetricName("loss").evaluate(pairs);
        assertThat(evaluator.isLargerBetter()).isFalse();
        double accuracy = evaluator.setMetricName("accuracy").evaluate(pairs);
        assertThat(evaluator.isLargerBetter()).isTrue();

        assertThat(loss).isCloseTo(tree.at("/objectives/bt/loss").asDouble(), within(1e-12 * loss));
        assertThat(accuracy).isCloseTo(tree.at("/objectives/bt/accuracy").asDouble(), within(1e-12 * accuracy));
        // the same figures from a plain loop over the rows
        double weighted = 0;
        double weightSum = 0;
        double correct = 0;
        double decided = 0;
        for (Row row : pairs.select("chosen_score", "rejected_score", "label", "weight").collectAsList()) {
            double margin = row.getDouble(0) - row.getDouble(1);
            double label = row.isNullAt(2) ? 1 : ((Number) row.get(2)).doubleValue();
            double weight = row.isNullAt(3) ? 1 : ((Number) row.get(3)).doubleValue();
            weighted += weight * (label * BradleyTerryRewardModelTest.softplus(-margin) + (1 - label) * BradleyTerryRewardModelTest.softplus(margin));
            weightSum += weight;
            if (label != 0.5) {
                decided += weight;
                correct += (label > 0.5 ? margin > 0 : margin < 0) ? weight : 0;
            }
        }
        assertThat(loss).isCloseTo(weighted / weightSum, within(1e-12));
        assertThat(accuracy).isCloseTo(correct / decided, within(1e-12));
    }

    @Test
    void preferenceLossEvaluatorReadsItsColumnParams() {
        Dataset<Row> renamed = spark.read().parquet("data-samples/preferences.parquet")
                .selectExpr("chosen_score AS a", "rejected_score AS b", "label AS y", "weight AS w");
        double loss = new PreferenceLossEvaluator().setChosenScoreCol("a").setRejectedScoreCol("b").setLabelCol("y").setWeightCol("w")
                .evaluate(renamed);
        assertThat(loss).isCloseTo(tree.at("/objectives/bt/loss").asDouble(), within(1e-12 * loss));
    }

    @Test
    void sequenceLikelihoodEvaluatorGivesEvaluatesTokenFigures() {
        Dataset<Row> sequences = spark.read().parquet("data-samples/sequences.parquet");
        SequenceLikelihoodEvaluator evaluator = new SequenceLikelihoodEvaluator();
        JsonNode lm = tree.at("/objectives/lm");

        double conditional = evaluator.setMetricName("conditional_token_nll").evaluate(sequences);
        double joint = evaluator.setMetricName("joint_token_nll").evaluate(sequences);
        double perplexity = evaluator.setMetricName("perplexity").evaluate(sequences);
        double withoutTexts = evaluator.setMetricName("conditional_token_nll").evaluate(sequences.drop("prompt", "response"));
        assertThat(withoutTexts).isEqualTo(conditional);
        evaluator.setMetricName("perplexity");
        double jointPerplexity = evaluator.setMode("joint").evaluate(sequences);
        assertThat(evaluator.isLargerBetter()).isFalse();

        assertThat(conditional).isCloseTo(lm.at("/conditional/token_nll").asDouble(), within(1e-12 * conditional));
        assertThat(joint).isCloseTo(lm.at("/joint/token_nll").asDouble(), within(1e-12 * joint));
        assertThat(perplexity).isCloseTo(lm.at("/conditional/perplexity").asDouble(), within(1e-12 * perplexity));
        assertThat(jointPerplexity).isCloseTo(lm.at("/joint/perplexity").asDouble(), within(1e-12 * jointPerplexity));
        // token-weighted means from a plain loop: Σ w·nll / Σ w·tokens, a null prompt log-probability unscored
        double conditionalNll = 0;
        double responseTokens = 0;
        double jointNll = 0;
        double jointTokens = 0;
        for (Row row : sequences.select("prompt_logprobs", "response_logprobs", "weight").collectAsList()) {
            double weight = row.isNullAt(2) ? 1 : ((Number) row.get(2)).doubleValue();
            double response = 0;
            for (Object value : row.getList(1)) {
                response -= ((Number) value).doubleValue();
            }
            double prompt = 0;
            int scoredPrompt = 0;
            for (Object value : row.getList(0)) {
                if (value != null) {
                    prompt -= ((Number) value).doubleValue();
                    scoredPrompt++;
                }
            }
            conditionalNll += weight * response;
            responseTokens += weight * row.getList(1).size();
            jointNll += weight * (prompt + response);
            jointTokens += weight * (scoredPrompt + row.getList(1).size());
        }
        assertThat(conditional).isCloseTo(conditionalNll / responseTokens, within(1e-12));
        assertThat(joint).isCloseTo(jointNll / jointTokens, within(1e-12));
        assertThat(perplexity).isCloseTo(Math.exp(conditionalNll / responseTokens), within(1e-10));
    }
}
