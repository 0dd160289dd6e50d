package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

import static io.alignloss.report.ReportText.cell;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.interval;

/** The report's tables: the objectives' headline figures, the language models side by side, drift and rejected rows. */
final class SummaryTables {
    private final StringBuilder html;

    SummaryTables(ReportPage page) {
        this.html = page.html;
    }

    /** The objectives table; the reweighted, bias and importance-weighted columns only when some objective has that figure. */
    void headline(JsonNode objectives) {
        if (objectives.isEmpty()) {
            return;
        }
        // the reweighted, bias and importance-weighted columns only when some objective has that figure
        boolean reweighted = anyNumber(objectives, "target", "reweighted_loss");
        boolean bias = anyNumber(objectives, "target", "bias");
        boolean shift = anyNumber(objectives, "shift", "weighted_loss");
        html.append("<h2>Objectives</h2>\n<table><tr><th>objective</th><th>type</th><th>loss</th><th>stderr</th><th>CI</th><th>count</th>")
                .append(reweighted ? "<th>reweighted</th>" : "").append(bias ? "<th>bias</th>" : "")
                .append(shift ? "<th>importance-weighted</th>" : "").append("</tr>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = objectives.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode o = entry.getValue();
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(escape(o.path("type").asText()))
                    .append("</td><td>").append(cell(o.path("loss"))).append("</td><td>").append(cell(o.path("stderr")))
                    .append("</td><td>").append(interval(o.path("ci"))).append("</td><td>").append(o.path("count").asText());
            if (reweighted) {
                html.append("</td><td>").append(cell(o.path("target").path("reweighted_loss")));
            }
            if (bias) {
                html.append("</td><td>").append(cell(o.path("target").path("bias")));
            }
            if (shift) {
                html.append("</td><td>").append(cell(o.path("shift").path("weighted_loss")));
            }
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /**
     * Sequence objectives side by side — joint NLL, conditional NLL and the prompt term (their difference), token-weighted
     * and per sequence — so that models trained each way can be compared on the same data; and self-target objectives.
     */
    void languageModels(JsonNode objectives) {
        StringBuilder sequences = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = objectives.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode figures = entry.getValue();
            String model = figures.path("language_model").path("path").asText("logged log-probabilities");
            if (figures.path("joint").isObject() && figures.path("conditional").isObject()) {
                sequences.append("<tr><td>").append(escape(entry.getKey())).append(" (").append(escape(figures.path("mode").asText()))
                        .append(", ").append(escape(model)).append(")</td>");
                for (String block : new String[] {"joint", "conditional", "prompt_term"}) {
                    sequences.append("<td>").append(cell(figures.path(block).path("token_nll"))).append("</td>");
                }
                for (String block : new String[] {"joint", "conditional", "prompt_term"}) {
                    sequences.append("<td>").append(cell(figures.path(block).path("sequence_nll"))).append("</td>");
                }
                sequences.append("<td>").append(cell(figures.path("conditional").path("perplexity"))).append("</td></tr>\n");
            }
            if (figures.path("modified_context").isObject()) {
                targets.append("<tr><td>").append(escape(entry.getKey())).append(" (").append(escape(model)).append(")</td><td>")
                        .append(cell(figures.path("modified_context").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.path("context").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.path("distillation_gap_per_token"))).append("</td><td>")
                        .append(cell(figures.path("mean_target_entropy"))).append("</td><td>")
                        .append(cell(figures.path("reference").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.path("reference").path("target_matches_reference"))).append("</td></tr>\n");
            }
        }
        if (!sequences.isEmpty()) {
            html.append("<h2>Sequence likelihood, side by side</h2>\n<p>Joint NLL −log Pr(x ++ y), conditional NLL −log Pr(y|x) and ")
                    .append("the prompt term −log Pr(x) = joint − conditional; token NLL = total NLL / total tokens of the whole input. ")
                    .append("With a model trained jointly and one trained conditionally on the same rows, compare the conditional column.</p>\n")
                    .append("<table><tr><th>objective (mode, model)</th><th>joint token NLL</th><th>conditional token NLL</th>")
                    .append("<th>prompt term per token</th><th>joint per sequence</th><th>conditional per sequence</th>")
                    .append("<th>prompt term per sequence</th><th>conditional perplexity</th></tr>\n").append(sequences).append("</table>\n");
        }
        if (!targets.isEmpty()) {
            html.append("<h2>Model-generated targets</h2>\n<p>ŷ = argmax log Pr(y|c,z); the loss is −log Pr(ŷ|c′,z) per token of ŷ ")
                    .append("and END. The gap is how much less likely ŷ is under the modified context.</p>\n")
                    .append("<table><tr><th>objective (model)</th><th>token NLL under c′</th><th>token NLL under c</th><th>gap per token</th>")
                    .append("<th>mean target entropy</th><th>reference token NLL under c′</th><th>ŷ = reference</th></tr>\n")
                    .append(targets).append("</table>\n");
        }
    }

    /** Each objective's loss against the previous run's, and the thresholds exceeded. */
    void drift(JsonNode drift) {
        if (!drift.isObject()) {
            return;
        }
        html.append("<h2>Drift against the previous run</h2>\n");
        if (!"compared".equals(drift.path("status").asText())) {
            html.append("<p>").append(escape(drift.path("message").asText("nothing to compare with"))).append("</p>\n");
            return;
        }
        html.append("<table><tr><th>objective</th><th>loss</th><th>previous</th><th>change</th><th>p-value</th></tr>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = drift.path("objectives").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode o = entry.getValue();
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(cell(o.path("loss"))).append("</td><td>")
                    .append(cell(o.path("previous_loss"))).append("</td><td>").append(cell(o.path("loss_change"))).append("</td><td>")
                    .append(cell(o.path("p_value"))).append("</td></tr>\n");
        }
        html.append("</table>\n");
        drift.path("exceeded").forEach(line -> html.append("<p class=\"warn\">").append(escape(line.asText())).append("</p>\n"));
    }

    /** The rejected rows, in total and by reason. */
    void rejects(JsonNode rejects) {
        if (!rejects.isObject()) {
            return;
        }
        html.append("<h2>Rejected rows</h2>\n<p>").append(rejects.path("total").asLong()).append(" rows rejected.</p>\n");
        if (rejects.path("by_reason").size() > 0) {
            html.append("<table><tr><th>reason</th><th>rows</th></tr>\n");
            for (Iterator<Map.Entry<String, JsonNode>> it = rejects.path("by_reason").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(entry.getValue().asLong())
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static boolean anyNumber(JsonNode objectives, String block, String field) {
        for (JsonNode objective : objectives) {
            if (objective.path(block).path(field).isNumber()) {
                return true;
            }
        }
        return false;
    }
}
