package io.alignloss.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Golden JSON files under {@code src/test/resources/golden}: a run's document with its volatile subtrees removed
 * ({@link JsonNumbers#without}), compared with {@link JsonNumbers#differences} on later runs. With
 * {@code -Dalignloss.golden.update=true} the files are rewritten instead of compared.
 */
public final class GoldenFiles {
    /** The system property that turns comparing into rewriting. */
    public static final String UPDATE = "alignloss.golden.update";
    public static final Path FOLDER = Path.of("src/test/resources/golden");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GoldenFiles() {
    }

    public static boolean updating() {
        return Boolean.getBoolean(UPDATE);
    }

    /**
     * Compares {@code actual} with the golden file {@code name} (or rewrites the file when {@link #updating()}):
     * every difference as {@code "<name> <json path>: expected <golden value>, actual <value>"}; a missing file is
     * one failure that says how to write it.
     */
    public static List<String> check(String name, JsonNode actual, JsonNumbers.Tolerances tolerances, Set<String> excluded)
            throws IOException {
        Path golden = FOLDER.resolve(name);
        if (updating()) {
            Files.createDirectories(FOLDER);
            Files.writeString(golden, MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(JsonNumbers.without(actual, excluded)) + "\n");
            return List.of();
        }
        if (!Files.exists(golden)) {
            return List.of(golden + " is missing: run the test with -D" + UPDATE + "=true to write it");
        }
        return differences(name, MAPPER.readTree(golden.toFile()), actual, tolerances, excluded);
    }

    /** The differences of {@code actual} from the golden tree, each prefixed with the golden file's name. */
    public static List<String> differences(String name, JsonNode golden, JsonNode actual, JsonNumbers.Tolerances tolerances,
            Set<String> excluded) {
        return JsonNumbers.differences(golden, actual, tolerances, excluded).stream().map(difference -> name + " " + difference).toList();
    }

    /**
     * A copy of {@code node} in which every text value has each {@code placeholders} key (a machine path, say)
     * replaced by its value, so that a golden file holds {@code {runs}/samples} where the run wrote {@code /tmp/…/samples}.
     */
    public static JsonNode withPlaceholders(JsonNode node, Map<String, String> placeholders) {
        if (node.isTextual()) {
            String text = node.asText();
            for (Map.Entry<String, String> entry : placeholders.entrySet()) {
                text = text.replace(entry.getKey(), entry.getValue());
            }
            return TextNode.valueOf(text);
        }
        if (node.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), withPlaceholders(field.getValue(), placeholders)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            node.forEach(element -> copy.add(withPlaceholders(element, placeholders)));
            return copy;
        }
        return node.deepCopy();
    }

    public static JsonNode read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + " was not written");
        }
        return MAPPER.readTree(file.toFile());
    }
}
