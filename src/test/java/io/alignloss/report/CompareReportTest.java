package io.alignloss.report;

import io.alignloss.summary.CompareSummary;
import io.alignloss.summary.McNemarFigures;
import io.alignloss.summary.ObjectiveComparison;
import io.alignloss.summary.PairedComparison;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The compare page shows compare.json's figures as they are: verdict, cells, significance marks, escaped names. */
class CompareReportTest {
    private static PairedComparison cell(double difference, Double adjusted, Boolean significant) {
        return new PairedComparison(100, 40, 0.5, 0.5 + difference, difference, 0.01, List.of(difference - 0.02, difference + 0.02),
                difference / 0.01, 0.001, adjusted, significant, new McNemarFigures(90, 12, 3, 0.035, adjusted));
    }

    private static CompareSummary summary(Double maxRegression, List<String> regressions) {
        Map<String, PairedComparison> values = new LinkedHashMap<>();
        values.put("en", cell(0.07, 0.004, true));
        values.put("<de>", cell(0.01, 0.5, false));
        ObjectiveComparison bt = new ObjectiveComparison("bradley-terry", "prompt", 100, 2, 1, 0, cell(0.05, null, null),
                Map.of("language", values), regressions.isEmpty() ? Boolean.FALSE : Boolean.TRUE);
        return new CompareSummary("0.1.0", "compare", "2026-12-02T00:00:00Z", 1.5, "runs/a", "runs/b", 0.05, 0.95, 1000, 42,
                maxRegression, Map.of("bt", bt), regressions, List.of("objective 'bt': 2 ids only in run a"));
    }

    @Test
    void showsTheCellsWithTheirIntervalsAndMarksSignificantGroups() {
        String html = CompareReport.render(summary(null, List.of()));
        assertThat(html).contains("<h2>bt (bradley-terry)</h2>").contains("100 ids in both runs, 2 in a only, 1 in b only")
                .contains("<td>all</td><td>100</td><td>0.5000</td><td>0.5500</td><td>0.05000</td><td>[0.03000, 0.07000]</td>")
                .contains("<td>language = en *</td>").contains("<td>language = &lt;de&gt;</td>")
                .contains("<th>McNemar p</th>").contains("<td>12</td><td>3</td><td>0.03500</td>")
                .contains("No regression gate (--max-regression not given).")
                .contains("<li class=\"warn\">objective &#39;bt&#39;: 2 ids only in run a</li>")
                .contains("95% paired cluster-bootstrap intervals (1000 replicates)");
    }

    @Test
    void theVerdictNamesTheRegressions() {
        assertThat(CompareReport.render(summary(0.01, List.of("objective 'bt': above"))))
                .contains("<p>Regression: objective &#39;bt&#39;: above</p>").doesNotContain("No objective regressed");
        assertThat(CompareReport.render(summary(0.5, List.of()))).contains("No objective regressed by more than 0.5000.");
    }
}
