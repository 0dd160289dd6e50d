package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.ObjectiveSummary;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.isInterval;
import static io.alignloss.report.ReportText.number;
import static io.alignloss.report.ReportText.percent;
import static io.alignloss.report.ReportText.signed;
import static io.alignloss.report.ReportText.tree;

/** The verdict: a plain-language sentence or two per objective on what its figures say. */
final class Verdict {
    private Verdict() {
    }

    /** A plain-language sentence or two on what the figures say. */
    static String verdict(String name, ObjectiveSummary objective) {
        StringBuilder text = new StringBuilder("<b>").append(escape(name)).append("</b>: ");
        if (objective.loss() == null) {
            return text.append("no loss could be computed (no accepted rows with positive weight).").toString();
        }
        text.append("empirical loss ").append(number(objective.loss()));
        List<Double> ci = objective.ci();
        if (isInterval(ci)) {
            text.append(String.format(Locale.ROOT, " (%.0f%% CI %s to %s)", 100 * objective.confidenceOrDefault(), number(ci.get(0)),
                    number(ci.get(1))));
        }
        text.append(". ");
        JsonNode target = tree(objective.target());
        if (target.isObject() && target.path("reweighted_loss").isNumber()) {
            String under = underRepresented(target.path("shares"));
            if (!under.isEmpty()) {
                text.append("The dataset under-represents ").append(under).append(". ");
            }
            text.append("Reweighted to the target population (").append(escape(target.path("method").asText()))
                    .append(") the loss is ").append(number(target.path("reweighted_loss").asDouble()));
            JsonNode reweightedCi = target.path("reweighted_ci");
            if (reweightedCi.size() == 2) {
                text.append(" (CI ").append(number(reweightedCi.get(0).asDouble())).append(" to ")
                        .append(number(reweightedCi.get(1).asDouble())).append(")");
            }
            text.append(", so the empirical figure is biased by ").append(signed(target.path("bias").asDouble()));
            JsonNode biasCi = target.path("bias_ci");
            if (biasCi.size() == 2) {
                boolean excludesZero = biasCi.get(0).asDouble() > 0 || biasCi.get(1).asDouble() < 0;
                text.append(excludesZero ? " (its interval excludes 0: more rows will not fix this)" : " (its interval includes 0)");
            }
            text.append(". ");
            if (target.path("unidentified").size() > 0) {
                text.append("Target groups without enough data: ");
                List<String> groups = new ArrayList<>();
                target.path("unidentified").forEach(group -> groups.add(escape(group.path("column").asText() + "="
                        + group.path("value").asText())));
                text.append(String.join(", ", groups)).append(" (").append(percent(target.path("uncovered_share").asDouble()))
                        .append(" of the target); their loss is unknown. ");
            }
        }
        else {
            text.append("No target population is configured: the interval measures sampling noise only, not bias. ");
        }
        JsonNode shift = tree(objective.shift());
        if (shift.isObject() && shift.path("auc").isNumber()) {
            text.append("A classifier tells the dataset from the reference with AUC ").append(number(shift.path("auc").asDouble()))
                    .append("; the importance-weighted loss is ").append(number(shift.path("weighted_loss").asDouble()))
                    .append(" (effective sample size ").append(Math.round(shift.path("ess").asDouble())).append("). ");
        }
        return text.toString();
    }

    private static String underRepresented(JsonNode shares) {
        List<String> under = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> columns = shares.fields(); columns.hasNext(); ) {
            Map.Entry<String, JsonNode> column = columns.next();
            for (Iterator<Map.Entry<String, JsonNode>> values = column.getValue().fields(); values.hasNext(); ) {
                Map.Entry<String, JsonNode> value = values.next();
                double sample = value.getValue().path("sample_share").asDouble();
                double target = value.getValue().path("target_share").asDouble();
                if (target > 0 && sample < 0.8 * target) {
                    under.add(escape(column.getKey() + "=" + value.getKey()) + " (" + percent(sample) + " of rows, "
                            + percent(target) + " of the target)");
                }
            }
        }
        return String.join(", ", under);
    }
}
