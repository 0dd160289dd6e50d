package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.SummaryJson;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.text.AttributedCharacterIterator;
import java.text.CharacterIterator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The report from a real summary (the samples against their reference, written by evaluate) and edge cases. */
class HtmlReportTest {
    private static final Pattern PLOT = Pattern.compile("<img class=\"plot\" id=\"([^\"]+)\"[^>]*src=\"data:image/png;base64,([^\"]+)\"");

    static ObjectNode fixture() throws Exception {
        try (InputStream stream = HtmlReportTest.class.getResourceAsStream("/report/summary-diagnostics.json")) {
            return (ObjectNode) new ObjectMapper().readTree(stream);
        }
    }

    /** The report of a summary built as a JSON tree, read as summary.json is. */
    static String render(JsonNode summary) {
        return HtmlReport.render(SummaryJson.fromTree(summary, "test summary"));
    }

    private static ObjectiveSummary objective(JsonNode figures) {
        return SummaryJson.convert(figures, ObjectiveSummary.class);
    }

    private static List<String> plotIds(String html) throws Exception {
        List<String> ids = new ArrayList<>();
        Matcher matcher = PLOT.matcher(html);
        while (matcher.find()) {
            ids.add(matcher.group(1));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(matcher.group(2))));
            assertThat(image).as(matcher.group(1)).isNotNull();
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(600);
            assertThat(image.getHeight()).isGreaterThanOrEqualTo(300);
        }
        return ids;
    }

    @Test
    void everyPlotIsThereOnceAndDecodes() throws Exception {
        ObjectNode summary = fixture();
        ObjectNode train = summary.putObject("train");
        train.put("objective", "bt").put("iterations", 3).put("converged", true).put("final_objective", 0.41);
        ArrayNode history = train.putArray("history");
        for (int i = 1; i <= 3; i++) {
            history.addObject().put("iteration", i).put("objective", 0.7 / i).put("gradient_norm", 1.0 / i).put("step", 1).put("seconds", 0.5);
        }
        String html = render(summary);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        List<String> ids = plotIds(html);
        assertThat(ids).doesNotHaveDuplicates().contains(
                "plot-groups-bt-language", "plot-groups-bt-domain", "plot-groups-lm-language", "plot-curve-bt", "plot-curve-utility",
                "plot-estimates-bt", "plot-estimates-lm", "plot-length-bt", "plot-train");
        // 3 objectives × (2 group columns + curve + estimates), the length plot of bt, the training curve
        assertThat(ids).hasSize(3 * 4 + 1 + 1);
        assertThat(html).contains("plotsExpected=" + ids.size() + ";");
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<link");
    }

    @Test
    void verdictNamesTheUnderRepresentedGroupsAndTheBias() throws Exception {
        JsonNode summary = fixture();
        String html = render(summary);
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(html).contains("The dataset under-represents language=de");
        assertThat(Verdict.verdict("bt", objective(bt))).contains("so the empirical figure is biased by -0.03189")
                .contains("its interval excludes 0");
        ObjectNode noTarget = bt.deepCopy();
        noTarget.remove("target");
        noTarget.remove("shift");
        assertThat(Verdict.verdict("bt", objective(noTarget))).contains("the interval measures sampling noise only, not bias");
    }

    @Test
    void textFromTheSummaryIsEscaped() throws Exception {
        ObjectNode summary = fixture();
        ObjectNode groups = (ObjectNode) summary.get("objectives").get("bt").get("groups").get("language");
        groups.set("<b>&\"x", groups.get("de"));
        summary.withArray("warnings").add("<script>alert(1)</script>");
        String html = render(summary);
        assertThat(html).doesNotContain("<b>&\"x").doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void missingFiguresLeaveTheirPlotsOut() throws Exception {
        ObjectNode validate = new ObjectMapper().createObjectNode();
        validate.put("command", "validate").putObject("rejects").put("total", 3).putObject("by_reason").put("bad_score", 3);
        String html = render(validate);
        assertThat(plotIds(html)).isEmpty();
        assertThat(html).contains("No objectives were evaluated").contains("bad_score");

        ObjectNode bare = fixture();
        for (JsonNode objective : bare.get("objectives")) {
            ((ObjectNode) objective).remove(List.of("target", "shift", "curve", "biases", "ci"));
        }
        List<String> ids = plotIds(render(bare));
        assertThat(ids).allMatch(id -> id.startsWith("plot-groups-"));
    }

    @Test
    void aPolicyRunShowsItsTrainingCurveOnALinearAxisAndOffPolicyBlocksRender() throws Exception {
        ObjectNode summary = fixture();
        // off-policy estimates are { value, ci } objects inside an objective: the report must not trip on them
        ObjectNode utility = (ObjectNode) summary.get("objectives").get("utility");
        for (String estimator : new String[] {"ips", "snips", "clipped_ips"}) {
            ObjectNode estimate = utility.putObject(estimator).put("value", 5.1);
            estimate.putArray("ci").add(4.9).add(5.3);
        }
        utility.put("ess", 812.5).put("clip", 10.0);
        ObjectNode train = summary.putObject("train");
        train.put("objective", "utility").put("model_kind", "policy").put("iterations", 3).put("converged", true)
                .put("final_objective", -5.2);
        train.putObject("uniform").put("prompts", 500).put("mean_utility", 4.4).put("loss", -4.4).put("entropy", 1.1);
        train.putObject("train").put("prompts", 500).put("mean_utility", 5.2).put("loss", -5.2).put("entropy", 0.7);
        ArrayNode history = train.putArray("history");
        for (int i = 1; i <= 3; i++) {
            // −E[U] is negative: a log axis would drop every point
            history.addObject().put("iteration", i).put("objective", -4.4 - 0.3 * i).put("gradient_norm", 1.0 / i).put("step", 1);
        }
        String html = render(summary);
        assertThat(plotIds(html)).contains("plot-train");
        assertThat(html).contains("<th>mean utility</th>").contains("<td>uniform</td><td>500</td><td>4.400</td>")
                .contains("<td>trained</td><td>500</td><td>5.200</td>");
    }

    @Test
    void offPolicyEstimatesAreListedWithTheirIntervals() throws Exception {
        ObjectNode summary = fixture();
        assertThat(render(summary)).as("no off-policy figures, no table").doesNotContain("Off-policy estimates");
        ObjectNode utility = (ObjectNode) summary.get("objectives").get("utility");
        utility.putObject("ips").put("value", 5.1).putArray("ci").add(4.9).add(5.3);
        utility.putObject("dr").put("value", 5.25).putArray("ci").add(5.125).add(5.375);
        ObjectNode noInterval = utility.putObject("switch_dr").put("value", 5.5);
        noInterval.putNull("ci");
        String html = render(summary);
        assertThat(html).contains("<h2>Off-policy estimates</h2>")
                .contains("<tr><td>utility</td><td>ips</td><td>5.100</td><td>4.900 – 5.300</td></tr>")
                .contains("<tr><td>utility</td><td>dr</td><td>5.250</td><td>5.125 – 5.375</td></tr>")
                .contains("<tr><td>utility</td><td>switch_dr</td><td>5.500</td><td></td></tr>")
                .doesNotContain("<td>sndr</td>");
    }

    @Test
    void sequenceObjectivesAreShownSideBySideWithTheirPromptTerm() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode summary = mapper.createObjectNode();
        ObjectNode objectives = summary.putObject("objectives");
        String[][] models = {{"joint-trained", "joint", "3.25", "2.5"}, {"conditional-trained", "conditional", "3.75", "2.25"}};
        for (String[] model : models) {
            ObjectNode objective = objectives.putObject(model[0]);
            objective.put("loss", 2.0);
            objective.put("mode", model[1]);
            objective.putObject("joint").put("token_nll", Double.parseDouble(model[2])).put("sequence_nll", 40.0);
            objective.putObject("conditional").put("token_nll", Double.parseDouble(model[3])).put("sequence_nll", 30.0).put("perplexity", 9.0);
            objective.putObject("prompt_term").put("token_nll", 4.5).put("sequence_nll", 10.0);
            objective.putObject("language_model").put("path", "runs/" + model[0] + "/model");
        }
        String html = render(summary);
        assertThat(html).contains("Sequence likelihood, side by side");
        String table = html.substring(html.indexOf("Sequence likelihood, side by side"));
        assertThat(table).contains("joint-trained (joint, runs/joint-trained/model)").contains("conditional-trained (conditional,")
                .contains(">3.250<").contains(">2.250<").contains(">4.500<");
        assertThat(html).doesNotContain("Model-generated targets");
    }

    private static final Pattern CAPTION = Pattern.compile("<figcaption>([^<]*)</figcaption>");

    private static List<String> captions(String html) {
        List<String> captions = new ArrayList<>();
        Matcher matcher = CAPTION.matcher(html);
        while (matcher.find()) {
            captions.add(matcher.group(1));
        }
        return captions;
    }

    private static String objectivesTable(String html) {
        int start = html.indexOf("<h2>Objectives</h2>");
        return html.substring(start, html.indexOf("</table>", start));
    }

    /** Without a target (and without a reference), nothing speaks of a reweighted estimate, and its columns are gone. */
    @Test
    void withoutATargetCaptionsAndColumnsDescribeOnlyWhatIsShown() throws Exception {
        ObjectNode summary = fixture();
        for (JsonNode objective : summary.get("objectives")) {
            ((ObjectNode) objective).remove(List.of("target", "shift"));
        }
        String html = render(summary);
        assertThat(captions(html)).isNotEmpty().noneMatch(caption -> caption.contains("reweighted"))
                .anyMatch(caption -> caption.startsWith("Loss by language with 95% intervals; dashed line: the overall loss."))
                .anyMatch(caption -> caption.contains("No target population is configured, so no bias is shown."));
        assertThat(objectivesTable(html)).contains("<th>count</th></tr>").doesNotContain("reweighted").doesNotContain("bias")
                .doesNotContain("importance-weighted");
        assertThat(objectivesTable(html).split("<td>", -1)).as("6 cells per objective row").hasSize(1 + 3 * 6);

        // with the target and the shift blocks of the fixture: all three columns and the reweighted lines
        String full = render(fixture());
        assertThat(objectivesTable(full)).contains("<th>reweighted</th><th>bias</th><th>importance-weighted</th>");
        assertThat(captions(full)).anyMatch(caption -> caption.contains("the loss reweighted to the target population"))
                .anyMatch(caption -> caption.contains("the distance to the reweighted estimate (dashed line) does not"));

        // only the shift block: the importance-weighted column alone
        ObjectNode shiftOnly = fixture();
        for (JsonNode objective : shiftOnly.get("objectives")) {
            ((ObjectNode) objective).remove("target");
        }
        assertThat(objectivesTable(render(shiftOnly))).contains("<th>count</th><th>importance-weighted</th></tr>");
    }

    @Test
    void theStartTimeIsShownToTheSecond() throws Exception {
        ObjectNode summary = fixture();
        summary.put("started", "2026-12-01T14:03:07.123456789Z");
        assertThat(render(summary)).contains("started 2026-12-01 14:03:07 UTC,").doesNotContain("123456789");
        assertThat(ReportText.startTime("not an instant")).isEqualTo("not an instant");
    }

    /**
     * The training curve has a legend naming both lines, and its log axis is labelled with plain numbers: the ticks
     * JFreeChart computes for a loss between 0.6 and 0.8 (a fraction of a decade) read e.g. "0.708", not "10^-0.15".
     */
    @Test
    void theTrainingCurveHasALegendAndPlainTickLabels() {
        ArrayNode history = new ObjectMapper().createArrayNode();
        for (int i = 1; i <= 10; i++) {
            history.addObject().put("iteration", i).put("objective", 0.8 - 0.02 * i).put("validation_loss", 0.79 - 0.015 * i);
        }
        JFreeChart chart = TrainingSection.trainingCurve(history).orElseThrow();
        assertThat(chart.getLegend()).isNotNull();
        LegendItemCollection items = chart.getXYPlot().getLegendItems();
        assertThat(List.of(items.get(0).getLabel(), items.get(1).getLabel())).containsExactly("training objective", "validation loss");

        BufferedImage image = new BufferedImage(760, 380, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        chart.draw(g2, new Rectangle2D.Double(0, 0, 760, 380));
        LogAxis axis = (LogAxis) chart.getXYPlot().getRangeAxis();
        List<? extends Tick> ticks = axis.refreshTicks(g2, new AxisState(), new Rectangle2D.Double(60, 20, 680, 320), RectangleEdge.LEFT);
        g2.dispose();
        List<String> labels = ticks.stream().map(HtmlReportTest::label).filter(text -> !text.isEmpty()).toList();
        assertThat(labels).isNotEmpty().allSatisfy(label -> {
            assertThat(label).doesNotContain("^").doesNotContain("10^");
            assertThat(Double.parseDouble(label)).isBetween(0.5, 0.9);
        });
        assertThat(new SignificantDigits(3).format(Math.pow(10, -0.16))).isEqualTo("0.692");
        assertThat(new SignificantDigits(3).format(1.5e-5)).isEqualTo("0.000015");
    }

    // a log axis's tick carries its label as an attributed string (superscripts for "10^x")
    private static String label(Tick tick) {
        if (!(tick instanceof LogTick logTick) || logTick.getAttributedLabel() == null) {
            return tick.getText() == null ? "" : tick.getText();
        }
        AttributedCharacterIterator it = logTick.getAttributedLabel().getIterator();
        StringBuilder text = new StringBuilder();
        for (char c = it.first(); c != CharacterIterator.DONE; c = it.next()) {
            if (it.getAttribute(TextAttribute.SUPERSCRIPT) != null && text.indexOf("^") < 0) {
                text.append('^');
            }
            text.append(c);
        }
        return text.toString();
    }
}
