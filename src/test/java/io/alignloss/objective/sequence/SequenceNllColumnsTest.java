package io.alignloss.objective.sequence;

import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmShape;
import io.alignloss.lm.LmSums;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import io.alignloss.text.Tokens;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sequence NLL's Column form (what {@code evaluate} computes through Spark) against the language model's training
 * aggregator ({@link LmSums}, what {@code train} minimises) on the same rows and the same model: the joint and
 * conditional NLL of sequence-likelihood, and the self-target loss −log Pr(ŷ|c′,z) on the blocks the self-target
 * trainer builds from the targets.
 */
class SequenceNllColumnsTest extends LocalSparkTest {
    private static final String[][] TEXTS = {
            {"What is the capital of France?", "Paris is the capital.", "1.0"},
            {"Name a colour.", "Blue", "2.5"},
            {"Say nothing.", "", "0.5"},
            {"Count to three, please, slowly and clearly.", "One, two, three.", "1.25"},
            {"Translate 'chat' into English.", "Cat.", "0.0"}};

    private static LanguageModel model() {
        Map<Integer, Long> counts = new HashMap<>();
        for (String[] text : TEXTS) {
            for (int id : Tokens.encode(text[0] + text[1])) {
                counts.merge(id, 1L, Long::sum);
            }
        }
        counts.put(Tokens.END, 5L);
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, 1, 0);
        LmShape shape = new LmShape(2, 10, 6, true);
        SplittableRandom random = new SplittableRandom(11);
        double[] weights = new double[LanguageModel.size(shape, vocabulary)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.4 * random.nextGaussian();
        }
        return new LanguageModel(shape, vocabulary, weights);
    }

    private static double[] sums(Dataset<Row> rows, Column numerator, Column denominator) {
        Row row = rows.agg(sum(numerator), sum(denominator)).first();
        return new double[] {row.getDouble(0), row.getDouble(1)};
    }

    @Test
    void sequenceLikelihoodColumnsEqualTheLanguageModelsTrainingSums() {
        LanguageModel model = model();
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("response", DataTypes.StringType)
                .add("weight", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        List<SequenceBlock.Row> blockRows = new ArrayList<>();
        for (int i = 0; i < TEXTS.length; i++) {
            rows.add(RowFactory.create(TEXTS[i][0], TEXTS[i][1], Double.parseDouble(TEXTS[i][2])));
            blockRows.add(new SequenceBlock.Row(Tokens.encode(TEXTS[i][0]), Tokens.encode(TEXTS[i][1]), Double.parseDouble(TEXTS[i][2]), i));
        }
        SequenceBlock block = SequenceBlock.of(blockRows);
        for (boolean joint : new boolean[] {true, false}) {
            SequenceLikelihoodObjective objective = new SequenceLikelihoodObjective(Configs.objective("sequence",
                    "{ name = lm, type = sequence-likelihood, input = in, mode = " + (joint ? "joint" : "conditional") + " }")).withModel(model);
            Dataset<Row> scored = objective.withLogprobs(spark.createDataFrame(rows, schema).repartition(2));
            double[] columns = sums(scored, col("weight").multiply(objective.lossNumerator()), col("weight").multiply(objective.lossDenominator().get()));
            LmSums aggregated = new LmSums(model, joint, false, null).add(block);
            assertThat(columns[0]).as("Σ w·NLL, joint = " + joint).isCloseTo(aggregated.nll(), within(1e-12 * Math.abs(aggregated.nll())));
            assertThat(columns[1]).as("Σ w·T, joint = " + joint).isEqualTo(aggregated.weightedTokens());
            assertThat(columns[0] / columns[1]).isCloseTo(aggregated.tokenNll(), within(1e-12 * aggregated.tokenNll()));
        }
    }

    @Test
    void selfTargetColumnsEqualTheTrainersLossOnTheTargetBlocks() {
        LanguageModel model = model();
        StructType schema = new StructType().add("id", DataTypes.LongType).add("context", DataTypes.StringType)
                .add("modified_context", DataTypes.StringType).add("z", DataTypes.StringType)
                .add("candidates", DataTypes.createArrayType(DataTypes.StringType, true)).add("weight", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < TEXTS.length; i++) {
            List<String> candidates = i % 2 == 0 ? null : Arrays.asList(TEXTS[(i + 1) % TEXTS.length][1], TEXTS[i][1]);
            rows.add(RowFactory.create((long) i, TEXTS[i][0], TEXTS[i][0].substring(0, TEXTS[i][0].length() / 2), i == 1 ? null : "Be brief.",
                    candidates, Double.parseDouble(TEXTS[i][2])));
        }
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);
        SelfTargetObjective objective = new SelfTargetObjective(Configs.objective("self-target",
                "{ name = st, type = self-target, input = in, max-target-tokens = 6 }")).withModel(model);
        Dataset<Row> targets = objective.withTargets(input).cache();
        double[] columns = sums(targets, col("weight").multiply(objective.lossNumerator()), col("weight").multiply(objective.lossDenominator().get()));
        // the blocks as the self-target trainer builds them: prompt (c′, z), response ŷ held fixed
        List<SequenceBlock> blocks = LmData.targetBlocks(targets.select(col("id"), col("weight"), col("modified_context"),
                SelfTargetObjective.conditioning(targets), objective.target("target_token_ids"))).collect();
        LmSums aggregated = new LmSums(model, false, false, null);
        blocks.forEach(aggregated::add);
        assertThat(aggregated.weightedTokens()).isGreaterThan(0.0);
        assertThat(columns[0]).isCloseTo(aggregated.nll(), within(1e-12 * Math.abs(aggregated.nll())));
        assertThat(columns[1]).isEqualTo(aggregated.weightedTokens());
        assertThat(columns[0] / columns[1]).isCloseTo(aggregated.tokenNll(), within(1e-12 * aggregated.tokenNll()));
        targets.unpersist();
    }
}
