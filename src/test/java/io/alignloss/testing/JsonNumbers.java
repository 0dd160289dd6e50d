package io.alignloss.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Compares two JSON trees leaf by leaf, arrays included: numbers within a tolerance, every other leaf (text,
 * booleans, nulls) exactly, objects by their key sets, arrays by size and then element by element. Paths are
 * JSON-pointer-like ({@code /objectives/bt/ci/0}); an excluded pattern drops a subtree from the comparison and
 * may use {@code *} for any one segment ({@code /inputs/*}{@code /path}).
 */
public final class JsonNumbers {
    private JsonNumbers() {
    }

    /**
     * Two numbers a, b are equal when {@code |a − b| ≤ max(relative · max(|a|, |b|), absolute)}; non-finite
     * values only when identical.
     */
    public record Tolerance(double relative, double absolute) {
        public Tolerance {
            if (!(relative >= 0 && absolute >= 0)) {
                throw new IllegalArgumentException(format("Invalid tolerance: relative %s, absolute %s (must be >= 0)", relative, absolute));
            }
        }

        public boolean equal(double a, double b) {
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                return Double.compare(a, b) == 0;
            }
            return Math.abs(a - b) <= Math.max(relative * Math.max(Math.abs(a), Math.abs(b)), absolute);
        }
    }

    /** One place where the trees differ: its path and what each side holds there ("(missing)" for an absent key). */
    public record Difference(String path, String expected, String actual) {
        @Override
        public String toString() {
            return format("%s: expected %s, actual %s", path, expected, actual);
        }
    }

    /**
     * A tolerance per subtree: a number at a path takes the tolerance of the first pattern (in insertion order) that
     * matches the path or one of its ancestors ({@code *} matches any one segment), else {@code fallback}.
     */
    public record Tolerances(Tolerance fallback, Map<String, Tolerance> bySubtree) {
        public Tolerances {
            requireNonNull(fallback, "fallback is null");
            bySubtree = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bySubtree));
        }

        public static Tolerances everywhere(Tolerance tolerance) {
            return new Tolerances(tolerance, Map.of());
        }

        /** These tolerances with {@code tolerance} for the subtree at {@code pattern}, ahead of the later ones. */
        public Tolerances with(String pattern, Tolerance tolerance) {
            Map<String, Tolerance> more = new LinkedHashMap<>();
            more.put(pattern, tolerance);
            more.putAll(bySubtree);
            return new Tolerances(fallback, more);
        }

        public Tolerance at(String path) {
            for (Map.Entry<String, Tolerance> entry : bySubtree.entrySet()) {
                if (isWithin(path, entry.getKey())) {
                    return entry.getValue();
                }
            }
            return fallback;
        }
    }

    private static final String MISSING = "(missing)";

    /** Every difference between {@code expected} and {@code actual} outside the excluded paths, in document order. */
    public static List<Difference> differences(JsonNode expected, JsonNode actual, Tolerance tolerance, Set<String> excluded) {
        requireNonNull(tolerance, "tolerance is null");
        return differences(expected, actual, Tolerances.everywhere(tolerance), excluded);
    }

    /** As {@link #differences(JsonNode, JsonNode, Tolerance, Set)}, each number compared with the tolerance of its subtree. */
    public static List<Difference> differences(JsonNode expected, JsonNode actual, Tolerances tolerances, Set<String> excluded) {
        requireNonNull(tolerances, "tolerances is null");
        List<Difference> found = new ArrayList<>();
        compare("", expected, actual, tolerances, List.copyOf(excluded), found);
        return found;
    }

    /** A copy of {@code node} without the excluded subtrees (what a golden file stores). */
    public static JsonNode without(JsonNode node, Set<String> excluded) {
        return copy("", node, List.copyOf(excluded));
    }

    private static JsonNode copy(String path, JsonNode node, List<String> excluded) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                String child = path + "/" + key;
                if (!isExcluded(child, excluded)) {
                    copy.set(key, copy(child, node.get(key), excluded));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                String child = path + "/" + i;
                if (!isExcluded(child, excluded)) {
                    copy.add(copy(child, node.get(i), excluded));
                }
            }
            return copy;
        }
        return node.deepCopy();
    }

    /** The paths of every number in {@code node} outside the excluded paths (what a comparison checks to tolerance). */
    public static List<String> numberPaths(JsonNode node, Set<String> excluded) {
        List<String> paths = new ArrayList<>();
        collect("", node, List.copyOf(excluded), paths);
        return paths;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, Tolerances tolerances, List<String> excluded,
            List<Difference> found) {
        if (isExcluded(path, excluded)) {
            return;
        }
        if (expected.isNumber() && actual.isNumber()) {
            if (!tolerances.at(path).equal(expected.doubleValue(), actual.doubleValue())) {
                found.add(new Difference(path, expected.toString(), actual.toString()));
            }
        }
        else if (expected.isObject() && actual.isObject()) {
            Set<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                String child = path + "/" + key;
                if (!actual.has(key)) {
                    if (!isExcluded(child, excluded)) {
                        found.add(new Difference(child, brief(expected.get(key)), MISSING));
                    }
                    continue;
                }
                compare(child, expected.get(key), actual.get(key), tolerances, excluded, found);
            }
            actualKeys.removeAll(keys);
            for (String key : actualKeys) {
                String child = path + "/" + key;
                if (!isExcluded(child, excluded)) {
                    found.add(new Difference(child, MISSING, brief(actual.get(key))));
                }
            }
        }
        else if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                found.add(new Difference(path, "array of " + expected.size(), "array of " + actual.size()));
            }
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                compare(path + "/" + i, expected.get(i), actual.get(i), tolerances, excluded, found);
            }
        }
        else if (!expected.equals(actual)) {
            // null vs number, text vs text, a type change: leaves other than two numbers must be identical
            found.add(new Difference(path, brief(expected), brief(actual)));
        }
    }

    private static void collect(String path, JsonNode node, List<String> excluded, List<String> into) {
        if (isExcluded(path, excluded)) {
            return;
        }
        if (node.isNumber()) {
            into.add(path);
        }
        else if (node.isObject()) {
            node.fieldNames().forEachRemaining(key -> collect(path + "/" + key, node.get(key), excluded, into));
        }
        else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(path + "/" + i, node.get(i), excluded, into);
            }
        }
    }

    private static String brief(JsonNode node) {
        if (node.isContainerNode()) {
            return (node.isArray() ? "array of " : "object of ") + node.size();
        }
        return node.toString();
    }

    /** Whether a pattern matches the path segment by segment ({@code *} matches any one segment). */
    static boolean isExcluded(String path, List<String> excluded) {
        String[] segments = path.split("/", -1);
        for (String pattern : excluded) {
            String[] parts = pattern.split("/", -1);
            if (parts.length == segments.length && matchesLeading(segments, parts)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the path is the pattern's path or lies below it (the pattern matches its leading segments). */
    static boolean isWithin(String path, String pattern) {
        String[] segments = path.split("/", -1);
        String[] parts = pattern.split("/", -1);
        return parts.length <= segments.length && matchesLeading(segments, parts);
    }

    private static boolean matchesLeading(String[] segments, String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].equals("*") && !parts[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }
}
