package io.alignloss.objective.bradleyterry;

import io.alignloss.model.FeatureVector;
import io.alignloss.model.PairBlock;
import io.alignloss.objective.bradleyterry.PairLossAggregate;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The one Bradley-Terry formula against closed forms computed another way, and its three users (the evaluate
 * Column form, the training aggregator, and — in {@code leaderboard/BradleyTerryLossTest} — the leaderboard)
 * against each other on the same rows.
 */
class BradleyTerryTest extends LocalSparkTest {
    /** Margins covering the tiny, moderate, overflow-prone and extreme ranges, each with both signs. */
    static final double[] MARGINS = {0, 1e-300, -1e-300, 1e-9, -1e-9, 0.3, -0.3, 1, -1, 2.5, -2.5, 5, -5,
            36.5, -36.5, 40, -40, 100, -100, 700, -700, 800, -800, 1e6, -1e6, 1e300, -1e300};
    static final double[] LABELS = {0, 0.3, 0.5, 0.7, 1};

    /**
     * {@code log(1 + e^x)} without softplus's max/log1p form: the plain expression where it is accurate
     * (|x| ≤ 5), and its expansions elsewhere: {@code log 2 + x/2 + x²/8} near 0, {@code x + e^−x} for large x,
     * {@code e^x} for very negative x (the next terms are below double precision there).
     */
    static double logOnePlusExp(double x) {
        if (Math.abs(x) <= 1e-8) {
            return Math.log(2) + x / 2 + x * x / 8;
        }
        if (Math.abs(x) <= 5) {
            return Math.log(1 + Math.exp(x));
        }
        if (x >= 36) {
            return x + Math.exp(-x);
        }
        if (x <= -36) {
            return Math.exp(x);
        }
        throw new IllegalArgumentException("no closed form chosen for " + x);
    }

    /** {@code ℓ = −(y·log σ(m) + (1 − y)·log σ(−m)) = y·log(1 + e^−m) + (1 − y)·log(1 + e^m)}, the two-term form. */
    static double closedForm(double margin, double label) {
        double first = label == 0 ? 0 : label * logOnePlusExp(-margin);
        double second = label == 1 ? 0 : (1 - label) * logOnePlusExp(margin);
        return first + second;
    }

    private static void assertRelative(double actual, double expected, double tolerance, String what) {
        assertThat(Double.isFinite(actual)).as("%s is finite: %s", what, actual).isTrue();
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(tolerance * Math.abs(expected) + Double.MIN_NORMAL);
    }

    @Test
    void lossEqualsTheClosedFormAtEveryMarginAndLabel() {
        for (double margin : MARGINS) {
            for (double label : LABELS) {
                assertRelative(BradleyTerry.loss(margin, label), closedForm(margin, label), 1e-13,
                        "loss(" + margin + ", " + label + ")");
            }
        }
    }

    @Test
    void extremesAreExactWhereTheFormulaIs() {
        assertThat(BradleyTerry.loss(800, 1)).isEqualTo(0.0);
        assertThat(BradleyTerry.loss(-800, 1)).isEqualTo(800.0);
        assertThat(BradleyTerry.loss(800, 0)).isEqualTo(800.0);
        assertThat(BradleyTerry.loss(800, 0.5)).isEqualTo(400.0);
        assertThat(BradleyTerry.loss(-800, 0.5)).isEqualTo(400.0);
        assertThat(BradleyTerry.loss(1e-300, 1)).isCloseTo(Math.log(2), within(1e-16));
        assertThat(BradleyTerry.loss(0, 0.3)).isCloseTo(Math.log(2), within(1e-16));
        // log(1 + e^−700) = e^−700 ≈ 9.86e−305, not rounded to 0
        assertThat(BradleyTerry.loss(700, 1)).isCloseTo(Math.exp(-700), within(1e-318));
        assertThat(BradleyTerry.sigmoid(-1000)).isEqualTo(0.0);
        assertThat(BradleyTerry.sigmoid(1000)).isEqualTo(1.0);
        assertThat(BradleyTerry.sigmoid(0)).isEqualTo(0.5);
        assertThat(BradleyTerry.derivative(-1e300, 1)).isEqualTo(-1.0);
        assertThat(BradleyTerry.derivative(1e300, 0.3)).isCloseTo(0.7, within(1e-16));
        // σ(40)σ(−40) = e^−40/(1 + e^−40)², where σ(40)·(1 − σ(40)) would round to 0
        assertThat(BradleyTerry.curvature(40)).isCloseTo(Math.exp(-40), within(1e-30)).isPositive();
        assertThat(BradleyTerry.curvature(-1e300)).isEqualTo(0.0);
    }

    @Test
    void derivativeAndCurvatureMatchFiniteDifferences() {
        for (double margin : MARGINS) {
            if (Math.abs(margin) > 1e3) {
                continue; // m ± h rounds to m
            }
            double h = 1e-4 * Math.max(1, Math.abs(margin));
            for (double label : LABELS) {
                // central difference (ℓ(m + h) − ℓ(m − h)) / 2h
                double numeric = (BradleyTerry.loss(margin + h, label) - BradleyTerry.loss(margin - h, label)) / (2 * h);
                assertThat(BradleyTerry.derivative(margin, label)).as("∂ℓ/∂m at %s, %s", margin, label)
                        .isCloseTo(numeric, within(1e-8 * Math.max(1, Math.abs(margin))));
            }
            double numeric = (BradleyTerry.derivative(margin + h, 0.7) - BradleyTerry.derivative(margin - h, 0.7)) / (2 * h);
            assertThat(BradleyTerry.curvature(margin)).as("∂²ℓ/∂m² at %s", margin).isCloseTo(numeric, within(1e-8));
            // σ(m) = 1/(1 + e^−m) and σ(m)σ(−m), the plain way where it is accurate
            if (Math.abs(margin) <= 5) {
                double sigma = 1 / (1 + Math.exp(-margin));
                assertThat(BradleyTerry.sigmoid(margin)).isCloseTo(sigma, within(1e-15));
                assertThat(BradleyTerry.curvature(margin)).isCloseTo(sigma * (1 - sigma), within(1e-15));
            }
        }
    }

