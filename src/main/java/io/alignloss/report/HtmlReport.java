package io.alignloss.report;

import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RunSummary;

import java.util.Map;

import static io.alignloss.report.ReportText.escape;
import static io.alignloss.report.ReportText.startTime;
import static io.alignloss.report.ReportText.text;

/**
 * The run report: one self-contained HTML page (plots embedded as PNG data URIs rendered with JFreeChart,
 * no external resources) made from a run's summary.json alone. It recomputes nothing; a figure missing from
 * the summary simply leaves its plot or table out.
 */
public final class HtmlReport {
    private final ReportPage page = new ReportPage();
    private final StringBuilder html = page.html;
    private final SummaryTables tables = new SummaryTables(page);
    private final ObjectivePlots objectivePlots = new ObjectivePlots(page);
    private final TrainingSection training = new TrainingSection(page);

    private HtmlReport() {
    }

    public static String render(RunSummary summary) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        return new HtmlReport().page(summary);
    }

    private String page(RunSummary summary) {
        Map<String, ObjectiveSummary> objectives = summary.objectivesOrEmpty();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>alignloss report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.verdict{background:#f5f5f0;border-left:4px solid #d62728;padding:.5em 1em}")
                .append("figure{margin:1em 0}figcaption{font-size:90%;color:#555}.warn{color:#a60}</style></head>\n<body>\n");
        html.append("<h1>alignloss ").append(escape(summary.command() == null ? "run" : summary.command())).append(" report</h1>\n");
        html.append("<p>alignloss ").append(escape(text(summary.alignlossVersion()))).append(", Spark ")
                .append(escape(text(summary.sparkVersion()))).append(", started ")
                .append(escape(startTime(text(summary.started())))).append(", ").append(text(summary.seconds()))
                .append(" s.</p>\n");

        html.append("<h2>Verdict</h2>\n<div class=\"verdict\">\n");
        for (Map.Entry<String, ObjectiveSummary> objective : objectives.entrySet()) {
            html.append("<p>").append(Verdict.verdict(objective.getKey(), objective.getValue())).append("</p>\n");
        }
        if (objectives.isEmpty()) {
            html.append("<p>No objectives were evaluated in this run.</p>\n");
        }
        html.append("</div>\n");

        tables.headline(objectives);
        tables.languageModels(objectives);
        tables.offPolicy(objectives);
        for (Map.Entry<String, ObjectiveSummary> objective : objectives.entrySet()) {
            objectivePlots.objectiveSection(objective.getKey(), objective.getValue());
        }
        training.train(summary.train());
        tables.drift(summary.drift());
        tables.rejects(summary.rejects());
        if (!summary.warningsOrEmpty().isEmpty()) {
            html.append("<h2>Warnings</h2>\n<ul>\n");
            summary.warningsOrEmpty().forEach(warning -> html.append("<li class=\"warn\">").append(escape(warning)).append("</li>\n"));
            html.append("</ul>\n");
        }
        // counts the plots whose image decoded, for the browser test (the page reads fine without it)
        html.append("<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('img.plot')")
                .append(".forEach(function(i){if(i.complete&&i.naturalWidth>0){n++;}});document.body.dataset.plotsLoaded=n;")
                .append("document.body.dataset.plotsExpected=").append(page.plots()).append(";});</script>\n");
        html.append("</body></html>\n");
        return html.toString();
    }
}
