package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.GroupSummary;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.OpenFigures;

import java.util.List;
import java.util.Map;

import static io.alignloss.report.ReportText.confidence;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.number;

/**
 * A DPO objective's implicit-reward figures (TRL's {@code rewards/…}), overall and per group, each with its interval:
 * shown for an objective whose summary has {@code rewards_margin}, left out otherwise.
 */
final class RewardsTable {
    /** The figures, in the table's column order. */
    static final List<String> FIGURES = List.of("rewards_chosen", "rewards_rejected", "rewards_margin", "rewards_accuracy",
            "both_rewards_negative_share");

    private final StringBuilder html;

    RewardsTable(ReportPage page) {
        this.html = page.html;
    }

    void table(ObjectiveSummary objective) {
        if (!objective.figure("rewards_margin").isObject()) {
            return;
        }
        html.append("<p>Implicit rewards β·(log π − log π_ref) of the chosen and rejected responses, their margin, the share of ")
                .append("pairs with a positive margin (ties count as wrong) and the share where both rewards are negative (the ")
                .append("chosen response also lost likelihood against the reference); each value with its ").append(confidence(objective))
                .append(" interval.</p>\n<table><tr><th>slice</th>");
        FIGURES.forEach(name -> html.append("<th>").append(name).append("</th>"));
        html.append("</tr>\n");
        row("all", objective);
        for (Map.Entry<String, Map<String, GroupSummary>> column : objective.groupsOrEmpty().entrySet()) {
            for (Map.Entry<String, GroupSummary> group : column.getValue().entrySet()) {
                row(column.getKey() + " = " + group.getKey(), group.getValue());
            }
        }
        html.append("</table>\n");
    }

    private void row(String slice, OpenFigures figures) {
        html.append("<tr><td>").append(escape(slice)).append("</td>");
        for (String name : FIGURES) {
            html.append("<td>").append(valueWithInterval(figures.figure(name))).append("</td>");
        }
        html.append("</tr>\n");
    }

    // "0.5124 [0.49, 0.53]" from { value, ci }
    private static String valueWithInterval(JsonNode block) {
        JsonNode value = block.path("value");
        JsonNode ci = block.path("ci");
        if (!value.isNumber()) {
            return "";
        }
        String text = number(value.asDouble());
        if (ci.isArray() && ci.size() == 2 && ci.get(0).isNumber() && ci.get(1).isNumber()) {
            text += " [" + number(ci.get(0).asDouble()) + ", " + number(ci.get(1).asDouble()) + "]";
        }
        return text;
    }
}
