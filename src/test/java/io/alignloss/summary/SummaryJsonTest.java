package io.alignloss.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** summary.json read into {@link RunSummary} and written back loses nothing, and older files still read. */
class SummaryJsonTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** Numbers equal by value (a long read back as an int, 3.0 written for 3); everything else by {@code equals}. */
    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static List<Path> goldenSummaries() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".summary.json")).sorted().toList();
        }
    }

    /** The first JSON path where the trees differ (numbers by value), empty when none. */
    static String difference(String path, JsonNode expected, JsonNode actual) {
        if (expected.isObject() && actual.isObject()) {
            for (String name : (Iterable<String>) expected::fieldNames) {
                if (!actual.has(name)) {
                    return path + "/" + name + " lost";
                }
                String inner = difference(path + "/" + name, expected.get(name), actual.get(name));
                if (!inner.isEmpty()) {
                    return inner;
                }
            }
            for (String name : (Iterable<String>) actual::fieldNames) {
                if (!expected.has(name)) {
                    return path + "/" + name + " added: " + actual.get(name);
                }
            }
            return "";
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String inner = difference(path + "/" + i, expected.get(i), actual.get(i));
                if (!inner.isEmpty()) {
                    return inner;
                }
            }
            return "";
        }
        return NUMBERS_BY_VALUE.compare(expected, actual) == 0 ? "" : path + ": " + expected + " became " + actual;
    }

    @Test
    void everyGoldenSummaryReadsAndWritesBackTheSameTree() throws IOException {
        List<Path> files = goldenSummaries();
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path file : files) {
            JsonNode original = SummaryJson.mapper().readTree(file.toFile());
            RunSummary summary = SummaryJson.read(file);
            JsonNode written = SummaryJson.mapper().readTree(SummaryJson.render(summary));
            assertThat(difference("", original, written)).as("%s written back", file).isEmpty();
            assertThat(written.equals(NUMBERS_BY_VALUE, original)).isTrue();
            assertThat(orderDifference("", original, written)).as("%s key order", file).isEmpty();
        }
    }

    /** The first object whose keys come in another order (today's order is kept, though no reader depends on it). */
    static String orderDifference(String path, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            List<String> names = new java.util.ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new java.util.ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            if (!names.equals(actualNames)) {
                return path + ": " + names + " became " + actualNames;
            }
            for (String name : names) {
                String inner = orderDifference(path + "/" + name, expected.get(name), actual.get(name));
                if (!inner.isEmpty()) {
                    return inner;
                }
            }
        }
        if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                String inner = orderDifference(path + "/" + i, expected.get(i), actual.get(i));
                if (!inner.isEmpty()) {
                    return inner;
                }
            }
        }
        return "";
    }

    @Test
    void theComparisonSeesALostKeyAndAChangedNumber() throws IOException {
        JsonNode original = SummaryJson.mapper().readTree(GOLDEN.resolve("samples.summary.json").toFile());
        ObjectNode lost = original.deepCopy();
        ((ObjectNode) lost.path("objectives").path("bt")).remove("accuracy");
        ObjectNode changed = original.deepCopy();
        ((ObjectNode) changed.path("objectives").path("bt")).put("loss", Math.nextUp(original.path("objectives").path("bt").path("loss").asDouble()));
        ObjectNode widened = original.deepCopy();
        ((ObjectNode) widened.path("objectives").path("bt")).put("count", original.path("objectives").path("bt").path("count").asDouble());

        assertThat(lost.equals(NUMBERS_BY_VALUE, original)).isFalse();
        assertThat(changed.equals(NUMBERS_BY_VALUE, original)).isFalse();
        assertThat(widened.equals(NUMBERS_BY_VALUE, original)).isTrue();
    }
}
