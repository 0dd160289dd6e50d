package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.Redaction;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches stdout and stderr after the config is loaded: masked text, and the headline of a summary. */
class RedactingWriterTest {
    @Test
    void messagesAndStackTracesAreMaskedAsAWhole() {
        StringWriter target = new StringWriter();
        PrintWriter writer = new RedactingWriter(new PrintWriter(target, true), Redaction.of(Set.of(), List.of("team-bucket-7")));
        writer.println("alignloss: Cannot read input 'prefs' at s3a://team-bucket-7/x");
        writer.print("s3a://KEY:SECRET@host/y ");
        writer.write("team-bucket-7".toCharArray(), 0, 13);
        new IllegalStateException("listing s3a://team-bucket-7/z failed").printStackTrace(writer);
        writer.flush();
        assertThat(target.toString()).doesNotContain("team-bucket-7").doesNotContain("SECRET")
                .contains("at s3a://***/x").contains("s3a://***@host/y ***")
                .contains("IllegalStateException: listing s3a://***/z failed");
    }

    @Test
    void theHeadlineHasEachLossWithItsIntervalEachInputAndThePaths() throws Exception {
        JsonNode summary;
        try (InputStream stream = RedactingWriterTest.class.getResourceAsStream("/report/summary-diagnostics.json")) {
            summary = SummaryJson.mapper().readTree(stream);
        }
        List<String> lines = Headline.lines("evaluate", new Path("file:/runs/today"), SummaryJson.fromTree(summary, "summary-diagnostics.json"));
        JsonNode bt = summary.at("/objectives/bt");
        assertThat(lines.get(0)).isEqualTo("alignloss: evaluate published file:/runs/today");
        assertThat(lines).contains(String.format(java.util.Locale.ROOT,
                        "  objective bt (bradley-terry on prefs): loss %.4g (95%% CI %.4g to %.4g, 3000 rows)",
                        bt.get("loss").asDouble(), bt.at("/ci/0").asDouble(), bt.at("/ci/1").asDouble()),
                "  input prefs: 3000 rows, 0 rejected (0.00%)", "  input seqs: 3000 rows, 0 rejected (0.00%)",
                "  summary: file:/runs/today/summary.json", "  report: file:/runs/today/report.html");
        assertThat(lines).filteredOn(line -> line.startsWith("  objective ")).hasSize(3);
        assertThat(lines).filteredOn(line -> line.startsWith("  warning: ")).hasSize(summary.get("warnings").size());
    }
}
