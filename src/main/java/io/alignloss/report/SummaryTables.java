package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.DriftSummary;
import io.alignloss.summary.ObjectiveDrift;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RejectsSummary;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.alignloss.report.ReportText.cell;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.interval;
import static io.alignloss.report.ReportText.text;
import static io.alignloss.report.ReportText.tree;

/** The report's tables: the objectives' headline figures, the language models side by side, drift and rejected rows. */
final class SummaryTables {
    private final StringBuilder html;

    SummaryTables(ReportPage page) {
        this.html = page.html;
    }

    /** The objectives table; the reweighted, bias and importance-weighted columns only when some objective has that figure. */
    void headline(Map<String, ObjectiveSummary> objectives) {
        if (objectives.isEmpty()) {
            return;
        }
        // the reweighted, bias and importance-weighted columns only when some objective has that figure
        boolean reweighted = anyNumber(objectives, ObjectiveSummary::target, "reweighted_loss");
        boolean bias = anyNumber(objectives, ObjectiveSummary::target, "bias");
        boolean shift = anyNumber(objectives, ObjectiveSummary::shift, "weighted_loss");
        html.append("<h2>Objectives</h2>\n<table><tr><th>objective</th><th>type</th><th>loss</th><th>stderr</th><th>CI</th><th>count</th>")
                .append(reweighted ? "<th>reweighted</th>" : "").append(bias ? "<th>bias</th>" : "")
                .append(shift ? "<th>importance-weighted</th>" : "").append("</tr>\n");
        for (Map.Entry<String, ObjectiveSummary> entry : objectives.entrySet()) {
            ObjectiveSummary o = entry.getValue();
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(escape(text(o.type())))
                    .append("</td><td>").append(cell(o.loss())).append("</td><td>").append(cell(o.stderr()))
                    .append("</td><td>").append(interval(o.ci())).append("</td><td>").append(text(o.count()));
            if (reweighted) {
                html.append("</td><td>").append(cell(tree(o.target()).path("reweighted_loss")));
            }
            if (bias) {
                html.append("</td><td>").append(cell(tree(o.target()).path("bias")));
            }
            if (shift) {
                html.append("</td><td>").append(cell(tree(o.shift()).path("weighted_loss")));
            }
            html.append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** The off-policy estimates, in this order, each as {@code { value, ci }} in the summary. */
    private static final List<String> OFF_POLICY = List.of("ips", "snips", "clipped_ips", "dm", "dr", "sndr", "switch_dr");

    /**
     * The off-policy estimates of each objective that has them (expected-utility on logged data): IPS, SNIPS, clipped
     * IPS and, with {@code q-hat}, the direct method and the doubly robust DR, SNDR and switch-DR, each with its interval.
     */
    void offPolicy(Map<String, ObjectiveSummary> objectives) {
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, ObjectiveSummary> entry : objectives.entrySet()) {
            ObjectiveSummary o = entry.getValue();
            for (String estimator : OFF_POLICY) {
                JsonNode figure = o.figure(estimator);
                if (figure.isObject()) {
                    rows.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(escape(estimator))
                            .append("</td><td>").append(cell(figure.path("value"))).append("</td><td>")
                            .append(interval(ci(figure.path("ci")))).append("</td></tr>\n");
                }
            }
        }
        if (rows.length() > 0) {
            html.append("<h2>Off-policy estimates</h2>\n<p>Estimates of the target policy's expected utility from the logged rows ")
                    .append("(dm, dr, sndr and switch_dr use the reward estimate q-hat; docs/expected-utility.md).</p>\n")
                    .append("<table><tr><th>objective</th><th>estimator</th><th>value</th><th>CI</th></tr>\n").append(rows)
                    .append("</table>\n");
        }
    }

    private static List<Double> ci(JsonNode ci) {
        return ci.isArray() && ci.size() == 2 && ci.get(0).isNumber() && ci.get(1).isNumber()
                ? List.of(ci.get(0).asDouble(), ci.get(1).asDouble()) : null;
    }

    /**
     * Sequence objectives side by side — joint NLL, conditional NLL and the prompt term (their difference), token-weighted
     * and per sequence — so that models trained each way can be compared on the same data; and self-target objectives.
     */
    void languageModels(Map<String, ObjectiveSummary> objectives) {
        StringBuilder sequences = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        for (Map.Entry<String, ObjectiveSummary> entry : objectives.entrySet()) {
            ObjectiveSummary figures = entry.getValue();
            String model = figures.figure("language_model").path("path").asText("logged log-probabilities");
            if (figures.figure("joint").isObject() && figures.figure("conditional").isObject()) {
                sequences.append("<tr><td>").append(escape(entry.getKey())).append(" (").append(escape(figures.figure("mode").asText()))
                        .append(", ").append(escape(model)).append(")</td>");
                for (String block : new String[] {"joint", "conditional", "prompt_term"}) {
                    sequences.append("<td>").append(cell(figures.figure(block).path("token_nll"))).append("</td>");
                }
                for (String block : new String[] {"joint", "conditional", "prompt_term"}) {
                    sequences.append("<td>").append(cell(figures.figure(block).path("sequence_nll"))).append("</td>");
                }
                sequences.append("<td>").append(cell(figures.figure("conditional").path("perplexity"))).append("</td>");
                for (String block : new String[] {"joint", "conditional"}) {
                    sequences.append("<td>").append(cell(figures.figure(block).path("bits_per_byte").path("value"))).append("</td>");
                }
                sequences.append("<td>").append(cell(figures.figure("conditional").path("word_perplexity").path("value"))).append("</td></tr>\n");
            }
            if (figures.figure("modified_context").isObject()) {
                targets.append("<tr><td>").append(escape(entry.getKey())).append(" (").append(escape(model)).append(")</td><td>")
                        .append(cell(figures.figure("modified_context").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.figure("context").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.figure("distillation_gap_per_token"))).append("</td><td>")
                        .append(cell(figures.figure("mean_target_entropy"))).append("</td><td>")
                        .append(cell(figures.figure("reference").path("token_nll"))).append("</td><td>")
                        .append(cell(figures.figure("reference").path("target_matches_reference"))).append("</td></tr>\n");
            }
        }
        if (!sequences.isEmpty()) {
            html.append("<h2>Sequence likelihood, side by side</h2>\n<p>Joint NLL −log Pr(x ++ y), conditional NLL −log Pr(y|x) and ")
                    .append("the prompt term −log Pr(x) = joint − conditional; token NLL = total NLL / total tokens of the whole input. ")
                    .append("With a model trained jointly and one trained conditionally on the same rows, compare the conditional column. ")
                    .append("Bits per byte = total NLL / (UTF-8 bytes of the scored text · ln 2) and word perplexity = exp(total NLL / ")
                    .append("words) do not depend on the tokenizer: compare models with different tokenizers on these.</p>\n")
                    .append("<table><tr><th>objective (mode, model)</th><th>joint token NLL</th><th>conditional token NLL</th>")
                    .append("<th>prompt term per token</th><th>joint per sequence</th><th>conditional per sequence</th>")
                    .append("<th>prompt term per sequence</th><th>conditional perplexity</th><th>joint bits per byte</th>")
                    .append("<th>conditional bits per byte</th><th>conditional word perplexity</th></tr>\n").append(sequences).append("</table>\n");
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
    void drift(DriftSummary drift) {
        if (drift == null) {
            return;
        }
        html.append("<h2>Drift against the previous run</h2>\n");
        if (!(drift instanceof DriftSummary.Compared compared)) {
            String message = drift instanceof DriftSummary.NoPrevious first ? first.message() : null;
            html.append("<p>").append(escape(message == null ? "nothing to compare with" : message)).append("</p>\n");
            return;
        }
        html.append("<table><tr><th>objective</th><th>loss</th><th>previous</th><th>change</th><th>p-value</th></tr>\n");
        Map<String, ObjectiveDrift> objectives = compared.objectives() == null ? Map.of() : compared.objectives();
        for (Map.Entry<String, ObjectiveDrift> entry : objectives.entrySet()) {
            html.append("<tr><td>").append(escape(entry.getKey())).append("</td>");
            if (entry.getValue() instanceof ObjectiveDrift.Compared o) {
                html.append("<td>").append(cell(o.loss())).append("</td><td>").append(cell(o.previousLoss())).append("</td><td>")
                        .append(cell(o.lossChange())).append("</td><td>").append(cell(o.pValue())).append("</td></tr>\n");
            }
            else {
                html.append("<td></td><td></td><td></td><td></td></tr>\n");
            }
        }
        html.append("</table>\n");
        compared.exceededOrEmpty().forEach(line -> html.append("<p class=\"warn\">").append(escape(line)).append("</p>\n"));
    }

    /** The rejected rows, in total and by reason. */
    void rejects(RejectsSummary rejects) {
        if (rejects == null) {
            return;
        }
        html.append("<h2>Rejected rows</h2>\n<p>").append(rejects.total() == null ? 0 : rejects.total()).append(" rows rejected.</p>\n");
        if (!rejects.byReasonOrEmpty().isEmpty()) {
            html.append("<table><tr><th>reason</th><th>rows</th></tr>\n");
            for (Map.Entry<String, Long> entry : rejects.byReasonOrEmpty().entrySet()) {
                html.append("<tr><td>").append(escape(entry.getKey())).append("</td><td>").append(text(entry.getValue()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
    }

    private static boolean anyNumber(Map<String, ObjectiveSummary> objectives, Function<ObjectiveSummary, JsonNode> block, String field) {
        for (ObjectiveSummary objective : objectives.values()) {
            if (tree(block.apply(objective)).path(field).isNumber()) {
                return true;
            }
        }
        return false;
    }
}
