package io.alignloss.objective.bradleyterry;

import io.alignloss.model.FeatureVector;
import io.alignloss.model.PairBlock;
import io.alignloss.optim.Evaluation;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PairLossTest extends LocalSparkTest {
    /** Random pairs: dense or sparse features, soft labels and ties, weights, margin offsets. */
    static List<PairBlock> pairs(int count, int dimension, boolean dense, boolean centred, long seed) {
        Random random = new Random(seed);
        List<PairBlock> blocks = new ArrayList<>();
        PairBlock.Builder builder = new PairBlock.Builder(dimension, dense, centred);
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            double label = u < 0.7 ? 1 : u < 0.8 ? 0.5 : u < 0.9 ? 0 : random.nextDouble();
            builder.add(vector(random, dimension, dense), vector(random, dimension, dense), label,
                    random.nextDouble() < 0.8 ? 1 : 2.5, random.nextDouble() < 0.5 ? 0 : random.nextGaussian(), random.nextLong());
            if (builder.size() == 7) {
                blocks.add(builder.build());
                builder = new PairBlock.Builder(dimension, dense, centred);
            }
        }
        if (builder.size() > 0) {
            blocks.add(builder.build());
        }
        return blocks;
    }

    private static FeatureVector vector(Random random, int dimension, boolean dense) {
        if (dense) {
            float[] values = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                values[j] = (float) random.nextGaussian();
            }
            return FeatureVector.dense(values);
        }
        int[] indices = random.ints(0, dimension).distinct().limit(1 + random.nextInt(4)).sorted().toArray();
        float[] values = new float[indices.length];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) random.nextGaussian();
        }
        return FeatureVector.sparse(indices, values);
    }

    JavaRDD<PairBlock> rdd(List<PairBlock> blocks, int partitions) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(blocks, partitions);
    }

    @ParameterizedTest(name = "dense={0} l2={1} center={2}")
    @CsvSource({"true, 0, 0", "true, 0.01, 0", "true, 0, 0.05", "false, 0.1, 0.02", "false, 0, 0"})
    void gradientEqualsFiniteDifferences(boolean dense, double l2, double center) {
        int dimension = 6;
        PairLoss loss = new PairLoss(rdd(pairs(60, dimension, dense, center > 0, 3), 3), dimension, l2, center, 2, 1, 1);
        double[] x = new Random(5).doubles(dimension, -0.5, 0.5).toArray();
        Evaluation at = loss.evaluate(x);
        for (int j = 0; j < dimension; j++) {
            double h = 1e-5;
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            // central difference (f(x + h e_j) − f(x − h e_j)) / 2h
            double numeric = (loss.evaluate(plus).value() - loss.evaluate(minus).value()) / (2 * h);
            assertThat(Math.abs(at.gradient()[j] - numeric) / Math.max(1e-3, Math.abs(numeric)))
                    .as("coordinate %d: analytic %s, numeric %s", j, at.gradient()[j], numeric).isLessThan(1e-6);
        }
    }

    @Test
    void valueEqualsAPlainJavaRecomputation() {
        int dimension = 4;
        List<PairBlock> blocks = pairs(50, dimension, true, true, 8);
        double l2 = 0.3;
        double center = 0.1;
        double[] x = {0.2, -0.1, 0.4, 0.05};
        double lossSum = 0;
        double weightSum = 0;
        for (PairBlock block : blocks) {
            for (int i = 0; i < block.size(); i++) {
                double z = block.delta().dot(i, x) - block.offset(i);
                double p = block.label(i);
                double s = block.sum().dot(i, x);
                // ℓ = −p·log σ(z) − (1 − p)·log σ(−z) + c·s², computed the naive way
                double sigma = 1 / (1 + Math.exp(-z));
                lossSum += block.weight(i) * (-p * Math.log(sigma) - (1 - p) * Math.log(1 - sigma) + center * s * s);
                weightSum += block.weight(i);
            }
        }
        double expected = lossSum / weightSum + l2 / 2 * (x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3]);
        assertThat(new PairLoss(rdd(blocks, 2), dimension, l2, center, 2, 1, 1).evaluate(x).value()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void miniBatchesDoNotDependOnPartitioningAndKeepTheirFraction() {
        int dimension = 5;
        List<PairBlock> blocks = pairs(2000, dimension, true, false, 4);
        double[] x = {0.1, 0.2, -0.3, 0.4, 0};
        Evaluation one = new PairLoss(rdd(blocks, 1), dimension, 0, 0, 2, 0.25, 9).evaluateBatch(x, 3);
        Evaluation four = new PairLoss(rdd(blocks, 4), dimension, 0, 0, 3, 0.25, 9).evaluateBatch(x, 3);
        assertThat(one.value()).isCloseTo(four.value(), within(1e-12));
        assertThat(one.figures().get("pairs")).isEqualTo(four.figures().get("pairs")).isBetween(400.0, 600.0);
        Evaluation next = new PairLoss(rdd(blocks, 1), dimension, 0, 0, 2, 0.25, 9).evaluateBatch(x, 4);
        assertThat(next.value()).isNotEqualTo(one.value());
    }
}
