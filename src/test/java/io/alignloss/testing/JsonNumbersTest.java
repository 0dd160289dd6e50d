package io.alignloss.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonNumbersTest {
    private static final JsonNumbers.Tolerance TOLERANCE = new JsonNumbers.Tolerance(1e-12, 1e-15);
    private static final String BASE = """
            {"loss": 0.5, "count": 200, "ci": [0.25, 0.75], "stderr": 0.01, "name": "bt",
             "groups": {"en": {"ci": [0.1, 0.2], "loss": null}}, "run": {"seconds": 1.5}}""";

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static List<JsonNumbers.Difference> against(String actual) throws Exception {
        return JsonNumbers.differences(json(BASE), json(actual), TOLERANCE, Set.of());
    }

    @Test
    void identicalTreesHaveNoDifference() throws Exception {
        assertThat(against(BASE)).isEmpty();
        // 200 and 200.0 are the same number
        assertThat(against(BASE.replace("200", "200.0"))).isEmpty();
    }

    @Test
    void aDifferenceInsideAnArrayIsFoundWithItsIndex() throws Exception {
        List<JsonNumbers.Difference> found = against(BASE.replace("[0.1, 0.2]", "[0.1, 0.2000001]"));
        assertThat(found).extracting(JsonNumbers.Difference::path).containsExactly("/groups/en/ci/1");
        assertThat(found.get(0).expected()).isEqualTo("0.2");
        assertThat(found.get(0).actual()).isEqualTo("0.2000001");
    }

    @Test
    void arraysOfAnotherSizeDiffer() throws Exception {
        assertThat(against(BASE.replace("[0.25, 0.75]", "[0.25, 0.75, 1.0]")))
                .containsExactly(new JsonNumbers.Difference("/ci", "array of 2", "array of 3"));
    }

    @Test
    void aMissingOrExtraKeyIsADifference() throws Exception {
        assertThat(against(BASE.replace("\"stderr\": 0.01, ", "")))
                .containsExactly(new JsonNumbers.Difference("/stderr", "0.01", "(missing)"));
        assertThat(against(BASE.replace("\"stderr\": 0.01, ", "\"stderr\": 0.01, \"extra\": 1, ")))
                .containsExactly(new JsonNumbers.Difference("/extra", "(missing)", "1"));
    }

    @Test
    void nullAgainstANumberIsADifferenceBothWays() throws Exception {
        assertThat(against(BASE.replace("\"loss\": null", "\"loss\": 0.3")))
                .containsExactly(new JsonNumbers.Difference("/groups/en/loss", "null", "0.3"));
        assertThat(against(BASE.replace("\"loss\": 0.5", "\"loss\": null")))
                .containsExactly(new JsonNumbers.Difference("/loss", "0.5", "null"));
    }

    @Test
    void textAndOtherLeavesMustBeIdentical() throws Exception {
        assertThat(against(BASE.replace("\"bt\"", "\"lm\""))).extracting(JsonNumbers.Difference::path).containsExactly("/name");
    }

    @Test
    void numbersCompareRelativelyWithAnAbsoluteFloor() {
        // 0.5 ± 1e-13 is inside 1e-12 relative (5e-13); ± 1e-12 is outside
        assertThat(TOLERANCE.equal(0.5, 0.5 + 1e-13)).isTrue();
        assertThat(TOLERANCE.equal(0.5, 0.5 + 1e-12)).isFalse();
        // near zero the floor decides: 1e-16 vs 0 is equal, 1e-14 vs 0 is not
        assertThat(TOLERANCE.equal(0.0, 1e-16)).isTrue();
        assertThat(TOLERANCE.equal(0.0, 1e-14)).isFalse();
        assertThat(TOLERANCE.equal(-1e-16, 1e-16)).isTrue();
        // relative to the larger magnitude, so the comparison is symmetric
        assertThat(TOLERANCE.equal(1e6, 1e6 * (1 + 9e-13))).isTrue();
        assertThat(TOLERANCE.equal(1e6 * (1 + 9e-13), 1e6)).isTrue();
        assertThat(TOLERANCE.equal(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
        assertThat(TOLERANCE.equal(Double.POSITIVE_INFINITY, Double.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> new JsonNumbers.Tolerance(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid tolerance: relative -1.0, absolute 0.0 (must be >= 0)");
    }

    @Test
    void excludedPathsAndWildcardSegmentsAreSkipped() throws Exception {
        JsonNode actual = json(BASE.replace("\"seconds\": 1.5", "\"seconds\": 9.5").replace("[0.1, 0.2]", "[0.1, 0.3]"));
        assertThat(JsonNumbers.differences(json(BASE), actual, TOLERANCE, Set.of("/run", "/groups/*/ci")))
                .isEmpty();
        assertThat(JsonNumbers.differences(json(BASE), actual, TOLERANCE, Set.of("/run")))
                .extracting(JsonNumbers.Difference::path).containsExactly("/groups/en/ci/1");
        // an excluded key may also be missing on one side
        assertThat(JsonNumbers.differences(json(BASE), json(BASE.replace(", \"run\": {\"seconds\": 1.5}", "")), TOLERANCE,
                Set.of("/run"))).isEmpty();
    }

    @Test
    void numberPathsListEveryNumberIncludingArrayElements() throws Exception {
        assertThat(JsonNumbers.numberPaths(json(BASE), Set.of("/run")))
                .containsExactly("/loss", "/count", "/ci/0", "/ci/1", "/stderr", "/groups/en/ci/0", "/groups/en/ci/1");
    }

    @Test
    void aSubtreeCanHaveItsOwnTolerance() throws Exception {
        JsonNumbers.Tolerances tolerances = JsonNumbers.Tolerances.everywhere(TOLERANCE)
                .with("/groups/*/ci", new JsonNumbers.Tolerance(1e-3, 0));
        JsonNode actual = json(BASE.replace("[0.1, 0.2]", "[0.1, 0.20001]").replace("0.01", "0.0100001"));
        // 5e-5 relative inside the subtree passes; 1e-5 relative elsewhere is still reported
        assertThat(JsonNumbers.differences(json(BASE), actual, tolerances, Set.of()))
                .containsExactly(new JsonNumbers.Difference("/stderr", "0.01", "0.0100001"));
        assertThat(tolerances.at("/groups/en/ci/1").relative()).isEqualTo(1e-3);
        assertThat(tolerances.at("/groups/en/loss")).isEqualTo(TOLERANCE);
        // the pattern added last is asked first
        assertThat(tolerances.with("/groups", TOLERANCE).at("/groups/en/ci/1")).isEqualTo(TOLERANCE);
    }

    @Test
    void withoutDropsTheExcludedSubtreesAndKeepsTheRest() throws Exception {
        JsonNode original = json(BASE);
        JsonNode kept = JsonNumbers.without(original, Set.of("/run", "/groups/*/ci"));
        assertThat(kept.toString()).isEqualTo(
                "{\"loss\":0.5,\"count\":200,\"ci\":[0.25,0.75],\"stderr\":0.01,\"name\":\"bt\",\"groups\":{\"en\":{\"loss\":null}}}");
        // the original is untouched
        assertThat(original).isEqualTo(json(BASE));
    }
}
