package io.alignloss.report;

import io.alignloss.summary.CompareSummary;
import io.alignloss.summary.McNemarFigures;
import io.alignloss.summary.ObjectiveComparison;
import io.alignloss.summary.PairedComparison;

import java.util.Locale;
import java.util.Map;

import static io.alignloss.report.ReportText.cell;
import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.intervalText;
import static io.alignloss.report.ReportText.startTime;

/**
 * The compare report: one self-contained HTML page made from compare.json alone (it recomputes nothing): the two
 * runs, the regression verdict, and per objective a table of the paired difference overall and per group value.
 */
public final class CompareReport {
    private final StringBuilder html = new StringBuilder();

    private CompareReport() {
    }

    public static String render(CompareSummary summary) {
        return new CompareReport().page(summary);
    }

    private String page(CompareSummary summary) {
        String confidence = String.format(Locale.ROOT, "%.0f%%", 100 * summary.confidence());
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>alignloss compare report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.verdict{background:#f5f5f0;border-left:4px solid #d62728;padding:.5em 1em}")
                .append(".warn{color:#a60}</style></head>\n<body>\n");
        html.append("<h1>alignloss compare report</h1>\n");
        html.append("<p>Run a: <code>").append(escape(summary.a())).append("</code><br>Run b: <code>").append(escape(summary.b()))
                .append("</code><br>alignloss ").append(escape(String.valueOf(summary.alignlossVersion()))).append(", started ")
                .append(escape(startTime(String.valueOf(summary.started())))).append(".</p>\n");
        html.append("<p>Paired differences L<sub>b</sub> − L<sub>a</sub> on the rows both runs scored (positive: b is worse), with ")
                .append(confidence).append(" paired cluster-bootstrap intervals (").append(summary.bootstrap())
                .append(" replicates); group p-values adjusted by Benjamini–Hochberg at FDR ")
                .append(String.format(Locale.ROOT, "%.3g", summary.alpha())).append(".</p>\n");
        html.append("<h2>Verdict</h2>\n<div class=\"verdict\">\n");
        if (summary.maxRegression() == null) {
            html.append("<p>No regression gate (--max-regression not given).</p>\n");
        }
        else if (summary.regressions().isEmpty()) {
            html.append("<p>No objective regressed by more than ").append(cell(summary.maxRegression())).append(".</p>\n");
        }
        summary.regressions().forEach(regression -> html.append("<p>Regression: ").append(escape(regression)).append("</p>\n"));
        html.append("</div>\n");
        for (Map.Entry<String, ObjectiveComparison> objective : summary.objectives().entrySet()) {
            objective(objective.getKey(), objective.getValue(), confidence);
        }
        if (!summary.warnings().isEmpty()) {
            html.append("<h2>Warnings</h2>\n<ul>\n");
            summary.warnings().forEach(warning -> html.append("<li class=\"warn\">").append(escape(warning)).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private void objective(String name, ObjectiveComparison objective, String confidence) {
        html.append("<h2>").append(escape(name)).append(" (").append(escape(String.valueOf(objective.type()))).append(")</h2>\n");
        html.append("<p>").append(objective.matched()).append(" ids in both runs, ").append(objective.onlyInA()).append(" in a only, ")
                .append(objective.onlyInB()).append(" in b only, ").append(objective.incomplete())
                .append(" left out (null figures); clusters: ").append(escape(String.valueOf(objective.ciCluster()))).append(".</p>\n");
        boolean mcnemar = objective.overall() != null && objective.overall().mcnemar() != null;
        html.append("<table><tr><th>cell</th><th>rows</th><th>L<sub>a</sub></th><th>L<sub>b</sub></th><th>L<sub>b</sub> − L<sub>a</sub></th><th>")
                .append(confidence).append(" interval</th><th>z</th><th>p</th><th>p (BH)</th>");
        if (mcnemar) {
            html.append("<th>only a right</th><th>only b right</th><th>McNemar p</th><th>McNemar p (BH)</th>");
        }
        html.append("</tr>\n");
        if (objective.overall() != null) {
            row("all", objective.overall(), mcnemar);
        }
        for (Map.Entry<String, Map<String, PairedComparison>> group : objective.groups().entrySet()) {
            for (Map.Entry<String, PairedComparison> value : group.getValue().entrySet()) {
                row(group.getKey() + " = " + value.getKey(), value.getValue(), mcnemar);
            }
        }
        html.append("</table>\n");
    }

    private void row(String label, PairedComparison cellFigures, boolean mcnemar) {
        boolean significant = Boolean.TRUE.equals(cellFigures.significant());
        html.append("<tr><td>").append(escape(label)).append(significant ? " *" : "").append("</td><td>").append(cellFigures.count())
                .append("</td><td>").append(cell(cellFigures.lossA())).append("</td><td>").append(cell(cellFigures.lossB()))
                .append("</td><td>").append(cell(cellFigures.difference())).append("</td><td>").append(intervalText(cellFigures.ci()))
                .append("</td><td>").append(cell(cellFigures.z())).append("</td><td>").append(cell(cellFigures.pValue()))
                .append("</td><td>").append(cell(cellFigures.pAdjusted())).append("</td>");
        if (mcnemar) {
            McNemarFigures test = cellFigures.mcnemar();
            html.append("<td>").append(test == null ? "" : test.onlyA()).append("</td><td>").append(test == null ? "" : test.onlyB())
                    .append("</td><td>").append(test == null ? "" : cell(test.pValue())).append("</td><td>")
                    .append(test == null ? "" : cell(test.pAdjusted())).append("</td>");
        }
        html.append("</tr>\n");
    }
}
