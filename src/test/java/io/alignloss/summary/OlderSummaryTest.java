package io.alignloss.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alignloss.diagnostics.Drift;
import io.alignloss.diagnostics.DriftThresholds;
import io.alignloss.report.HtmlReport;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A summary.json from an older (or newer) alignloss, with blocks and figures missing and keys this version does not
 * know, still reads; the nightly drift check compares against it and the report renders it.
 */
class OlderSummaryTest {
    @TempDir
    Path temp;

    private static ObjectNode golden(String name) throws IOException {
        return (ObjectNode) SummaryJson.mapper().readTree(SummaryJsonTest.GOLDEN.resolve(name).toFile());
    }

    /** samples-diagnostics with bt's groups, gaps and curve gone, lm's stderr gone, no utility, and unknown keys added. */
    private static ObjectNode older() throws IOException {
        ObjectNode summary = golden("samples-diagnostics.summary.json");
        summary.remove(List.of("config", "warnings", "schema_version"));
        summary.putObject("legacy_block").put("kept", true);
        ObjectNode objectives = (ObjectNode) summary.get("objectives");
        ObjectNode bt = (ObjectNode) objectives.get("bt");
        bt.remove(List.of("groups", "group_gaps", "curve", "ci_cluster", "clusters"));
        bt.put("old_figure", 7);
        bt.put("loss", bt.get("loss").asDouble() - 0.01);
        ((ObjectNode) objectives.get("lm")).remove("stderr");
        objectives.remove("utility");
        ((ObjectNode) summary.get("inputs").get("prefs")).remove("group_columns");
        ((ObjectNode) summary.get("inputs").get("prefs")).put("checksum", "abc");
        return summary;
    }

    @Test
    void missingKeysReadAsNullAndUnknownOnesAreKept() throws IOException {
        RunSummary summary = SummaryJson.fromTree(older(), "older");

        ObjectiveSummary bt = summary.objectives().get("bt");
        assertThat(bt.groups()).isNull();
        assertThat(bt.groupsOrEmpty()).isEmpty();
        assertThat(bt.curveOrEmpty()).isEmpty();
        assertThat(bt.ciCluster()).isNull();
        assertThat(bt.figure("old_figure").asInt()).isEqualTo(7);
        assertThat(bt.figure("accuracy").isNumber()).isTrue();
        assertThat(summary.objectives().get("lm").stderr()).isNull();
        assertThat(summary.inputs().get("prefs").groupColumns()).isNull();
        assertThat(summary.warnings()).isNull();
        assertThat(summary.warningsOrEmpty()).isEmpty();
        assertThat(summary.schemaVersion()).isNull();
        assertThat(summary.drift()).isNull();
        assertThat(summary.blocks()).containsOnlyKeys("legacy_block");

        // written back, the unknown keys are still there, and reading that again gives the same record
        JsonNode written = SummaryJson.mapper().readTree(SummaryJson.render(summary));
        assertThat(written.at("/legacy_block/kept").asBoolean()).isTrue();
        assertThat(written.at("/objectives/bt/old_figure").asInt()).isEqualTo(7);
        assertThat(written.has("warnings")).isFalse();
        assertThat(written.at("/inputs/prefs").has("checksum")).isFalse(); // an input's unknown keys are ignored
        assertThat(SummaryJson.fromTree(written, "written")).isEqualTo(summary);
    }

    @Test
    void driftComparesAgainstAnOlderSummaryReadFromItsRunFolder() throws IOException {
        Path run = Files.createDirectories(temp.resolve("run_date=2026-11-24"));
        ObjectNode older = older();
        Files.writeString(run.resolve("summary.json"), SummaryJson.mapper().writeValueAsString(older));
        RunSummary current = SummaryJson.read(SummaryJsonTest.GOLDEN.resolve("samples-diagnostics.summary.json"));

        Optional<RunSummary> previous = Drift.readPrevious(run.toString(), new Configuration());
        DriftSummary drift = Drift.compare(current.objectives(), previous, new DriftThresholds(OptionalDouble.of(0.005), OptionalDouble.empty()));

        DriftSummary.Compared compared = (DriftSummary.Compared) drift;
        assertThat(compared.previousStarted()).isNull(); // the golden files carry no start time
        assertThat(compared.missing()).isEmpty();
        // bt: the loss moved by 0.01, its z from the two stderrs; its group columns are new (the older run had none)
        ObjectiveDrift.Compared bt = (ObjectiveDrift.Compared) compared.objectives().get("bt");
        JsonNode btNow = SummaryJson.mapper().readTree(SummaryJsonTest.GOLDEN.resolve("samples-diagnostics.summary.json").toFile())
                .at("/objectives/bt");
        double change = btNow.get("loss").asDouble() - older.at("/objectives/bt/loss").asDouble();
        assertThat(bt.lossChange()).isCloseTo(0.01, within(1e-12)).isEqualTo(change);
        double se = btNow.get("stderr").asDouble();
        assertThat(bt.z()).isCloseTo(change / Math.sqrt(2 * se * se), within(1e-12));
        assertThat(bt.newGroupColumns()).containsExactly("language", "domain");
        assertThat(bt.mixTvd()).isEmpty();
        assertThat(compared.exceeded()).singleElement().asString().startsWith("objective 'bt': loss changed by +0.0100000");
        // lm: no previous stderr, so no z; the same groups, so no mix change
        ObjectiveDrift.Compared lm = (ObjectiveDrift.Compared) compared.objectives().get("lm");
        assertThat(lm.lossChange()).isEqualTo(0.0);
        assertThat(lm.z()).isNull();
        assertThat(lm.pValue()).isNull();
        assertThat(lm.mixTvd()).containsOnly(Map.entry("language", 0.0), Map.entry("domain", 0.0));
        // utility was not in the older run
        assertThat(compared.objectives().get("utility")).isInstanceOf(ObjectiveDrift.New.class);
    }

    @Test
    void theReportRendersAnOlderSummary() throws IOException {
        String html = HtmlReport.render(SummaryJson.fromTree(older(), "older"));
        assertThat(html).contains("<h1>alignloss evaluate report</h1>").contains("<h2>bt</h2>").contains("<h2>lm</h2>")
                .doesNotContain("plot-groups-bt-").contains("plot-groups-lm-language").contains("plot-curve-lm")
                .doesNotContain("plot-curve-bt").endsWith("</html>\n");

        // a very old, bare summary: an objective with its loss only, no inputs, rejects or warnings
        JsonNode bare = SummaryJson.mapper().readTree("{\"command\": \"evaluate\", \"objectives\": {\"bt\": {\"loss\": 0.5}}}");
        String bareHtml = HtmlReport.render(SummaryJson.fromTree(bare, "bare"));
        assertThat(bareHtml).contains("<b>bt</b>: empirical loss 0.5000").doesNotContain("Rejected rows");
    }

    @Test
    void aDriftStatusThisVersionDoesNotKnowReadsAsNoDriftBlock() throws IOException {
        ObjectNode summary = golden("nightly-samples-2026-11-25.summary.json");
        ((ObjectNode) summary.get("drift")).put("status", "from_the_future");
        assertThat(SummaryJson.fromTree(summary, "newer").drift()).isNull();

        summary.remove("drift");
        RunSummary withoutDrift = SummaryJson.fromTree(summary, "older");
        assertThat(withoutDrift.drift()).isNull();
        assertThat(withoutDrift.objectives()).containsOnlyKeys("bt", "lm", "utility");
    }
}
