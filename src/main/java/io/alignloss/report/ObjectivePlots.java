package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.CurvePoint;
import io.alignloss.summary.GroupGap;
import io.alignloss.summary.GroupSummary;
import io.alignloss.summary.ObjectiveSummary;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
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
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.alignloss.report.ReportText.cellText;
import static io.alignloss.report.ReportText.confidence;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.intervalText;
import static io.alignloss.report.ReportText.isInterval;
import static io.alignloss.report.ReportText.number;
import static io.alignloss.report.ReportText.percent;
import static io.alignloss.report.ReportText.text;
import static io.alignloss.report.ReportText.tree;
import static io.alignloss.report.ReportText.value;

/** One objective's section: loss by group, the estimator learning curve, the three estimates, margin versus length. */
final class ObjectivePlots {
    private static final Color EMPIRICAL = new Color(0x1f77b4);
    private static final Color TARGET = new Color(0xd62728);

    private final StringBuilder html;
    private final ReportPage page;

    ObjectivePlots(ReportPage page) {
        this.html = page.html;
        this.page = page;
    }

    /** The objective's heading and description, then its plots; a plot whose figures the summary lacks is left out. */
    void objectiveSection(String name, ObjectiveSummary objective) {
        html.append("<h2>").append(escape(name)).append("</h2>\n<p>").append(escape(text(objective.description()))).append("</p>\n");
        new RewardsTable(page).table(objective);
        for (Map.Entry<String, Map<String, GroupSummary>> column : objective.groupsOrEmpty().entrySet()) {
            groupPlot(name, column.getKey(), column.getValue(), objective);
        }
        curvePlot(name, objective);
        estimatesPlot(name, objective);
        marginPlot(name, tree(objective.biases()).path("length"));
        lengthBaseline(tree(objective.biases()).path("length"));
    }

