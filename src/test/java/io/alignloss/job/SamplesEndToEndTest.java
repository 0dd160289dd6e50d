package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.stats.Expressions;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The evaluate job end to end on the committed samples, checked against an independent computation: the
 * rows are read back and every figure is recomputed with plain Java loops.
 */
class SamplesEndToEndTest extends LocalSparkTest {
    @TempDir
    Path temp;

    /**
     * With {@code cluster = none} the bootstrap resamples rows by id and {@code stderr} is the row-level
     * linearised form, as before clusters existed: the figures below are the pre-cluster ones.
     */
    @Test
    void evaluateOnSamplesMatchesAPlainJavaComputation() throws Exception {
        Path out = temp.resolve("run");
        Path config = temp.resolve("samples-rows.conf");
        Files.writeString(config, Files.readString(Path.of("conf/samples.conf"))
                + "\ninputs.prefs.cluster = none\ninputs.seqs.cluster = none\n");
        int status = Main.execute("evaluate", "--config", config.toString(), "--out", out.toString());
        assertThat(status).isEqualTo(0);
        assertThat(out.resolve("_SUCCESS")).exists();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("schema_version").asInt()).isEqualTo(1);
        assertThat(summary.get("rejects").get("total").asLong()).isZero();

        // Bradley-Terry, recomputed from the rows
        List<Row> prefs = spark.read().parquet("data-samples/preferences.parquet").collectAsList();
        double sw = 0;
        double swl = 0;
        double decided = 0;
        double correct = 0;
        for (Row row : prefs) {
            double margin = row.<Double>getAs("chosen_score") - row.<Double>getAs("rejected_score");
            double label = row.getAs("label");
            double w = row.getAs("weight");
            double loss = label * Expressions.softplus(-margin) + (1 - label) * Expressions.softplus(margin);
            sw += w;
            swl += w * loss;
            if (label != 0.5) {
                decided += w;
                if (label > 0.5 ? margin > 0 : margin < 0) {
                    correct += w;
                }
            }
        }
        double mean = swl / sw;
        double squares = 0;
        for (Row row : prefs) {
            double margin = row.<Double>getAs("chosen_score") - row.<Double>getAs("rejected_score");
            double label = row.getAs("label");
            double w = row.getAs("weight");
            double loss = label * Expressions.softplus(-margin) + (1 - label) * Expressions.softplus(margin);
            squares += w * w * (loss - mean) * (loss - mean);
        }
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(bt.get("loss").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(bt.get("stderr").asDouble()).isCloseTo(Math.sqrt(squares) / sw, within(1e-12));
        assertThat(bt.get("count").asLong()).isEqualTo(prefs.size());
        assertThat(bt.get("ci_cluster").asText()).isEqualTo("none");
        assertThat(bt.get("clusters").asLong()).isEqualTo(prefs.size());
        assertThat(bt.get("weight_sum").asDouble()).isCloseTo(sw, within(1e-9));
        assertThat(bt.get("accuracy").asDouble()).isCloseTo(correct / decided, within(1e-12));

        // group counts add up to the total
        long groupCount = 0;
        for (JsonNode group : bt.get("groups").get("language")) {
            groupCount += group.get("count").asLong();
        }
        assertThat(groupCount).isEqualTo(prefs.size());

        // sequences: token-weighted conditional NLL = total NLL / total tokens
        List<Row> seqs = spark.read().parquet("data-samples/sequences.parquet").collectAsList();
        double nll = 0;
        double tokens = 0;
        double jointNll = 0;
        double jointTokens = 0;
        double utility = 0;
        double weights = 0;
        for (Row row : seqs) {
            double w = row.getAs("weight");
            List<Double> response = row.getList(row.fieldIndex("response_logprobs"));
            List<Double> prompt = row.getList(row.fieldIndex("prompt_logprobs"));
            double responseSum = response.stream().mapToDouble(Double::doubleValue).sum();
            double promptSum = prompt.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).sum();
            long scoredPrompt = prompt.stream().filter(v -> v != null).count();
            nll += w * -responseSum;
            tokens += w * response.size();
            jointNll += w * -(responseSum + promptSum);
            jointTokens += w * (response.size() + scoredPrompt);
            utility += w * (0.8 * row.<Double>getAs("helpfulness") - 0.2 * row.<Double>getAs("harmfulness"));
            weights += w;
        }
        JsonNode lm = summary.get("objectives").get("lm");
        assertThat(lm.get("loss").asDouble()).isCloseTo(nll / tokens, within(1e-12));
        assertThat(lm.get("conditional").get("token_nll").asDouble()).isCloseTo(nll / tokens, within(1e-12));
        assertThat(lm.get("joint").get("token_nll").asDouble()).isCloseTo(jointNll / jointTokens, within(1e-12));
        assertThat(lm.get("conditional").get("perplexity").asDouble()).isCloseTo(Math.exp(nll / tokens), within(1e-9));
        assertThat(lm.get("prompt_term").get("sequence_nll").asDouble())
                .isCloseTo((jointNll - nll) / weights, within(1e-9));
        assertThat(lm.get("unscored_prompt_tokens").asLong()).isEqualTo(seqs.size());

        JsonNode eu = summary.get("objectives").get("utility");
        assertThat(eu.get("mean_utility").asDouble()).isCloseTo(utility / weights, within(1e-12));
        assertThat(eu.get("loss").asDouble()).isCloseTo(-utility / weights, within(1e-12));

        // per-example output: one row per accepted example, with id and group columns
        List<Row> perExample = spark.read().parquet(new File(out.toFile(), "per_example/bt").getPath()).collectAsList();
        assertThat(perExample).hasSize(prefs.size());
        assertThat(spark.read().parquet(out.resolve("per_example/bt").toString()).columns())
                .contains("id", "margin", "label", "weight", "loss", "correct", "language", "domain");
    }
}
