package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.TrainSummary;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.util.Optional;

import static io.alignloss.report.ReportText.cell;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.text;

/** The training section: what was trained, its figures per split (or per self-target round) and its training curve. */
final class TrainingSection {
    private final StringBuilder html;
    private final ReportPage page;

    TrainingSection(ReportPage page) {
        this.html = page.html;
        this.page = page;
    }

    /** The {@code train} block of a train run's summary; nothing when there is none. */
    void train(TrainSummary train) {
        if (train == null) {
            return;
        }
        JsonNode history = train.figure("history");
        html.append("<h2>Training</h2>\n<p>objective ").append(escape(text(train.objective()))).append(" (")
                .append(escape(train.figure("optimizer").asText())).append(", ").append(escape(train.figure("features").path("type").asText()))
                .append(" features, dimension ").append(train.figure("dimension").asText()).append("), ")
                .append(train.figure("iterations").asText()).append(" iterations, converged: ")
                .append(train.figure("converged").asText()).append(" (").append(escape(train.figure("stop_reason").asText()))
                .append("), final objective ").append(cell(train.figure("final_objective"))).append("</p>\n");
        if ("policy".equals(train.modelKind())) {
            policyTable(train);
        }
        else if ("language-model".equals(train.modelKind())) {
            languageModelTable(train);
        }
        else {
            pairTable(train);
        }
        html.append("</table>\n");
        trainingCurve(history).ifPresent(chart -> page.figureWithLegend("plot-train", "Training curve", chart,
                "The regularised training objective (for Adam: the mini-batch's)"
                        + (chart.getXYPlot().getDataset().getSeriesCount() > 1 ? " and the validation loss" : "") + " per iteration."));
    }

    /** A policy: E_x E_π[U] of the uniform policy (θ = 0) and of the trained one, loss = −mean utility. */
    private void policyTable(TrainSummary train) {
        html.append("<table><tr><th>policy</th><th>prompts</th><th>mean utility</th><th>loss</th><th>entropy</th></tr>\n");
        for (String split : new String[] {"uniform", "train"}) {
            JsonNode figures = train.figure(split);
            if (figures.isObject()) {
                html.append("<tr><td>").append(split.equals("train") ? "trained" : split).append("</td><td>")
                        .append(figures.path("prompts").asText()).append("</td><td>").append(cell(figures.path("mean_utility")))
                        .append("</td><td>").append(cell(figures.path("loss"))).append("</td><td>").append(cell(figures.path("entropy")))
                        .append("</td></tr>\n");
            }
        }
    }

    /** A language model: token NLL (total NLL / total tokens) of the trained model per split, or per self-target round. */
    private void languageModelTable(TrainSummary train) {
        html.append("<p>").append(escape(train.figure("mode").asText(train.figure("objective_type").asText()))).append(" language model, ")
                .append(escape(train.figure("language_model").toString())).append(", ").append(train.figure("tokens_per_second").asText("?"))
                .append(" training tokens/s</p>\n");
        if (train.figure("rounds").isArray()) {
            html.append("<table><tr><th>round</th><th>targets changed</th><th>mean target entropy</th><th>target token NLL before</th>")
                    .append("<th>after</th><th>reference token NLL</th></tr>\n");
            train.figure("rounds").forEach(round -> html.append("<tr><td>").append(round.path("round").asText()).append("</td><td>")
                    .append(round.path("targets_changed").asText()).append("</td><td>").append(cell(round.path("mean_target_entropy")))
                    .append("</td><td>").append(cell(round.path("target_token_nll_before"))).append("</td><td>")
                    .append(cell(round.path("target_token_nll_after"))).append("</td><td>")
                    .append(cell(round.path("reference_token_nll_before"))).append("</td></tr>\n"));
        }
        else {
            html.append("<table><tr><th>split</th><th>rows</th><th>tokens</th><th>token NLL</th><th>perplexity</th></tr>\n");
            for (String split : new String[] {"train", "validation"}) {
                JsonNode figures = train.figure(split);
                if (figures.isObject()) {
                    html.append("<tr><td>").append(split).append("</td><td>").append(figures.path("rows").asText()).append("</td><td>")
                            .append(figures.path("tokens").asText()).append("</td><td>").append(cell(figures.path("token_nll")))
                            .append("</td><td>").append(cell(figures.path("perplexity"))).append("</td></tr>\n");
                }
            }
        }
    }

    /** A pairwise model (the reward model): pairs, loss and accuracy per split. */
    private void pairTable(TrainSummary train) {
        html.append("<table><tr><th>split</th><th>pairs</th><th>loss</th><th>accuracy</th></tr>\n");
        for (String split : new String[] {"train", "validation"}) {
            JsonNode figures = train.figure(split);
            if (figures.isObject()) {
                html.append("<tr><td>").append(split).append("</td><td>").append(figures.path("pairs").asText()).append("</td><td>")
                        .append(cell(figures.path("loss"))).append("</td><td>").append(cell(figures.path("accuracy"))).append("</td></tr>\n");
            }
        }
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
}
