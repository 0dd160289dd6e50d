package io.alignloss.diagnostics;

import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.data.PreparedInput;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.objective.Objective;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The importance-weighted figures of {@link CovariateShift#weigh} on weights the test knows: the domain classifier is
 * replaced by a hand-built one whose logit is the prompt's log length, {@code logit = log(1 + |prompt|)}, and the
 * calibration is {@code logit' = logit + ln ½} with as many data as reference rows, so
 * {@code ω = min((1 + |prompt|)/2, clip)} for every row. Prompt lengths 1, 3, 7, 15 give odds 1, 2, 4, 8; with
 * clip 5 the last is clipped. Row weights are 1 or 3, so Kish's ESS on ω·w differs from forms that ignore either.
 */
class CovariateShiftKnownWeightsTest extends LocalSparkTest {
    private static final int[] PROMPT_LENGTHS = {1, 3, 7, 15};
    private static final double CLIP = 5;
    private static final int ROWS = 60;

    /** A pipeline whose rawPrediction is [−m, m] with m = len0 = log1p(|prompt|): logistic regression with coefficient 1, intercept 0. */
    private static PipelineModel lengthClassifier() {
        VectorAssembler features = new VectorAssembler().setInputCols(new String[] {"len0"}).setOutputCol("features");
        LogisticRegressionModel regression = new LogisticRegressionModel("length-logit", Vectors.dense(1.0), 0.0);
        return new PipelineModel("length-classifier", new Transformer[] {features, regression});
    }

    @Test
    void essDesignEffectWeightedLossAndClippedShareEqualTheirValuesFromTheKnownWeights() {
        SplittableRandom random = new SplittableRandom(31);
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("quality", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        double sum = 0;
        double squares = 0;
        double weightedLoss = 0;
        int clipped = 0;
        for (int i = 0; i < ROWS; i++) {
            int length = PROMPT_LENGTHS[random.nextInt(PROMPT_LENGTHS.length)];
            double quality = random.nextDouble();
            double w = random.nextBoolean() ? 1.0 : 3.0;
            rows.add(RowFactory.create("r" + i, "x".repeat(length), "response " + i, quality, w));
            // ω = min(odds, clip), odds = (1 + |prompt|)·½; loss y = −quality, x = 1
            double odds = (1 + length) / 2.0;
            double omega = Math.min(odds, CLIP);
            clipped += odds >= CLIP ? 1 : 0;
            sum += omega * w;
            squares += (omega * w) * (omega * w);
            weightedLoss += omega * w * -quality;
        }
        double ess = sum * sum / squares;
        Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(3);
        PreparedInput input = new PreparedInput(new InputConfig("in", "unused", InputKind.SEQUENCE), data, List.of(data.columns()),
                List.of(), Map.of());
        Objective objective = new ExpectedUtilityObjective(Configs.objective("sequence",
                "{ name = eu, type = expected-utility, input = in, utility { quality = 1 } }")).forInput(List.of(data.columns()));
        CovariateShift.Fit fit = new CovariateShift.Fit(new PipelineModel[] {lengthClassifier(), lengthClassifier()}, 0.5, 1.0,
                Math.log(0.5), ROWS, ROWS, ROWS, ROWS, List.of("prompt"));

        Map<String, Object> figures = CovariateShift.weigh(input, List.of(objective), fit, CLIP, 7, 20, 0.95).get("eu");

        System.out.printf("known weights: ess %.6f (reported %s), design effect %.6f (reported %s)%n", ess, figures.get("ess"),
                ROWS / ess, figures.get("design_effect"));
        assertThat(clipped).isPositive().isLessThan(ROWS);
        assertThat((Double) figures.get("ess")).isCloseTo(ess, within(1e-9 * ess));
        assertThat((Double) figures.get("design_effect")).isCloseTo(ROWS / ess, within(1e-9 * ROWS / ess));
        assertThat((Double) figures.get("weighted_loss")).isCloseTo(weightedLoss / sum, within(1e-12));
        assertThat((Double) figures.get("clipped_share")).isCloseTo((double) clipped / ROWS, within(1e-15));
    }
}
