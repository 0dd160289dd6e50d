package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run report: one self-contained HTML page (plots embedded as PNG data URIs rendered with JFreeChart,
 * no external resources) made from a run's summary.json alone. It recomputes nothing; a figure missing from
 * the summary simply leaves its plot or table out.
 */
public final class HtmlReport {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    private static final Color EMPIRICAL = new Color(0x1f77b4);
    private static final Color TARGET = new Color(0xd62728);
    private static final Color SHIFT = new Color(0x2ca02c);

    private final StringBuilder html = new StringBuilder();
    private int plots;

    private HtmlReport() {
    }

    public static String render(JsonNode summary) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return new HtmlReport().page(summary);
    }

    private String page(JsonNode summary) {
        JsonNode objectives = summary.path("objectives");
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>alignloss report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.verdict{background:#f5f5f0;border-left:4px solid #d62728;padding:.5em 1em}")
                .append("figure{margin:1em 0}figcaption{font-size:90%;color:#555}.warn{color:#a60}</style></head>\n<body>\n");
        html.append("<h1>alignloss ").append(escape(summary.path("command").asText("run"))).append(" report</h1>\n");
        html.append("<p>alignloss ").append(escape(summary.path("alignloss_version").asText())).append(", Spark ")
                .append(escape(summary.path("spark_version").asText())).append(", started ")
                .append(escape(startTime(summary.path("started").asText()))).append(", ").append(summary.path("seconds").asText())
                .append(" s.</p>\n");

        html.append("<h2>Verdict</h2>\n<div class=\"verdict\">\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = objectives.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> objective = it.next();
            html.append("<p>").append(verdict(objective.getKey(), objective.getValue())).append("</p>\n");
        }
        if (objectives.isEmpty()) {
            html.append("<p>No objectives were evaluated in this run.</p>\n");
        }
        html.append("</div>\n");

        headline(objectives);
        languageModels(objectives);
        for (Iterator<Map.Entry<String, JsonNode>> it = objectives.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> objective = it.next();
            objectiveSection(objective.getKey(), objective.getValue());
        }
        train(summary.path("train"));
        drift(summary.path("drift"));
        rejects(summary.path("rejects"));
        JsonNode warnings = summary.path("warnings");
        if (warnings.size() > 0) {
            html.append("<h2>Warnings</h2>\n<ul>\n");
            warnings.forEach(warning -> html.append("<li class=\"warn\">").append(escape(warning.asText())).append("</li>\n"));
            html.append("</ul>\n");
        }
        // counts the plots whose image decoded, for the browser test (the page reads fine without it)
        html.append("<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('img.plot')")
                .append(".forEach(function(i){if(i.complete&&i.naturalWidth>0){n++;}});document.body.dataset.plotsLoaded=n;")
                .append("document.body.dataset.plotsExpected=").append(plots).append(";});</script>\n");
        html.append("</body></html>\n");
        return html.toString();
    }

    /** A plain-language sentence or two on what the figures say. */
    static String verdict(String name, JsonNode objective) {
        StringBuilder text = new StringBuilder("<b>").append(escape(name)).append("</b>: ");
        if (!objective.path("loss").isNumber()) {
            return text.append("no loss could be computed (no accepted rows with positive weight).").toString();
        }
        double confidence = objective.path("confidence").asDouble(0.95);
        text.append("empirical loss ").append(number(objective.path("loss").asDouble()));
        JsonNode ci = objective.path("ci");
        if (ci.size() == 2) {
            text.append(String.format(Locale.ROOT, " (%.0f%% CI %s to %s)", 100 * confidence, number(ci.get(0).asDouble()),
                    number(ci.get(1).asDouble())));
        }
        text.append(". ");
        JsonNode target = objective.path("target");
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
        JsonNode shift = objective.path("shift");
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

    private void headline(JsonNode objectives) {
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
    private void languageModels(JsonNode objectives) {
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

    private void objectiveSection(String name, JsonNode objective) {
        html.append("<h2>").append(escape(name)).append("</h2>\n<p>").append(escape(objective.path("description").asText()))
                .append("</p>\n");
        for (Iterator<Map.Entry<String, JsonNode>> columns = objective.path("groups").fields(); columns.hasNext(); ) {
            Map.Entry<String, JsonNode> column = columns.next();
            groupPlot(name, column.getKey(), column.getValue(), objective);
        }
        curvePlot(name, objective);
        estimatesPlot(name, objective);
        marginPlot(name, objective.path("biases").path("length"));
    }

    private void groupPlot(String objective, String column, JsonNode values, JsonNode figures) {
        if (values.isEmpty()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        YIntervalSeries series = new YIntervalSeries("loss with CI");
        int x = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); x++) {
            Map.Entry<String, JsonNode> value = it.next();
            JsonNode group = value.getValue();
            labels.add(value.getKey());
            double loss = group.path("loss").asDouble(Double.NaN);
            JsonNode ci = group.path("ci");
            series.add(x, loss, ci.size() == 2 ? ci.get(0).asDouble() : loss, ci.size() == 2 ? ci.get(1).asDouble() : loss);
        }
        XYPlot plot = intervalPlot(series, new SymbolAxis(column, labels.toArray(String[]::new)), "loss");
        marker(plot, figures.path("loss"), "overall", EMPIRICAL);
        marker(plot, figures.path("target").path("reweighted_loss"), "reweighted", TARGET);
        JsonNode gap = figures.path("group_gaps").path(column);
        String caption = "Loss by " + column + " with " + confidence(figures) + " intervals; "
                + (figures.path("target").path("reweighted_loss").isNumber()
                        ? "dashed lines: the overall loss and the loss reweighted to the target population."
                        : "dashed line: the overall loss.");
        if (gap.isObject()) {
            caption += String.format(Locale.ROOT, " Largest gap %s (%s vs %s), CI %s.", number(gap.path("max_gap").asDouble()),
                    gap.path("highest").asText(), gap.path("lowest").asText(), intervalText(gap.path("ci")));
        }
        figure("plot-groups-" + objective + "-" + column, "Loss of " + objective + " by " + column,
                new JFreeChart(objective + ": loss by " + column, plot), caption);
    }

    private void curvePlot(String objective, JsonNode figures) {
        JsonNode curve = figures.path("curve");
        if (curve.size() == 0) {
            return;
        }
        YIntervalSeries series = new YIntervalSeries("empirical loss with CI");
        for (JsonNode point : curve) {
            double loss = point.path("loss").asDouble(Double.NaN);
            JsonNode ci = point.path("ci");
            if (point.path("n").asLong() > 0 && Double.isFinite(loss)) {
                series.add(point.path("n").asDouble(), loss, ci.size() == 2 ? ci.get(0).asDouble() : loss,
                        ci.size() == 2 ? ci.get(1).asDouble() : loss);
            }
        }
        if (series.getItemCount() == 0) {
            return;
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(series);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setSeriesPaint(0, EMPIRICAL);
        renderer.setSeriesFillPaint(0, new Color(0x1f, 0x77, 0xb4, 60));
        LogAxis n = new LogAxis("rows in the subsample (log scale)");
        n.setTickUnit(new NumberTickUnit(0.5));
        n.setNumberFormatOverride(new DecimalFormat("#,##0"));
        NumberAxis loss = new NumberAxis("loss");
        loss.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, n, loss, renderer);
        marker(plot, figures.path("target").path("reweighted_loss"), "reweighted (target)", TARGET);
        figure("plot-curve-" + objective, "Estimator learning curve of " + objective,
                new JFreeChart(objective + ": estimator learning curve", plot),
                "Empirical loss and its " + confidence(figures) + " interval on nested subsamples (1% to 100% of the rows): "
                        + (figures.path("target").path("reweighted_loss").isNumber()
                        ? "the interval narrows like 1/√n, the distance to the reweighted estimate (dashed line) does not."
                        : "the interval narrows like 1/√n. No target population is configured, so no bias is shown."));
    }

    private void estimatesPlot(String objective, JsonNode figures) {
        JsonNode target = figures.path("target");
        JsonNode shift = figures.path("shift");
        if (!target.path("reweighted_loss").isNumber() && !shift.path("weighted_loss").isNumber()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        YIntervalSeries series = new YIntervalSeries("estimate with CI");
        addEstimate(series, labels, "empirical", figures.path("loss"), figures.path("ci"));
        addEstimate(series, labels, "reweighted", target.path("reweighted_loss"), target.path("reweighted_ci"));
        addEstimate(series, labels, "importance-weighted", shift.path("weighted_loss"), shift.path("weighted_ci"));
        XYPlot plot = intervalPlot(series, new SymbolAxis("estimator", labels.toArray(String[]::new)), "loss");
        figure("plot-estimates-" + objective, "Empirical, reweighted and importance-weighted loss of " + objective,
                new JFreeChart(objective + ": estimates of the expected loss", plot),
                "Three estimates of the expected loss with " + confidence(figures) + " intervals. Where they disagree, "
                        + "the dataset is not a uniform sample of the target population.");
    }

    private static void addEstimate(YIntervalSeries series, List<String> labels, String label, JsonNode value, JsonNode ci) {
        if (!value.isNumber()) {
            return;
        }
        double v = value.asDouble();
        series.add(labels.size(), v, ci.size() == 2 ? ci.get(0).asDouble() : v, ci.size() == 2 ? ci.get(1).asDouble() : v);
        labels.add(label);
    }

    private void marginPlot(String objective, JsonNode length) {
        JsonNode bins = length.path("bins");
        if (bins.size() == 0) {
            return;
        }
        XYSeries series = new XYSeries("mean margin");
        bins.forEach(bin -> series.add(bin.path("length_diff").asDouble(), bin.path("mean_margin").asDouble()));
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), new NumberAxis("len(chosen) − len(rejected), characters"),
                new NumberAxis("mean margin"), new XYLineAndShapeRenderer(true, true));
        plot.getRenderer().setSeriesPaint(0, EMPIRICAL);
        figure("plot-length-" + objective, "Margin versus length difference for " + objective,
                new JFreeChart(objective + ": margin vs length difference", plot),
                String.format(Locale.ROOT, "Mean reward margin by length difference. Correlation %s; "
                        + "\"the longer response wins\" is right %s of the time.", cellText(length.path("correlation")),
                        length.path("longer_wins_accuracy").isNumber() ? percent(length.path("longer_wins_accuracy").asDouble()) : "n/a"));
    }

    private void train(JsonNode train) {
        JsonNode history = train.path("history");
        if (!train.isObject()) {
            return;
        }
        html.append("<h2>Training</h2>\n<p>objective ").append(escape(train.path("objective").asText())).append(" (")
                .append(escape(train.path("optimizer").asText())).append(", ").append(escape(train.path("features").path("type").asText()))
                .append(" features, dimension ").append(train.path("dimension").asText()).append("), ")
                .append(train.path("iterations").asText()).append(" iterations, converged: ")
                .append(train.path("converged").asText()).append(" (").append(escape(train.path("stop_reason").asText()))
                .append("), final objective ").append(cell(train.path("final_objective"))).append("</p>\n");
        if ("policy".equals(train.path("model_kind").asText())) {
            // a policy: E_x E_π[U] of the uniform policy (θ = 0) and of the trained one, loss = −mean utility
            html.append("<table><tr><th>policy</th><th>prompts</th><th>mean utility</th><th>loss</th><th>entropy</th></tr>\n");
            for (String split : new String[] {"uniform", "train"}) {
                JsonNode figures = train.path(split);
                if (figures.isObject()) {
                    html.append("<tr><td>").append(split.equals("train") ? "trained" : split).append("</td><td>")
                            .append(figures.path("prompts").asText()).append("</td><td>").append(cell(figures.path("mean_utility")))
                            .append("</td><td>").append(cell(figures.path("loss"))).append("</td><td>").append(cell(figures.path("entropy")))
                            .append("</td></tr>\n");
                }
            }
        }
        else if ("language-model".equals(train.path("model_kind").asText())) {
            // a language model: token NLL (total NLL / total tokens) of the trained model per split, or per self-target round
            html.append("<p>").append(escape(train.path("mode").asText(train.path("objective_type").asText()))).append(" language model, ")
                    .append(escape(train.path("language_model").toString())).append(", ").append(train.path("tokens_per_second").asText("?"))
                    .append(" training tokens/s</p>\n");
            if (train.path("rounds").isArray()) {
                html.append("<table><tr><th>round</th><th>targets changed</th><th>mean target entropy</th><th>target token NLL before</th>")
                        .append("<th>after</th><th>reference token NLL</th></tr>\n");
                train.path("rounds").forEach(round -> html.append("<tr><td>").append(round.path("round").asText()).append("</td><td>")
                        .append(round.path("targets_changed").asText()).append("</td><td>").append(cell(round.path("mean_target_entropy")))
                        .append("</td><td>").append(cell(round.path("target_token_nll_before"))).append("</td><td>")
                        .append(cell(round.path("target_token_nll_after"))).append("</td><td>")
                        .append(cell(round.path("reference_token_nll_before"))).append("</td></tr>\n"));
            }
            else {
                html.append("<table><tr><th>split</th><th>rows</th><th>tokens</th><th>token NLL</th><th>perplexity</th></tr>\n");
                for (String split : new String[] {"train", "validation"}) {
                    JsonNode figures = train.path(split);
                    if (figures.isObject()) {
                        html.append("<tr><td>").append(split).append("</td><td>").append(figures.path("rows").asText()).append("</td><td>")
                                .append(figures.path("tokens").asText()).append("</td><td>").append(cell(figures.path("token_nll")))
                                .append("</td><td>").append(cell(figures.path("perplexity"))).append("</td></tr>\n");
                    }
                }
            }
        }
        else {
            html.append("<table><tr><th>split</th><th>pairs</th><th>loss</th><th>accuracy</th></tr>\n");
            for (String split : new String[] {"train", "validation"}) {
                JsonNode figures = train.path(split);
                if (figures.isObject()) {
                    html.append("<tr><td>").append(split).append("</td><td>").append(figures.path("pairs").asText()).append("</td><td>")
                            .append(cell(figures.path("loss"))).append("</td><td>").append(cell(figures.path("accuracy"))).append("</td></tr>\n");
                }
            }
        }
        html.append("</table>\n");
        trainingCurve(history).ifPresent(chart -> figureWithLegend("plot-train", "Training curve", chart,
                "The regularised training objective (for Adam: the mini-batch's)"
                        + (chart.getXYPlot().getDataset().getSeriesCount() > 1 ? " and the validation loss" : "") + " per iteration."));
    }

    /**
     * The training curve: the objective and (when recorded) the validation loss per iteration, with a legend; on a
     * log axis labelled with plain numbers when every value is positive, on a linear one otherwise.
     */
    static Optional<JFreeChart> trainingCurve(JsonNode history) {
        XYSeries objective = new XYSeries("training objective");
        XYSeries validation = new XYSeries("validation loss");
        history.forEach(point -> {
            if (point.path("objective").isNumber() && Double.isFinite(point.path("objective").asDouble())) {
                objective.add(point.path("iteration").asDouble(), point.path("objective").asDouble());
            }
            if (point.path("validation_loss").isNumber() && Double.isFinite(point.path("validation_loss").asDouble())) {
                validation.add(point.path("iteration").asDouble(), point.path("validation_loss").asDouble());
            }
        });
        if (objective.getItemCount() == 0) {
            return Optional.empty();
        }
        XYSeriesCollection series = new XYSeriesCollection(objective);
        if (validation.getItemCount() > 0) {
            series.addSeries(validation);
        }
        // a log axis when every value is positive (pairwise losses); a linear one otherwise (−E[U] is often negative)
        boolean positive = objective.getMinY() > 0 && (validation.getItemCount() == 0 || validation.getMinY() > 0);
        ValueAxis axis;
        if (positive) {
            LogAxis log = new LogAxis("loss (log scale)");
            log.setNumberFormatOverride(new SignificantDigits(3));
            axis = log;
        }
        else {
            NumberAxis linear = new NumberAxis("objective");
            linear.setAutoRangeIncludesZero(false);
            axis = linear;
        }
        XYPlot plot = new XYPlot(series, new NumberAxis("iteration"), axis, new XYLineAndShapeRenderer(true, false));
        return Optional.of(new JFreeChart("training curve", JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    private void drift(JsonNode drift) {
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

    private void rejects(JsonNode rejects) {
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

    private static XYPlot intervalPlot(YIntervalSeries series, SymbolAxis x, String yLabel) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(series);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setSeriesPaint(0, EMPIRICAL);
        renderer.setErrorPaint(EMPIRICAL);
        renderer.setErrorStroke(new BasicStroke(2f));
        renderer.setDefaultLinesVisible(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        x.setGridBandsVisible(false);
        return new XYPlot(data, x, y, renderer);
    }

    private static void marker(XYPlot plot, JsonNode value, String label, Color color) {
        if (!value.isNumber()) {
            return;
        }
        ValueMarker marker = new ValueMarker(value.asDouble(), color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(marker);
    }

    private void figure(String id, String alt, JFreeChart chart, String caption) {
        if (chart.getLegend() != null) {
            chart.removeLegend();
        }
        figureWithLegend(id, alt, chart, caption);
    }

    // a chart whose lines the caption alone does not tell apart keeps its legend
    private void figureWithLegend(String id, String alt, JFreeChart chart, String caption) {
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(png, chart, WIDTH, HEIGHT);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        plots++;
        html.append("<figure><img class=\"plot\" id=\"").append(escape(id)).append("\" alt=\"").append(escape(alt))
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png.toByteArray())).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
    }

    private static boolean anyNumber(JsonNode objectives, String block, String field) {
        for (JsonNode objective : objectives) {
            if (objective.path(block).path(field).isNumber()) {
                return true;
            }
        }
        return false;
    }

    /** summary.json's start instant ({@code 2026-12-01T15:04:05.123456789Z}) to the second, in UTC. */
    static String startTime(String instant) {
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                    .format(Instant.parse(instant));
        }
        catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** Axis tick labels with a few significant digits ("0.692", "1.5e-05") instead of a log axis's "10^-0.16". */
    static final class SignificantDigits extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private final int digits;

        SignificantDigits(int digits) {
            this.digits = digits;
        }

        @Override
        public StringBuffer format(double number, StringBuffer target, FieldPosition position) {
            if (!Double.isFinite(number) || number == 0) {
                return target.append(number == 0 ? "0" : String.valueOf(number));
            }
            return target.append(new BigDecimal(number).round(new MathContext(digits)).stripTrailingZeros().toString()
                    .replace("E+", "e").replace("E", "e"));
        }

        @Override
        public StringBuffer format(long number, StringBuffer target, FieldPosition position) {
            return format((double) number, target, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("tick labels are not parsed");
        }
    }

    private static String confidence(JsonNode figures) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * figures.path("confidence").asDouble(0.95));
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : "n/a";
    }

    private static String signed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.4g", value) : "n/a";
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * value);
    }

    private static String cell(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "";
    }

    private static String cellText(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "n/a";
    }

    private static String interval(JsonNode ci) {
        return ci.size() == 2 ? number(ci.get(0).asDouble()) + " – " + number(ci.get(1).asDouble()) : "";
    }

    private static String intervalText(JsonNode ci) {
        return ci.size() == 2 ? "[" + number(ci.get(0).asDouble()) + ", " + number(ci.get(1).asDouble()) + "]" : "n/a";
    }
}
