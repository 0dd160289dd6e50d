package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.fs.Path;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
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

    static void print(PrintWriter out, String command, Path output, Map<String, Object> summary) {
        lines(command, output, SummaryJson.mapper().valueToTree(summary)).forEach(out::println);
        out.flush();
    }

    static List<String> lines(String command, Path output, JsonNode summary) {
        List<String> lines = new ArrayList<>();
        lines.add(format("alignloss: %s published %s", command, output));
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("objectives").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode objective = entry.getValue();
            lines.add(format("  objective %s (%s on %s): loss %s%s", entry.getKey(), objective.path("type").asText(),
                    objective.path("input").asText(), number(objective.path("loss")), interval(objective)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode input = entry.getValue();
            lines.add(format(Locale.ROOT, "  input %s: %d rows, %d rejected (%.2f%%)", entry.getKey(), input.path("rows").asLong(),
                    input.path("rejected").asLong(), 100 * input.path("reject_fraction").asDouble()));
        }
        for (JsonNode warning : summary.path("warnings")) {
            lines.add("  warning: " + warning.asText());
        }
        lines.add("  summary: " + new Path(output, "summary.json"));
        lines.add("  report: " + new Path(output, "report.html"));
        return lines;
    }

    // " (95% CI 0.4944 to 0.5309, 3000 rows)"; no interval without bootstrap
    private static String interval(JsonNode objective) {
        JsonNode ci = objective.path("ci");
        String rows = objective.has("count") ? objective.path("count").asLong() + " rows" : "";
        if (!ci.isArray() || ci.size() != 2) {
            return rows.isEmpty() ? "" : " (" + rows + ")";
        }
        return format(Locale.ROOT, " (%s%% CI %s to %s%s)", new BigDecimal(Double.toString(objective.path("confidence").asDouble(0.95)))
                .movePointRight(2).stripTrailingZeros().toPlainString(), number(ci.get(0)), number(ci.get(1)), rows.isEmpty() ? "" : ", " + rows);
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? format(Locale.ROOT, "%.4g", value.asDouble()) : "null";
    }
}
