package io.alignloss.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The coverage of one interval type over replicates: how many of the nominal 95% intervals held the known
 * truth, how many lay wholly above it ({@code lower > truth}) or below it ({@code upper < truth}), how many
 * replicates reported no interval, and the median width. For a test rather than an interval (drift), a
 * "hit" is a replicate that raised no alarm and the misses are split by the sign of the change.
 *
 * @param type       what was measured, e.g. {@code bradley-terry ci}
 * @param truth      the population value the interval estimates, e.g. {@code E[wℓ]/E[w] = 0.4321}
 * @param note       what the user should know when it cannot reach the nominal level (empty otherwise)
 * @param expected   the nominal probability of a hit (0.95)
 */
record Coverage(String type, String truth, String note, double expected, int replicates, int hits, int missesHigh,
        int missesLow, int missing, double medianWidth) {
    /** Hits over replicates that reported an interval. */
    double rate() {
        int measured = replicates - missing;
        return measured == 0 ? Double.NaN : (double) hits / measured;
    }

    int misses() {
        return missesHigh + missesLow;
    }

    /** The exact binomial band of hits at a level around {@link #expected}, for the replicates that reported. */
    BinomialBand band(double level) {
        return BinomialBand.of(replicates - missing, expected, level);
    }

    /**
     * Whether every miss is on one side although, were misses equally likely on either side, that would
     * happen with probability {@code 2·0.5^misses} below {@code 1 − level}.
     */
    boolean oneSided(double level) {
        int misses = misses();
        return misses > 0 && (missesHigh == 0 || missesLow == 0) && 2 * Math.pow(0.5, misses) < 1 - level;
    }

    /** Measured, inside the band, no replicate without an interval, and misses not all on one side. */
    boolean passes(double level) {
        return replicates > 0 && missing == 0 && band(level).contains(hits) && !oneSided(level);
    }

    /** Collects one type's intervals against its truth. */
    static final class Tally {
        private final String type;
        private final String truthText;
        private final double truth;
        private final List<Double> widths = new ArrayList<>();
        private String note = "";
        private int replicates;
        private int hits;
        private int high;
        private int low;
        private int missing;

        Tally(String type, String truthText, double truth) {
            this.type = type;
            this.truthText = truthText;
            this.truth = truth;
        }

        Tally note(String note) {
            this.note = note;
            return this;
        }

        /** One replicate's interval [lower, upper]; null when the run reported none. */
        void add(List<Double> interval) {
            replicates++;
            if (interval == null || interval.size() != 2 || interval.get(0) == null || interval.get(1) == null) {
                missing++;
                return;
            }
            double lower = interval.get(0);
            double upper = interval.get(1);
            widths.add(upper - lower);
            if (lower > truth) {
                high++;
            }
            else if (upper < truth) {
                low++;
            }
            else {
                hits++;
            }
        }

        /** One replicate of a test: whether it raised an alarm, and the sign of the change when it did. */
        void addTest(boolean alarm, double change) {
            replicates++;
            if (!alarm) {
                hits++;
            }
            else if (change > 0) {
                high++;
            }
            else {
                low++;
            }
        }

        /** A replicate whose figure was absent. */
        void addMissing() {
            replicates++;
            missing++;
        }

        Coverage coverage(double expected) {
            double[] sorted = widths.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            return new Coverage(type, truthText, note, expected, replicates, hits, high, low, missing, median);
        }

        @Override
        public String toString() {
            return type + " " + Arrays.asList(hits, high, low, missing);
        }
    }
}
