package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
        String html = HtmlReport.render(summary);
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
        String html = HtmlReport.render(summary);
        JsonNode bt = summary.get("objectives").get("bt");
        assertThat(html).contains("The dataset under-represents language=de");
        assertThat(HtmlReport.verdict("bt", bt)).contains("so the empirical figure is biased by -0.03189")
                .contains("its interval excludes 0");
        ObjectNode noTarget = bt.deepCopy();
        noTarget.remove("target");
        noTarget.remove("shift");
        assertThat(HtmlReport.verdict("bt", noTarget)).contains("the interval measures sampling noise only, not bias");
    }

    @Test
    void textFromTheSummaryIsEscaped() throws Exception {
        ObjectNode summary = fixture();
        ObjectNode groups = (ObjectNode) summary.get("objectives").get("bt").get("groups").get("language");
        groups.set("<b>&\"x", groups.get("de"));
        summary.withArray("warnings").add("<script>alert(1)</script>");
        String html = HtmlReport.render(summary);
        assertThat(html).doesNotContain("<b>&\"x").doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void missingFiguresLeaveTheirPlotsOut() throws Exception {
        ObjectNode validate = new ObjectMapper().createObjectNode();
        validate.put("command", "validate").putObject("rejects").put("total", 3).putObject("by_reason").put("bad_score", 3);
        String html = HtmlReport.render(validate);
        assertThat(plotIds(html)).isEmpty();
        assertThat(html).contains("No objectives were evaluated").contains("bad_score");

        ObjectNode bare = fixture();
        for (JsonNode objective : bare.get("objectives")) {
            ((ObjectNode) objective).remove(List.of("target", "shift", "curve", "biases", "ci"));
        }
        List<String> ids = plotIds(HtmlReport.render(bare));
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
        String html = HtmlReport.render(summary);
        assertThat(plotIds(html)).contains("plot-train");
        assertThat(html).contains("<th>mean utility</th>").contains("<td>uniform</td><td>500</td><td>4.400</td>")
                .contains("<td>trained</td><td>500</td><td>5.200</td>");
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
        String html = HtmlReport.render(summary);
        assertThat(html).contains("Sequence likelihood, side by side");
        String table = html.substring(html.indexOf("Sequence likelihood, side by side"));
        assertThat(table).contains("joint-trained (joint, runs/joint-trained/model)").contains("conditional-trained (conditional,")
                .contains(">3.250<").contains(">2.250<").contains(">4.500<");
        assertThat(html).doesNotContain("Model-generated targets");
    }
}
