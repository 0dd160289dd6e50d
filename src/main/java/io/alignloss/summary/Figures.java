package io.alignloss.summary;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object of a summary being read into a record: the record takes its typed keys one by one
 * ({@link #take}), and what is left, in the file's order, is the record's open part ({@link #rest}): figures whose
 * names depend on the objective type or the trainer, and keys this version does not know (written back unchanged).
 *
 * <p>The records read through this rather than Jackson's any-setter on a constructor parameter, which collects into
 * a {@code HashMap} and so loses the order in which summary.json lists the figures.
 */
final class Figures {
    /** An interval or another list of numbers. */
    static final TypeReference<List<Double>> NUMBERS = new TypeReference<>() { };

    private final Map<String, JsonNode> fields;

    /** @param json an object's keys in order (Jackson reads a {@code Map} as a {@code LinkedHashMap}); null is empty */
    Figures(Map<String, JsonNode> json) {
        this.fields = json == null ? new LinkedHashMap<>() : new LinkedHashMap<>(json);
    }

    /** The typed value of {@code name}, removed from the rest; null when absent or JSON null. */
    <T> T take(String name, Class<T> type) {
        JsonNode value = fields.remove(name);
        return value == null || value.isNull() ? null : SummaryJson.mapper().convertValue(value, type);
    }

    <T> T take(String name, TypeReference<T> type) {
        JsonNode value = fields.remove(name);
        return value == null || value.isNull() ? null : SummaryJson.mapper().convertValue(value, type);
    }

    /** A block kept as a tree, removed from the rest; null when absent or JSON null. */
    JsonNode tree(String name) {
        JsonNode value = fields.remove(name);
        return value == null || value.isNull() ? null : value;
    }

    /** The keys not taken, in order. */
    Map<String, JsonNode> rest() {
        return copy(fields);
    }

    /** An unmodifiable, insertion-ordered copy; null is empty. */
    static Map<String, JsonNode> copy(Map<String, JsonNode> figures) {
        return figures == null || figures.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** The figure, or a missing node (so that {@code path(...)} chains work on absent figures). */
    static JsonNode get(Map<String, JsonNode> figures, String name) {
        JsonNode figure = figures.get(name);
        return figure == null ? MissingNode.getInstance() : figure;
    }
}
