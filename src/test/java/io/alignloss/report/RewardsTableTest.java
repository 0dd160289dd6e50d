package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The dpo objectives' implicit-reward table in the report of the samples-dpo golden summary; absent for other objectives. */
class RewardsTableTest {
    private static JsonNode summary(String resource) throws Exception {
        try (InputStream stream = RewardsTableTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readTree(stream);
        }
    }

    @Test
    void everyDpoObjectiveShowsItsRewardFiguresWithIntervalsOverallAndPerGroup() throws Exception {
        JsonNode summary = summary("/golden/samples-dpo.summary.json");
        String html = HtmlReportTest.render(summary);
        assertThat(html.split("<th>rewards_accuracy</th>", -1)).hasSize(1 + summary.get("objectives").size());
        JsonNode accuracy = summary.get("objectives").get("dpo").get("rewards_accuracy");
        String expected = String.format(Locale.ROOT, "<tr><td>all</td>");
        assertThat(html).contains(expected);
        assertThat(html).contains(String.format(Locale.ROOT, "%.4g [%.4g, %.4g]", accuracy.get("value").asDouble(),
                accuracy.get("ci").get(0).asDouble(), accuracy.get("ci").get(1).asDouble()));
        JsonNode enMargin = summary.get("objectives").get("ipo").get("groups").get("language").get("en").get("rewards_margin");
        assertThat(html).contains("<tr><td>language = en</td>").contains(String.format(Locale.ROOT, "%.4g [", enMargin.get("value").asDouble()));
    }

    @Test
    void objectivesWithoutRewardFiguresHaveNoTable() throws Exception {
        assertThat(HtmlReportTest.render(HtmlReportTest.fixture())).doesNotContain("rewards_accuracy").doesNotContain("Implicit rewards");
    }
}
