package io.alignloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageTest {
    @TempDir
    Path temp;

    @Test
    void countsHitsMissesOnEachSideAndMissingIntervals() {
        Coverage.Tally tally = new Coverage.Tally("t", "truth 1.5", 1.5);
        tally.add(List.of(1.0, 2.0));    // holds 1.5
        tally.add(List.of(1.5, 3.5));    // holds it on its edge
        tally.add(List.of(1.6, 2.0));    // wholly above
        tally.add(List.of(0.0, 1.4));    // wholly below
        tally.add(null);                  // no interval
        Coverage coverage = tally.coverage(0.95);
        assertThat(coverage.replicates()).isEqualTo(5);
        assertThat(coverage.hits()).isEqualTo(2);
        assertThat(coverage.missesHigh()).isEqualTo(1);
        assertThat(coverage.missesLow()).isEqualTo(1);
        assertThat(coverage.missing()).isEqualTo(1);
        assertThat(coverage.rate()).isEqualTo(0.5);
        // widths 1, 2, 0.4, 1.4: median (1 + 1.4) / 2
        assertThat(coverage.medianWidth()).isCloseTo(1.2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(coverage.passes(0.99)).isFalse();
    }

    @Test
    void aTestsAlarmsAreMissesBySignOfTheChange() {
        Coverage.Tally tally = new Coverage.Tally("drift", "0", 0);
        tally.addTest(false, 0.3);
        tally.addTest(true, 0.2);
        tally.addTest(true, -0.1);
        Coverage coverage = tally.coverage(0.95);
        assertThat(Arrays.asList(coverage.hits(), coverage.missesHigh(), coverage.missesLow())).containsExactly(1, 1, 1);
    }

    @Test
    void passesInsideTheBandUnlessEveryMissIsOnOneSide() {
        // R = 200: 181-197 at 99%
        assertThat(coverage(190, 5, 5).passes(0.99)).isTrue();
        assertThat(coverage(180, 10, 10).passes(0.99)).isFalse();
        assertThat(coverage(198, 1, 1).passes(0.99)).isFalse();
        // 10 misses all above: probability 2·0.5^10 ≈ 0.002 under symmetric misses
        assertThat(coverage(190, 10, 0).oneSided(0.99)).isTrue();
        assertThat(coverage(190, 10, 0).passes(0.99)).isFalse();
        // 5 misses on one side happen 6% of the time: not flagged
        assertThat(coverage(195, 0, 5).oneSided(0.99)).isFalse();
        assertThat(new Coverage("none", "", "not run", 0.95, 0, 0, 0, 0, 0, Double.NaN).passes(0.99)).isFalse();
    }

    @Test
    void theJsonReportHoldsEveryTypeWithItsBand() throws Exception {
        CoverageBenchmark.Report report = new CoverageBenchmark.Report("2026-12-01T00:00:00Z", 200, 42, 1.0,
                List.of(coverage(190, 6, 4), new Coverage("shift", "E_ref", "fitting noise left out", 0.95, 50, 44, 3, 3, 0, 0.1)),
                Map.of("preference", 12.5));
        Path file = CoverageBenchmark.write(report, temp);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("replicates").asInt()).isEqualTo(200);
        assertThat(json.get("intervals")).hasSize(2);
        JsonNode first = json.get("intervals").get(0);
        assertThat(first.get("coverage").asDouble()).isEqualTo(0.95);
        assertThat(first.get("misses_above").asInt()).isEqualTo(6);
        assertThat(first.get("band_99").get(0).asInt()).isEqualTo(181);
        assertThat(first.get("band_99").get(1).asInt()).isEqualTo(197);
        assertThat(first.get("passes").asBoolean()).isTrue();
        assertThat(json.get("intervals").get(1).get("note").asText()).isEqualTo("fitting noise left out");
    }

    private static Coverage coverage(int hits, int high, int low) {
        return new Coverage("t", "", "", 0.95, hits + high + low, hits, high, low, 0, 1.0);
    }
}