    /**
     * The length-confound baseline: "the longer response wins" in characters and in cl100k tokens, overall and per
     * group value, beside the reward model's accuracy and their difference; a warning for each one above the flag level.
     */
    private void lengthBaseline(JsonNode length) {
        if (!length.path("characters").isObject()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        List<String> flagged = new ArrayList<>();
        baselineRows(rows, flagged, "all rows", length);
        length.path("groups").fields().forEachRemaining(column -> column.getValue().fields().forEachRemaining(value ->
                baselineRows(rows, flagged, column.getKey() + " = " + value.getKey(), value.getValue())));
        html.append("<h3>Length baseline</h3>\n<p>Accuracy of \"the longer response wins\" over decided pairs of unequal length ")
                .append("(equal lengths left out), the share of those pairs where chosen is the longer, and the reward model's ")
                .append("accuracy minus that baseline on the pairs it scored (normal interval, rows independent). A reward model ")
                .append("that cannot beat the baseline may be counting length.</p>\n")
                .append("<table><tr><th>rows</th><th>unit</th><th>pairs</th><th>longer wins</th><th>chosen longer</th>")
                .append("<th>reward model accuracy</th><th>accuracy − baseline</th><th>CI</th></tr>\n").append(rows).append("</table>\n");
        flagged.forEach(line -> html.append("<p class=\"warn\">").append(escape(line)).append("</p>\n"));
    }

    private static void baselineRows(StringBuilder rows, List<String> flagged, String label, JsonNode units) {
        for (String unit : new String[] {"characters", "tokens"}) {
            JsonNode figures = units.path(unit);
            JsonNode difference = figures.path("accuracy_minus_baseline");
            rows.append("<tr><td>").append(escape(label)).append("</td><td>").append(unit).append("</td><td>")
                    .append(figures.path("pairs").asText()).append("</td><td>").append(ReportText.cell(figures.path("longer_wins_accuracy")))
                    .append("</td><td>").append(ReportText.cell(figures.path("chosen_longer_share"))).append("</td><td>")
                    .append(ReportText.cell(figures.path("reward_model_accuracy"))).append("</td><td>")
                    .append(ReportText.cell(difference.path("value"))).append("</td><td>")
                    .append(difference.path("ci").size() == 2 ? ReportText.cell(difference.path("ci").get(0)) + " – "
                            + ReportText.cell(difference.path("ci").get(1)) : "").append("</td></tr>\n");
            if (figures.path("flagged").asBoolean(false)) {
                flagged.add(String.format(Locale.ROOT, "%s: the longer response (in %s) wins %s of decided pairs: length alone "
                        + "predicts the preference", label, unit, percent(figures.path("longer_wins_accuracy").asDouble())));
            }
        }
    }

    private void groupPlot(String objective, String column, Map<String, GroupSummary> values, ObjectiveSummary figures) {
        if (values.isEmpty()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        YIntervalSeries series = new YIntervalSeries("loss with CI");
        int x = 0;
        for (Map.Entry<String, GroupSummary> value : values.entrySet()) {
            GroupSummary group = value.getValue();
            labels.add(value.getKey());
            double loss = value(group.loss());
            List<Double> ci = group.ci();
            series.add(x++, loss, isInterval(ci) ? ci.get(0) : loss, isInterval(ci) ? ci.get(1) : loss);
        }
        XYPlot plot = intervalPlot(series, new SymbolAxis(column, labels.toArray(String[]::new)), "loss");
        marker(plot, value(figures.loss()), "overall", EMPIRICAL);
        JsonNode reweighted = tree(figures.target()).path("reweighted_loss");
        marker(plot, reweighted.isNumber() ? reweighted.asDouble() : Double.NaN, "reweighted", TARGET);
        GroupGap gap = figures.groupGaps() == null ? null : figures.groupGaps().get(column);
        String caption = "Loss by " + column + " with " + confidence(figures) + " intervals; "
                + (reweighted.isNumber()
                        ? "dashed lines: the overall loss and the loss reweighted to the target population."
                        : "dashed line: the overall loss.");
        if (gap != null) {
            caption += String.format(Locale.ROOT, " Largest gap %s (%s vs %s), CI %s.", number(value(gap.maxGap())),
                    text(gap.highest()), text(gap.lowest()), intervalText(gap.ci()));
        }
        page.figure("plot-groups-" + objective + "-" + column, "Loss of " + objective + " by " + column,
                new JFreeChart(objective + ": loss by " + column, plot), caption);
    }

    private void curvePlot(String objective, ObjectiveSummary figures) {
        List<CurvePoint> curve = figures.curveOrEmpty();
        if (curve.isEmpty()) {
            return;
        }
        YIntervalSeries series = new YIntervalSeries("empirical loss with CI");
        for (CurvePoint point : curve) {
            double loss = value(point.loss());
            List<Double> ci = point.ci();
            if (point.n() != null && point.n() > 0 && Double.isFinite(loss)) {
                series.add(point.n(), loss, isInterval(ci) ? ci.get(0) : loss, isInterval(ci) ? ci.get(1) : loss);
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
        JsonNode reweighted = tree(figures.target()).path("reweighted_loss");
        marker(plot, reweighted.isNumber() ? reweighted.asDouble() : Double.NaN, "reweighted (target)", TARGET);
        page.figure("plot-curve-" + objective, "Estimator learning curve of " + objective,
                new JFreeChart(objective + ": estimator learning curve", plot),
                "Empirical loss and its " + confidence(figures) + " interval on nested subsamples (1% to 100% of the rows): "
                        + (reweighted.isNumber()
                        ? "the interval narrows like 1/√n, the distance to the reweighted estimate (dashed line) does not."
                        : "the interval narrows like 1/√n. No target population is configured, so no bias is shown."));
    }

    private void estimatesPlot(String objective, ObjectiveSummary figures) {
        JsonNode target = tree(figures.target());
        JsonNode shift = tree(figures.shift());
        if (!target.path("reweighted_loss").isNumber() && !shift.path("weighted_loss").isNumber()) {
            return;
        }
        List<String> labels = new ArrayList<>();
        YIntervalSeries series = new YIntervalSeries("estimate with CI");
        addEstimate(series, labels, "empirical", figures.loss(), figures.ci());
        addEstimate(series, labels, "reweighted", target.path("reweighted_loss"), target.path("reweighted_ci"));
        addEstimate(series, labels, "importance-weighted", shift.path("weighted_loss"), shift.path("weighted_ci"));
        XYPlot plot = intervalPlot(series, new SymbolAxis("estimator", labels.toArray(String[]::new)), "loss");
        page.figure("plot-estimates-" + objective, "Empirical, reweighted and importance-weighted loss of " + objective,
                new JFreeChart(objective + ": estimates of the expected loss", plot),
                "Three estimates of the expected loss with " + confidence(figures) + " intervals. Where they disagree, "
                        + "the dataset is not a uniform sample of the target population.");
    }

    private static void addEstimate(YIntervalSeries series, List<String> labels, String label, Double value, List<Double> ci) {
        if (value == null) {
            return;
        }
        series.add(labels.size(), value, isInterval(ci) ? ci.get(0) : value, isInterval(ci) ? ci.get(1) : value);
        labels.add(label);
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
        page.figure("plot-length-" + objective, "Margin versus length difference for " + objective,
                new JFreeChart(objective + ": margin vs length difference", plot),
                String.format(Locale.ROOT, "Mean reward margin by length difference. Correlation %s; "
                        + "\"the longer response wins\" is right %s of the time.", cellText(length.path("correlation")),
                        length.path("longer_wins_accuracy").isNumber() ? percent(length.path("longer_wins_accuracy").asDouble()) : "n/a"));
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

    /** A dashed line at {@code value}; none when it is not finite. */
    private static void marker(XYPlot plot, double value, String label, Color color) {
        if (!Double.isFinite(value)) {
            return;
        }
        ValueMarker marker = new ValueMarker(value, color, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        plot.addRangeMarker(marker);
    }
}
