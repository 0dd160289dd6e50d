package io.alignloss.cli;

import io.alignloss.summary.InputSummary;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RunSummary;
import org.apache.hadoop.fs.Path;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.lang.String.format;

/**
 * What a finished evaluation prints on stdout, so that a cron mail or a scheduler's task log says what happened
 * without opening summary.json: where it was published, each objective's loss with its interval, each input's
 * rows and rejects, the warnings, and the summary and report paths.
 */
final class Headline {
    private Headline() {
    }

    static void print(PrintWriter out, String command, Path output, RunSummary summary) {
        lines(command, output, summary).forEach(out::println);
        out.flush();
    }

    static List<String> lines(String command, Path output, RunSummary summary) {
        List<String> lines = new ArrayList<>();
        lines.add(format("alignloss: %s published %s", command, output));
        for (Map.Entry<String, ObjectiveSummary> entry : summary.objectivesOrEmpty().entrySet()) {
            ObjectiveSummary objective = entry.getValue();
            lines.add(format("  objective %s (%s on %s): loss %s%s", entry.getKey(), objective.type(), objective.input(),
                    number(objective.loss()), interval(objective)));
        }
        for (Map.Entry<String, InputSummary> entry : summary.inputsOrEmpty().entrySet()) {
            InputSummary input = entry.getValue();
            lines.add(format(Locale.ROOT, "  input %s: %d rows, %d rejected (%.2f%%)", entry.getKey(), orZero(input.rows()),
                    orZero(input.rejected()), 100 * (input.rejectFraction() == null ? 0.0 : input.rejectFraction())));
        }
        for (String warning : summary.warningsOrEmpty()) {
            lines.add("  warning: " + warning);
        }
        lines.add("  summary: " + new Path(output, "summary.json"));
        lines.add("  report: " + new Path(output, "report.html"));
        return lines;
    }

    // " (95% CI 0.4944 to 0.5309, 3000 rows)"; no interval without bootstrap
    private static String interval(ObjectiveSummary objective) {
        List<Double> ci = objective.ci();
        String rows = objective.count() != null ? objective.count() + " rows" : "";
        if (ci == null || ci.size() != 2) {
            return rows.isEmpty() ? "" : " (" + rows + ")";
        }
        return format(Locale.ROOT, " (%s%% CI %s to %s%s)", new BigDecimal(Double.toString(objective.confidenceOrDefault()))
                .movePointRight(2).stripTrailingZeros().toPlainString(), number(ci.get(0)), number(ci.get(1)), rows.isEmpty() ? "" : ", " + rows);
    }

    private static String number(Double value) {
        return value != null ? format(Locale.ROOT, "%.4g", value) : "null";
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
