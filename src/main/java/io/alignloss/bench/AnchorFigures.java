package io.alignloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.GroupSummary;
import io.alignloss.summary.InputSummary;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RunSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The figures the DuckDB anchor of {@code bench evaluate} computes for one preference input and its Bradley-Terry
 * objective ({@link DuckDbAnchor}): rows read and rejected, rejected rows per rule, and the loss figures of all
 * accepted rows and of each value of one group column. {@link #differences} compares them with an alignloss summary.
 *
 * @param rows     rows read
 * @param rejected rows that fail at least one rule
 * @param byReason rule code → rows failing it (a row failing several rules counts under each; codes with no row left out)
 * @param total    the figures of every accepted row
 * @param groups   group value ({@code "(null)"} for null) → the figures of its accepted rows; values without one left out
 */
public record AnchorFigures(long rows, long rejected, Map<String, Long> byReason, LossFigures total, Map<String, LossFigures> groups) {
    /** Relative tolerance of the comparison: the two engines sum in different orders. */
    public static final double TOLERANCE = 1e-9;

    public AnchorFigures {
        byReason = Map.copyOf(byReason);
        requireNonNull(total, "total is null");
        groups = Map.copyOf(groups);
    }

    /**
     * The Bradley-Terry figures of a set of accepted rows, with {@code w} the row weight, {@code ℓ} its loss and
     * {@code m} its margin: {@code loss = Σwℓ / Σw}, {@code stderr = sqrt(Σ w²(ℓ − loss)²) / Σw} (null below two
     * rows), {@code accuracy = Σ w·[correct] / Σ w·[label ≠ ½]}, {@code mean_margin = Σwm / Σw}; a ratio is null
     * when its denominator is 0.
     */
    public record LossFigures(long count, double weightSum, Double loss, Double stderr, Double accuracy, Double meanMargin) {
    }

    /**
     * The outcome of a comparison: where the figures disagree, one line each (empty when they agree), and the largest
     * relative gap {@code |a − b| / max(|a|, |b|)} over the compared non-integer figures, agreeing or not.
     */
    public record Agreement(List<String> differences, double largestGap) {
        public Agreement {
            differences = List.copyOf(differences);
        }

        public boolean agrees() {
            return differences.isEmpty();
        }
    }

    /**
     * Where these figures and an evaluate summary's disagree ({@link Agreement}). Compared: the
     * input's rows and rejects, the rejects per rule, and the objective's count, weight sum, loss, accuracy and
     * mean margin, in total and per value of {@code groupColumn}; {@code stderr} only when {@code withStderr} (the
     * summary's is the row-level one only with {@code cluster = none}; a cluster-robust stderr comes from the
     * XXH64 buckets, which DuckDB does not have). Numbers agree within {@link #TOLERANCE} relative.
     */
    public Agreement compare(RunSummary summary, String input, String objective, String groupColumn, boolean withStderr) {
        Gaps differences = new Gaps();
        InputSummary inputSummary = summary.inputsOrEmpty().get(input);
        ObjectiveSummary objectiveSummary = summary.objectivesOrEmpty().get(objective);
        if (inputSummary == null || objectiveSummary == null) {
            differences.add(format("the summary has no input '%s' or no objective '%s'", input, objective));
            return differences.agreement();
        }
        exact(differences, "rows", rows, inputSummary.rows());
        exact(differences, "rejected", rejected, inputSummary.rejected());
        Map<String, Long> summaryReasons = new TreeMap<>(summary.rejects() == null ? Map.of() : summary.rejects().byReasonOrEmpty());
        summaryReasons.values().removeIf(count -> count == 0);
        if (!new TreeMap<>(byReason).equals(summaryReasons)) {
            differences.add(format("rejects by rule: DuckDB %s, alignloss %s", new TreeMap<>(byReason), summaryReasons));
        }
        compare(differences, objective, total, objectiveSummary.count(), objectiveSummary.weightSum(), objectiveSummary.loss(),
                objectiveSummary.stderr(), objectiveSummary.figures(), withStderr);
        Map<String, GroupSummary> summaryGroups = objectiveSummary.groupsOrEmpty().getOrDefault(groupColumn, Map.of());
        if (!summaryGroups.keySet().equals(groups.keySet())) {
            differences.add(format("values of group '%s': DuckDB %s, alignloss %s", groupColumn, new TreeMap<>(groups).keySet(),
                    new TreeMap<>(summaryGroups).keySet()));
        }
        for (Map.Entry<String, LossFigures> group : new TreeMap<>(groups).entrySet()) {
            GroupSummary value = summaryGroups.get(group.getKey());
            if (value != null) {
                compare(differences, objective + " " + groupColumn + "=" + group.getKey(), group.getValue(), value.count(),
                        value.weightSum(), value.loss(), value.stderr(), value.figures(), withStderr);
            }
        }
        return differences.agreement();
    }

    /** The differences found so far and the largest relative gap seen. */
    private static final class Gaps {
        private final List<String> differences = new ArrayList<>();
        private double largest;

        void add(String difference) {
            differences.add(difference);
        }

        Agreement agreement() {
            return new Agreement(differences, largest);
        }
    }

    private static void compare(Gaps differences, String where, LossFigures anchor, Long count, Double weightSum,
            Double loss, Double stderr, Map<String, JsonNode> figures, boolean withStderr) {
        exact(differences, where + " count", anchor.count(), count);
        close(differences, where + " weight_sum", anchor.weightSum(), weightSum);
        close(differences, where + " loss", anchor.loss(), loss);
        if (withStderr) {
            close(differences, where + " stderr", anchor.stderr(), stderr);
        }
        close(differences, where + " accuracy", anchor.accuracy(), number(figures.get("accuracy")));
        close(differences, where + " mean_margin", anchor.meanMargin(), number(figures.get("mean_margin")));
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }

    private static void exact(Gaps differences, String what, long anchor, Long alignloss) {
        if (alignloss == null || anchor != alignloss) {
            differences.add(format("%s: DuckDB %d, alignloss %s", what, anchor, alignloss));
        }
    }

    // |a − b| ≤ TOLERANCE · max(|a|, |b|); both null (an undefined figure) agree
    private static void close(Gaps differences, String what, Double anchor, Double alignloss) {
        boolean agree;
        if (anchor == null || alignloss == null) {
            agree = anchor == null && alignloss == null;
        }
        else {
            double scale = Math.max(Math.abs(anchor), Math.abs(alignloss));
            double gap = scale == 0 ? 0 : Math.abs(anchor - alignloss) / scale;
            differences.largest = Math.max(differences.largest, Double.isNaN(gap) ? Double.POSITIVE_INFINITY : gap);
            agree = gap <= TOLERANCE;
        }
        if (!agree) {
            differences.add(format("%s: DuckDB %s, alignloss %s", what, anchor, alignloss));
        }
    }
}
