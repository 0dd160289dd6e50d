package io.alignloss.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import static io.alignloss.report.ReportText.escape;

/** The page being written: its HTML so far and the plots embedded in it (PNG data URIs of {@value #WIDTH}×{@value #HEIGHT}). */
final class ReportPage {
    static final int WIDTH = 760;
    static final int HEIGHT = 380;

    final StringBuilder html = new StringBuilder();
    private int plots;

    /** How many plots the page embeds. */
    int plots() {
        return plots;
    }

    /** Embeds the chart without its legend: the caption tells its lines apart. */
    void figure(String id, String alt, JFreeChart chart, String caption) {
        if (chart.getLegend() != null) {
            chart.removeLegend();
        }
        figureWithLegend(id, alt, chart, caption);
    }

    // a chart whose lines the caption alone does not tell apart keeps its legend
    void figureWithLegend(String id, String alt, JFreeChart chart, String caption) {
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
}
