package io.alignloss.optim.spark;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.L2Regularizer;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.Normalisation;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.Regularizer;
import io.alignloss.optim.SquaredErrorSums;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static io.alignloss.optim.SquaredErrorSums.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The distributed loss over an RDD of blocks against the hand case of RegularizedLossTest and a plain-Java loop. */
class DistributedLossTest extends LocalSparkTest {
    private static final double[] THETA = {0.5, -1};

    private JavaRDD<double[][]> rdd(List<double[][]> blocks, int partitions) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(blocks, partitions);
    }

    private static DistributedLoss<double[][], double[], SquaredErrorSums> loss(JavaRDD<double[][]> blocks, RegularizedLoss objective, int depth,
            double fraction) {
        return new DistributedLoss<>(blocks, 2, Function.identity(), SquaredErrorSums::new, objective,
                sums -> Map.of("weight", sums.weightSum()), depth, fraction, 9);
    }

    @Test
    void fullPassMatchesTheHandCaseOnAnyPartitioning() {
        // the three rows of RegularizedLossTest, one per block, plus an empty block
        List<double[][]> blocks = List.of(new double[][] {row(1, 1, 1, 1, 2)}, new double[0][], new double[][] {row(2, 2, -2, 0, 1)},
                new double[][] {row(3, 0.5, 1, 3, 0)});
        RegularizedLoss mean = new RegularizedLoss(Normalisation.passWeight(), new L2Regularizer(0.2, Regularizer.Scale.MEAN));
        RegularizedLoss total = new RegularizedLoss(Normalisation.fixedTotal(3.5), new L2Regularizer(0.2, Regularizer.Scale.TOTAL));
        for (int partitions : new int[] {1, 3, 6}) {
            for (int depth : new int[] {2, 3}) {
                Evaluation byMean = loss(rdd(blocks, partitions), mean, depth, 1).evaluate(THETA);
                // J = 4.1875 / 3.5 + 0.125, ∇J = (−0.5 + 0.1, −3/3.5 − 0.2)
                assertThat(byMean.value()).isCloseTo(4.1875 / 3.5 + 0.125, within(1e-14));
                assertThat(byMean.gradient()).containsExactly(new double[] {-0.4, -3 / 3.5 - 0.2}, within(1e-14));
                assertThat(byMean.figures()).containsEntry("weight", 3.5);
                // J = (4.1875 + 0.125) / 3.5: the same penalty weighs 1/3.5 as much against the data
                Evaluation byTotal = loss(rdd(blocks, partitions), total, depth, 1).evaluate(THETA);
                assertThat(byTotal.value()).isCloseTo(4.3125 / 3.5, within(1e-14));
                assertThat(byTotal.gradient()).containsExactly(new double[] {-1.65 / 3.5, -3.2 / 3.5}, within(1e-14));
            }
        }
    }

    @Test
    void everyPartitionIsCompactedAndMeasureSumsNoGradient() {
        List<double[][]> blocks = randomBlocks(new SplittableRandom(1), 8, 20);
        RegularizedLoss mean = new RegularizedLoss(Normalisation.passWeight(), new L2Regularizer(0, Regularizer.Scale.MEAN));
        DistributedLoss<double[][], double[], SquaredErrorSums> loss = loss(rdd(blocks, 4), mean, 2, 1);
        SquaredErrorSums sums = loss.sums(THETA, true, null);
        assertThat(sums.compacted()).isTrue();
        assertThat(sums.weightSum()).isCloseTo(plainLoop(blocks, THETA, null)[1], within(1e-12));
        SquaredErrorSums measured = loss.measure(THETA);
        assertThat(measured.lossSum()).isCloseTo(sums.lossSum(), within(1e-12));
        assertThatThrownBy(measured::gradientSum).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the gradient: the pass did not sum it");
    }

    @Test
    void miniBatchesMatchAPlainLoopAndDoNotDependOnPartitioning() {
        List<double[][]> blocks = randomBlocks(new SplittableRandom(2), 10, 50);
        double fraction = 0.3;
        double total = plainLoop(blocks, THETA, null)[1];
        double lambda = 0.05;
        double squares = THETA[0] * THETA[0] + THETA[1] * THETA[1];
        RegularizedLoss mean = new RegularizedLoss(Normalisation.passWeight(), new L2Regularizer(lambda, Regularizer.Scale.MEAN));
        RegularizedLoss byTotal = new RegularizedLoss(Normalisation.fixedTotal(total), new L2Regularizer(lambda, Regularizer.Scale.TOTAL));
        for (long iteration : new long[] {3, 4}) {
            double[] plain = plainLoop(blocks, THETA, MiniBatch.of(9, iteration, fraction));
            assertThat(plain[1]).isBetween(0.1 * total, 0.5 * total);
            for (int partitions : new int[] {1, 5}) {
                // the batch's mean loss: S_b / W_b + (λ/2)||θ||²
                Evaluation batchMean = loss(rdd(blocks, partitions), mean, 2, fraction).evaluateBatch(THETA, iteration);
                assertThat(batchMean.value()).isCloseTo(plain[0] / plain[1] + lambda / 2 * squares, within(1e-12));
                assertThat(batchMean.gradient()[0]).isCloseTo(plain[2] / plain[1] + lambda * THETA[0], within(1e-12));
                // the total estimated from the batch: (S_b / f + (λ/2)||θ||²) / T
                Evaluation batchTotal = loss(rdd(blocks, partitions), byTotal, 3, fraction).evaluateBatch(THETA, iteration);
                assertThat(batchTotal.value()).isCloseTo((plain[0] / fraction + lambda / 2 * squares) / total, within(1e-12));
                assertThat(batchTotal.gradient()[1]).isCloseTo((plain[3] / fraction + lambda * THETA[1]) / total, within(1e-12));
            }
        }
        // a fraction of 1 is the full pass
        Evaluation full = loss(rdd(blocks, 3), byTotal, 2, 1).evaluateBatch(THETA, 7);
        double[] all = plainLoop(blocks, THETA, null);
        assertThat(full.value()).isCloseTo((all[0] + lambda / 2 * squares) / total, within(1e-12));
    }

    @Test
    void rejectsADepthOrFractionOutOfRange() {
        RegularizedLoss mean = new RegularizedLoss(Normalisation.passWeight(), new L2Regularizer(0, Regularizer.Scale.MEAN));
        JavaRDD<double[][]> blocks = rdd(List.<double[][]>of(new double[0][]), 1);
        assertThatThrownBy(() -> loss(blocks, mean, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid tree depth: 0 (must be >= 1)");
        assertThatThrownBy(() -> loss(blocks, mean, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid batch fraction: 0.0 (must be in (0, 1])");
    }

    // blocks of rows {hash, w, y, x1, x2} with random weights (some 0), targets and features
    private static List<double[][]> randomBlocks(SplittableRandom random, int count, int size) {
        List<double[][]> blocks = new ArrayList<>();
        long hash = 1;
        for (int b = 0; b < count; b++) {
            double[][] block = new double[size][];
            for (int i = 0; i < size; i++) {
                double weight = random.nextInt(10) == 0 ? 0 : random.nextDouble(0.1, 2);
                block[i] = row(hash++ * 7919, weight, random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
            }
            blocks.add(block);
        }
        return blocks;
    }

    // {Σ w·ℓ, Σ w, Σ w·r·x1, Σ w·r·x2} over the kept rows, ℓ = ½r², r = θ·x − y, written out without the aggregator
    private static double[] plainLoop(List<double[][]> blocks, double[] theta, MiniBatch batch) {
        double[] sums = new double[4];
        for (double[][] block : blocks) {
            for (double[] row : block) {
                if (batch != null && !batch.keep((long) row[0])) {
                    continue;
                }
                double r = theta[0] * row[3] + theta[1] * row[4] - row[2];
                sums[0] += row[1] * r * r / 2;
                sums[1] += row[1];
                sums[2] += row[1] * r * row[3];
                sums[3] += row[1] * r * row[4];
            }
        }
        return sums;
    }
}
