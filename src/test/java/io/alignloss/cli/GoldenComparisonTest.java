package io.alignloss.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alignloss.testing.GoldenFiles;
import io.alignloss.testing.JsonNumbers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden test can fail: the committed {@code golden/samples.summary.json}, changed in each way a refactoring
 * could change it, is compared with the original under {@link GoldenSummaryTest}'s tolerances and exclusions, and
 * every change is reported with its JSON path and both values.
 */
class GoldenComparisonTest {
    private static final String NAME = "samples.summary.json";

    private static JsonNode golden() throws Exception {
        return GoldenFiles.read(GoldenFiles.FOLDER.resolve(NAME));
    }

    private static List<String> evaluated(JsonNode changed) throws Exception {
        return GoldenFiles.differences(NAME, golden(), changed, GoldenSummaryTest.EVALUATED, GoldenSummaryTest.VOLATILE);
    }

    private static ObjectNode bt(JsonNode summary) {
        return (ObjectNode) summary.get("objectives").get("bt");
    }

    @Test
    void theGoldenFileEqualsItself() throws Exception {
        assertThat(evaluated(golden())).isEmpty();
        assertThat(JsonNumbers.numberPaths(golden(), GoldenSummaryTest.VOLATILE)).hasSizeGreaterThan(300);
    }

    @Test
    void aNumberChangedByOnePartInABillionIsReportedWithItsPathAndBothValues() throws Exception {
        JsonNode changed = golden();
        double loss = bt(changed).get("loss").asDouble();
        bt(changed).put("loss", loss * (1 + 1e-9));
        assertThat(evaluated(changed)).containsExactly(
                NAME + " /objectives/bt/loss: expected " + loss + ", actual " + loss * (1 + 1e-9));
        // one part in 10^13 is rounding, inside the 1e-12 relative tolerance
        bt(changed).put("loss", loss * (1 + 1e-13));
        assertThat(evaluated(changed)).isEmpty();
    }

    @Test
    void aChangedArrayElementIsReportedWithItsIndex() throws Exception {
        JsonNode changed = golden();
        ArrayNode ci = (ArrayNode) bt(changed).get("ci");
        double upper = ci.get(1).asDouble();
        ci.set(1, upper * (1 + 1e-9));
        assertThat(evaluated(changed)).containsExactly(
                NAME + " /objectives/bt/ci/1: expected " + upper + ", actual " + upper * (1 + 1e-9));
        ci.add(1.0);
        assertThat(evaluated(changed)).contains(NAME + " /objectives/bt/ci: expected array of 2, actual array of 3");
    }

    @Test
    void aMissingAndAnExtraKeyAreReported() throws Exception {
        JsonNode changed = golden();
        String stderr = bt(changed).get("stderr").toString();
        bt(changed).remove("stderr");
        assertThat(evaluated(changed)).containsExactly(NAME + " /objectives/bt/stderr: expected " + stderr + ", actual (missing)");
        changed = golden();
        bt(changed).put("median_margin", 1.0);
        assertThat(evaluated(changed)).containsExactly(NAME + " /objectives/bt/median_margin: expected (missing), actual 1.0");
    }

    @Test
    void aNullInPlaceOfANumberIsReportedBothWays() throws Exception {
        JsonNode changed = golden();
        String accuracy = bt(changed).get("accuracy").toString();
        bt(changed).putNull("accuracy");
        assertThat(evaluated(changed)).containsExactly(NAME + " /objectives/bt/accuracy: expected " + accuracy + ", actual null");
        assertThat(GoldenFiles.differences(NAME, changed, golden(), GoldenSummaryTest.EVALUATED, GoldenSummaryTest.VOLATILE))
                .containsExactly(NAME + " /objectives/bt/accuracy: expected null, actual " + accuracy);
    }

    @Test
    void timingsVersionsAndTheRunBlockAreNotCompared() throws Exception {
        ObjectNode changed = (ObjectNode) golden();
        changed.put("seconds", 12.5).put("started", "2026-12-01T18:00:00Z").put("spark_version", "9.9.9");
        changed.putObject("run").put("id", "other");
        assertThat(evaluated(changed)).isEmpty();
        // but a changed path is a difference: paths are compared, with the machine's folders as placeholders
        ((ObjectNode) changed.get("config").get("inputs").get("prefs")).put("path", "data-samples/other.parquet");
        assertThat(evaluated(changed)).containsExactly(NAME
                + " /config/inputs/prefs/path: expected \"data-samples/preferences.parquet\", actual \"data-samples/other.parquet\"");
    }

    @Test
    void trainedRunsAllowOnePartInAMillion() throws Exception {
        JsonNode changed = golden();
        double loss = bt(changed).get("loss").asDouble();
        bt(changed).put("loss", loss * (1 + 1e-7));
        assertThat(GoldenFiles.differences(NAME, golden(), changed, GoldenSummaryTest.TRAINED, GoldenSummaryTest.VOLATILE)).isEmpty();
        bt(changed).put("loss", loss * (1 + 1e-5));
        assertThat(GoldenFiles.differences(NAME, golden(), changed, GoldenSummaryTest.TRAINED, GoldenSummaryTest.VOLATILE))
                .containsExactly(NAME + " /objectives/bt/loss: expected " + loss + ", actual " + loss * (1 + 1e-5));
    }

    @Test
    void everyConfigIsRunAndEveryRunHasItsGoldenFiles() throws Exception {
        List<String> configured;
        try (Stream<Path> files = Files.list(Path.of("conf"))) {
            configured = files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".conf")).sorted().toList();
        }
        List<String> run = GoldenSummaryTest.RUNS.stream().flatMap(r -> r.args().stream())
                .filter(arg -> arg.startsWith("conf/")).map(arg -> arg.substring("conf/".length())).distinct().sorted().toList();
        assertThat(run).isEqualTo(configured);
        for (GoldenSummaryTest.Run r : GoldenSummaryTest.RUNS) {
            String stem = r.published() == GoldenSummaryTest.Published.LEADERBOARD ? "leaderboard.json" : r.name() + ".summary.json";
            assertThat(GoldenFiles.FOLDER.resolve(stem)).exists();
            if (r.trained()) {
                assertThat(GoldenFiles.FOLDER.resolve(r.name() + ".model.json")).exists();
            }
        }
    }
}
