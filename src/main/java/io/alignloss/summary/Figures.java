package io.alignloss.summary;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open part of a summary record: figures whose names depend on the objective type (or on the trainer), kept as
 * JSON trees under their summary.json names, in order. Read from a file, it also holds keys this version does not
 * know, so that they are written back unchanged.
 */
final class Figures {
    private Figures() {
    }

    /** An unmodifiable, insertion-ordered copy; null is empty. */
    static Map<String, JsonNode> copy(Map<String, JsonNode> figures) {
        return figures == null || figures.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** The figure, or a missing node (so that {@code path(...)} chains work on absent figures). */
    static JsonNode get(Map<String, JsonNode> figures, String name) {
        JsonNode figure = figures.get(name);
        return figure == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : figure;
    }
}
