package io.alignloss.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each population's closed-form truth against a large draw from its own generator, recomputed in plain Java
 * loops (within 5 standard errors): the truths and the generators are written separately, so a slip in either
 * shows here rather than as a coverage failure.
 */
class PopulationTruthTest {
    private static final int DRAW = 400_000;

    @Test
    void bradleyTerryOverallAndGroupLosses() {
        List<Object[]> rows = new PreferenceCoverage.Data(DRAW).draw(new SplittableRandom(1), 0);
        double[] all = new double[4];
        double[] japanese = new double[4];
        for (Object[] row : rows) {
            double m = (double) row[4] - (double) row[5];
            double label = (double) row[6];
            double w = (double) row[7];
            double loss = label * softplus(-m) + (1 - label) * softplus(m);
            add(all, w, loss);
            if (row[8].equals("ja")) {
                add(japanese, w, loss);
            }
        }
        assertClose(all, PreferenceCoverage.loss(PreferenceCoverage.weightMass()));
        assertClose(japanese, PreferenceCoverage.loss(PreferenceCoverage.slice(2, -1)));
    }

    @Test
    void targetMarginalsSumToOneAndRakingKeepsTheJointsInteractions() {
        double[][] raked = PreferenceCoverage.raked();
        double[][] mass = PreferenceCoverage.weightMass();
        double total = 0;
        for (double[] row : raked) {
            total += row[0] + row[1];
        }
        assertThat(total).isCloseTo(1, within(1e-12));
        // T_c / P_c = α_a·β_b up to a constant: the cross ratio of the two is 1
        double crossT = raked[0][0] * raked[1][1] / (raked[0][1] * raked[1][0]);
        double crossP = mass[0][0] * mass[1][1] / (mass[0][1] * mass[1][0]);
        assertThat(crossT).isCloseTo(crossP, within(1e-12));
    }

    @Test
    void tokenWeightedLikelihoodAndOffPolicyValues() {
        List<Object[]> rows = new SequenceCoverage.Data(DRAW).draw(new SplittableRandom(2), 0);
        double wy = 0;
        double wx = 0;
        double[] ips = new double[4];
        double[] clipped = new double[4];
        for (Object[] row : rows) {
            double[] logprobs = (double[]) row[4];
            double w = (double) row[5];
            for (double logprob : logprobs) {
                wy -= w * logprob;
                wx += w;
            }
            double ratio = (double) row[8] / (double) row[7];
            add(ips, 1, ratio * (double) row[6]);
            add(clipped, 1, Math.min(ratio, SequenceCoverage.CLIP) * (double) row[6]);
        }
        // the ratio's standard error over 400,000 rows is about 0.0008
        assertThat(wy / wx).isCloseTo(SequenceCoverage.tokenWeightedNll(), within(0.004));
        assertClose(ips, 0.1 * 1 + 0.2 * 2 + 0.3 * 4 + 0.4 * 6);
        double[] factor = {0.25, 2 / 3.0, 1.5, 2};
        assertClose(clipped, 0.4 * factor[0] * 1 + 0.3 * factor[1] * 2 + 0.2 * factor[2] * 4 + 0.1 * factor[3] * 6);
    }

    @Test
    void shiftedAndClusteredLosses() {
        double[] data = new double[4];
        for (Object[] row : new ShiftCoverage.Side(DRAW, false).draw(new SplittableRandom(3), 0)) {
            double m = (double) row[4] - (double) row[5];
            double label = (double) row[6];
            add(data, 1, label * softplus(-m) + (1 - label) * softplus(m));
        }
        assertClose(data, 0.5 * ShiftCoverage.loss(0) + 0.5 * ShiftCoverage.loss(1));
        long marked = new ShiftCoverage.Side(DRAW, true).draw(new SplittableRandom(4), 0).stream()
                .filter(row -> ((String) row[0]).endsWith(ShiftCoverage.MARKER)).count();
        assertThat((double) marked / DRAW).isCloseTo(ShiftCoverage.REFERENCE_MARKER, within(0.003));

        double[] clustered = new double[4];
        for (Object[] row : new ClusteredCoverage.Data(DRAW / ClusteredCoverage.PAIRS).draw(new SplittableRandom(5), 0)) {
            add(clustered, 1, softplus(-((double) row[5] - (double) row[6])));
        }
        assertClose(clustered, ClusteredCoverage.truth());
        assertThat(ClusteredCoverage.icc()).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void battlesAreWonWithTheBradleyTerryProbability() {
        int wins = 0;
        int battles = 0;
        for (Object[] row : new LeaderboardCoverage.Battles(DRAW).draw(new SplittableRandom(6), 0)) {
            if (row[0].equals("model-e") && row[1].equals("model-a")) {
                battles++;
                wins += row[2].equals("model_a") ? 1 : 0;
            }
        }
        double p = 1 / (1 + Math.exp(-(1.1 - -1.2)));
        assertThat((double) wins / battles).isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / battles)));
    }

    private static double softplus(double z) {
        return Math.log(1 + Math.exp(z));
    }

    // {Σw, Σw·v, Σw·v², rows}
    private static void add(double[] sums, double w, double v) {
        sums[0] += w;
        sums[1] += w * v;
        sums[2] += w * v * v;
        sums[3]++;
    }

    // the weighted mean within 5 of its (approximate) standard errors of the truth
    private static void assertClose(double[] sums, double truth) {
        double mean = sums[1] / sums[0];
        double variance = sums[2] / sums[0] - mean * mean;
        assertThat(mean).isCloseTo(truth, within(5 * Math.sqrt(variance / sums[3])));
    }
}
