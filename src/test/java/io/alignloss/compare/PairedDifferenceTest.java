package io.alignloss.compare;

import io.alignloss.stats.Resampling;
import io.alignloss.summary.PairedComparison;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The paired difference of two ratio estimators against plain loops over the rows (difference, clustered linearised
 * standard error from explicit per-cluster sums of u_i), and by simulation: the paired bootstrap interval covers a
 * known difference at about its level.
 */
class PairedDifferenceTest {
    /** One paired row: its cluster, both runs' weight, loss numerator y and denominator x (tokens). */
    record PairedRow(int cluster, double wa, double ya, double xa, double wb, double yb, double xb) {
    }

    /** The cells' sums as PairedRows builds them in Spark (cluster sums, each cluster in one bucket). */
    static PairedSums sums(List<PairedRow> rows, int clusters, int[] bucketOfCluster) {
        double[][] v = new double[clusters][4];
        long[] counts = new long[clusters];
        for (PairedRow row : rows) {
            double[] c = v[row.cluster()];
            c[0] += row.wa() * row.ya();
            c[1] += row.wa() * row.xa();
            c[2] += row.wb() * row.yb();
            c[3] += row.wb() * row.xb();
            counts[row.cluster()]++;
        }
        PairedSums sums = PairedSums.empty();
        for (int c = 0; c < clusters; c++) {
            if (counts[c] == 0) {
                continue;
            }
            double[][] moments = new double[4][4];
            for (int s = 0; s < 4; s++) {
                for (int t = 0; t < 4; t++) {
                    moments[s][t] = v[c][s] * v[c][t];
                }
            }
            sums = sums.plusBucket(bucketOfCluster[c], counts[c], 1, v[c], moments, 0, 0, 0);
        }
        return sums;
    }

    private static List<PairedRow> simulate(SplittableRandom random, int clusters, double trueDifference) {
        List<PairedRow> rows = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            double clusterEffect = random.nextGaussian() * 0.5; // shared by the cluster's rows in both runs
            double clusterShift = random.nextGaussian() * 0.3;  // the runs' difference varies by cluster too
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                double tokens = 1 + random.nextInt(20);
                double w = 0.5 + random.nextDouble();
                double perTokenA = 2 + clusterEffect + 0.3 * random.nextGaussian();
                double perTokenB = perTokenA + trueDifference + clusterShift + 0.2 * random.nextGaussian();
                rows.add(new PairedRow(c, w, perTokenA * tokens, tokens, w, perTokenB * tokens, tokens));
            }
        }
        return rows;
    }

    @Test
    void differenceAndClusteredStderrMatchPlainLoops() {
        SplittableRandom random = new SplittableRandom(7);
        int clusters = 60;
        List<PairedRow> rows = simulate(random, clusters, 0.1);
        int[] buckets = random.ints(clusters, 0, Resampling.BUCKETS).toArray();
        PairedComparison figures = PairedDifference.of(sums(rows, clusters, buckets), new double[0][], 0.95, false);

        double sya = 0, sxa = 0, syb = 0, sxb = 0;
        for (PairedRow row : rows) {
            sya += row.wa() * row.ya();
            sxa += row.wa() * row.xa();
            syb += row.wb() * row.yb();
            sxb += row.wb() * row.xb();
        }
        double la = sya / sxa;
        double lb = syb / sxb;
        // u_i = w_b(y_b − L_b x_b)/X_b − w_a(y_a − L_a x_a)/X_a, summed per cluster, squared, summed
        double[] perCluster = new double[clusters];
        for (PairedRow row : rows) {
            perCluster[row.cluster()] += row.wb() * (row.yb() - lb * row.xb()) / sxb - row.wa() * (row.ya() - la * row.xa()) / sxa;
        }
        double squares = 0;
        for (double u : perCluster) {
            squares += u * u;
        }
        double stderr = Math.sqrt(squares);
        assertThat(figures.count()).isEqualTo(rows.size());
        assertThat(figures.clusters()).isEqualTo(clusters);
        assertThat(figures.lossA()).isCloseTo(la, within(1e-12));
        assertThat(figures.lossB()).isCloseTo(lb, within(1e-12));
        assertThat(figures.difference()).isCloseTo(lb - la, within(1e-12));
        assertThat(figures.stderr()).isCloseTo(stderr, within(1e-12));
        assertThat(figures.z()).isCloseTo((lb - la) / stderr, within(1e-9));
        assertThat(figures.pValue()).isCloseTo(2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(lb - la) / stderr)),
                within(1e-9));
        assertThat(figures.ci()).isNull(); // no replicates
        assertThat(figures.mcnemar()).isNull();
    }

    @Test
    void identicalRunsDifferByZeroWithNoTest() {
        SplittableRandom random = new SplittableRandom(3);
        List<PairedRow> rows = simulate(random, 40, 0).stream()
                .map(row -> new PairedRow(row.cluster(), row.wa(), row.ya(), row.xa(), row.wa(), row.ya(), row.xa())).toList();
        PairedComparison figures = PairedDifference.of(sums(rows, 40, random.ints(40, 0, Resampling.BUCKETS).toArray()),
                Resampling.poissonWeights(50, 1), 0.95, true);
        assertThat(figures.difference()).isEqualTo(0.0);
        assertThat(figures.stderr()).isEqualTo(0.0);
        assertThat(figures.z()).isNull();
        assertThat(figures.pValue()).isNull();
        assertThat(figures.ci()).containsExactly(0.0, 0.0);
        assertThat(figures.mcnemar().pValue()).isEqualTo(1.0);
    }

    /**
     * R = 200 simulated pairs of runs over 200 clusters whose token-weighted losses differ by 0.1 in expectation
     * (with cluster-level noise in the difference): the 95% paired bootstrap interval and the z test's normal interval
     * each cover 0.1 in about 95% of them (binomial sd of the rate ≈ 0.015).
     */
    @Test
    void theIntervalCoversAKnownDifference() {
        SplittableRandom random = new SplittableRandom(2026);
        int replicates = 200;
        int clusters = 200;
        double truth = 0.1;
        int covered = 0;
        int zCovered = 0;
        for (int r = 0; r < replicates; r++) {
            List<PairedRow> rows = simulate(random, clusters, truth);
            int[] buckets = random.ints(clusters, 0, Resampling.BUCKETS).toArray();
            PairedComparison figures = PairedDifference.of(sums(rows, clusters, buckets), Resampling.poissonWeights(200, r), 0.95, false);
            if (figures.ci().get(0) <= truth && truth <= figures.ci().get(1)) {
                covered++;
            }
            if (Math.abs(figures.difference() - truth) <= 1.959964 * figures.stderr()) {
                zCovered++;
            }
        }
        assertThat(covered / (double) replicates).isBetween(0.89, 0.99);
        assertThat(zCovered / (double) replicates).isBetween(0.89, 0.99);
    }
}