    @Test
    void tiesAndCorrectnessFollowTheLabelsSide() {
        assertThat(BradleyTerry.decided(0.5)).isFalse();
        assertThat(BradleyTerry.decided(0.7)).isTrue();
        assertThat(BradleyTerry.correct(1, 0.7)).isTrue();
        assertThat(BradleyTerry.correct(-1, 0.7)).isFalse();
        assertThat(BradleyTerry.correct(-1, 0.2)).isTrue();
        assertThat(BradleyTerry.correct(0, 1)).isFalse();
        assertThat(BradleyTerry.correct(3, 0.5)).isFalse();
    }

    /** (margin, label, weight) for every margin and label, weights 1, 2.5 and 0.25 in turn. */
    static List<double[]> rows() {
        List<double[]> rows = new ArrayList<>();
        double[] weights = {1, 2.5, 0.25};
        for (double margin : MARGINS) {
            for (double label : LABELS) {
                rows.add(new double[] {margin, label, weights[rows.size() % weights.length]});
            }
        }
        return rows;
    }

    @Test
    void columnFormAndTrainingAggregatorGiveTheSameLossOnTheSameRows() {
        List<double[]> rows = rows();
        StructType schema = new StructType().add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        List<Row> data = new ArrayList<>();
        for (double[] row : rows) {
            data.add(RowFactory.create(row[0], 0.0, row[1], row[2]));
        }
        BradleyTerryObjective objective = new BradleyTerryObjective(
                Configs.objective("preference", "{ name = bt, type = bradley-terry, input = in }"));
        Column loss = objective.perExample().get("loss");
        List<Row> evaluated = spark.createDataFrame(data, schema).select(loss).collectAsList();
        Row sums = spark.createDataFrame(data, schema).agg(sum(col("weight").multiply(loss)), sum("weight")).first();

        // the aggregator's margin is z = φ·Δf − δ: zero features and offset −m give z = m exactly
        PairBlock.Builder builder = new PairBlock.Builder(1, true, false);
        for (double[] row : rows) {
            builder.add(FeatureVector.dense(new float[] {0}), FeatureVector.dense(new float[] {0}), row[1], row[2], -row[0], 0);
        }
        PairLossAggregate aggregate = new PairLossAggregate(1, 0).add(builder.build(), new double[] {0}, false, null);

        double weighted = 0;
        double weights = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            PairBlock.Builder one = new PairBlock.Builder(1, true, false);
            one.add(FeatureVector.dense(new float[] {0}), FeatureVector.dense(new float[] {0}), row[1], row[2], -row[0], 0);
            double aggregated = new PairLossAggregate(1, 0).add(one.build(), new double[] {0}, false, null).meanLoss();
            String what = "loss(" + row[0] + ", " + row[1] + ")";
            assertRelative(evaluated.get(i).getDouble(0), aggregated, 1e-12, "Column vs aggregator " + what);
            assertRelative(evaluated.get(i).getDouble(0), BradleyTerry.loss(row[0], row[1]), 1e-12, "Column vs BradleyTerry " + what);
            weighted += row[2] * closedForm(row[0], row[1]);
            weights += row[2];
        }
        double columnMean = sums.getDouble(0) / sums.getDouble(1);
        assertThat(aggregate.count()).isEqualTo(rows.size());
        assertRelative(aggregate.meanLoss(), columnMean, 1e-12, "aggregator vs Column mean loss");
        assertRelative(columnMean, weighted / weights, 1e-12, "Column mean loss vs closed form");
    }

    @Test
    void aggregatorGradientIsTheDerivativeTimesTheFeatureDifference() {
        // one feature Δf = f_w − f_l per pair, weights φ = {0.75}: ∇ = Σ w·(σ(z) − y)·Δf with z = φΔf − δ
        float[][] features = {{2f, 1f}, {-1f, 3f}, {0.5f, 0.5f}, {4f, -2f}};
        double[] labels = {1, 0.3, 0.5, 0};
        double[] offsets = {0, 0.4, -1, 2};
        double[] pairWeights = {1, 2, 0.5, 1.5};
        double phi = 0.75;
        PairBlock.Builder builder = new PairBlock.Builder(1, true, false);
        double expected = 0;
        for (int i = 0; i < labels.length; i++) {
            builder.add(FeatureVector.dense(new float[] {features[i][0]}), FeatureVector.dense(new float[] {features[i][1]}),
                    labels[i], pairWeights[i], offsets[i], i);
            double delta = features[i][0] - features[i][1];
            double z = phi * delta - offsets[i];
            expected += pairWeights[i] * (1 / (1 + Math.exp(-z)) - labels[i]) * delta;
        }
        PairLossAggregate aggregate = new PairLossAggregate(1, 0).add(builder.build(), new double[] {phi}, true, null);
        assertThat(aggregate.gradientSum()[0]).isCloseTo(expected, within(1e-12));
    }
}
