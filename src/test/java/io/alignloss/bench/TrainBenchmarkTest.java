package io.alignloss.bench;

import io.alignloss.config.FeatureSpec;
import io.alignloss.data.InputContract;
import io.alignloss.model.PairData;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code bench train}'s yardstick (the independent objective), its frame and its warnings. */
class TrainBenchmarkTest extends LocalSparkTest {
    private static final long SEED = 11;

    private JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @Test
    void theObjectiveAtZeroWeightsIsLogTwo() {
        // z = 0 for every pair: each loss is log(1 + e^0) = log 2, and the penalty is 0
        double[] objective = TrainBenchmark.objective(context(), 3, 40, 4, SEED, List.of(new double[4]));
        assertThat(objective[0]).isCloseTo(Math.log(2), within(1e-15));
    }

    @Test
    void theObjectiveIsTheMeanLogisticLossPlusTheRidgePenalty() {
        int dimension = 3;
        double[] w = {0.7, -1.3, 2.5};
        double[] objective = TrainBenchmark.objective(context(), 2, 30, dimension, SEED, List.of(w, new double[dimension]));
        // the same sum in another form: −log σ(z) for label 1 and −log(1 − σ(z)) for label 0, over the rows of both partitions
        double sum = 0;
        for (int p = 0; p < 2; p++) {
            Iterator<float[]> rows = TrainBenchmark.rows(SEED, p, 30, dimension);
            while (rows.hasNext()) {
                float[] row = rows.next();
                double z = w[0] * row[0] + w[1] * row[1] + w[2] * row[2];
                double sigma = 1 / (1 + Math.exp(-z));
                sum += row[dimension] == 1f ? -Math.log(sigma) : -Math.log1p(-sigma);
            }
        }
        double penalty = 1e-4 / 2 * (0.49 + 1.69 + 6.25);
        assertThat(objective[0]).isCloseTo(sum / 60 + penalty, within(1e-9));
        assertThat(objective[1]).isCloseTo(Math.log(2), within(1e-15));
    }

    @Test
    void theFrameHoldsTheGeneratedDeltaAsChosenAndZeroAsRejected() {
        int dimension = 4;
        List<Row> rows = TrainBenchmark.frame(spark, context(), 5, dimension, 2, SEED).collectAsList();
        assertThat(rows).hasSize(10);
        assertThat(rows.stream().map(row -> row.getLong(row.fieldIndex(PairData.HASH))).distinct().count()).isEqualTo(10);
        for (int p = 0; p < 2; p++) {
            Iterator<float[]> generated = TrainBenchmark.rows(SEED, p, 5, dimension);
            for (int i = 0; i < 5; i++) {
                float[] expected = generated.next();
                Row row = rows.get(p * 5 + i);
                List<Object> chosen = row.getList(row.fieldIndex(FeatureSpec.CHOSEN_EMBEDDING));
                List<Object> rejected = row.getList(row.fieldIndex(FeatureSpec.REJECTED_EMBEDDING));
                for (int j = 0; j < dimension; j++) {
                    assertThat((Float) chosen.get(j)).isEqualTo(expected[j]);
                    assertThat((Float) rejected.get(j)).isZero();
                }
                assertThat(row.getDouble(row.fieldIndex(InputContract.LABEL))).isEqualTo(expected[dimension]);
                assertThat(row.getDouble(row.fieldIndex(InputContract.WEIGHT))).isEqualTo(1.0);
            }
        }
    }

    @Test
    void spreadsTakeTheMedianOfAnEvenOrOddCount() {
        TrainBenchmark.Spread odd = TrainBenchmark.Spread.of(new double[] {3, 1, 2});
        assertThat(List.of(odd.min(), odd.median(), odd.max())).containsExactly(1.0, 2.0, 3.0);
        TrainBenchmark.Spread even = TrainBenchmark.Spread.of(new double[] {4, 1, 2, 10});
        assertThat(List.of(even.min(), even.median(), even.max(), even.width())).containsExactly(1.0, 3.0, 10.0, 9.0);
    }

    @Test
    void warningsFlagNoiseTheGoalInsideTheRangeADifferentOptimumAndLoad() {
        double[] same = {0.5, 0.5 * (1 + 1e-7)};
        TrainBenchmark.Spread fast = TrainBenchmark.Spread.of(new double[] {4.0, 4.2});
        TrainBenchmark.Spread slow = TrainBenchmark.Spread.of(new double[] {17.0, 17.5});
        // clearly apart, the goal (0.5) outside [4.0 / 17.5, 4.2 / 17.0], same optimum, quiet machine: nothing to say
        assertThat(TrainBenchmark.warnings(fast, slow, same, 2, 1.0, 2)).isEmpty();

        TrainBenchmark.Spread wide = TrainBenchmark.Spread.of(new double[] {6.0, 16.0});
        List<String> noisy = TrainBenchmark.warnings(wide, slow, same, 2, 1.0, 2);
        assertThat(noisy).hasSize(2);
        assertThat(noisy.get(0)).contains("inside the run-to-run noise");
        assertThat(noisy.get(1)).contains("goal 0.5 lies inside the ratio's range");

        assertThat(TrainBenchmark.warnings(fast, slow, new double[] {0.5, 0.5 * (1 + 2e-6)}, 2, 1.0, 2))
                .singleElement().asString().contains("did not reach the same optimum");
        assertThat(TrainBenchmark.warnings(fast, slow, new double[] {0.5, Double.NaN}, 2, 1.0, 2))
                .singleElement().asString().contains("did not reach the same optimum");
        assertThat(TrainBenchmark.warnings(fast, slow, same, 1, 1.0, 2)).singleElement().asString().contains("one repeat per side");
        assertThat(TrainBenchmark.warnings(fast, slow, same, 2, 7.5, 2)).singleElement().asString().contains("load average 7.50 on 2 cores");
    }
}
