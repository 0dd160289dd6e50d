package io.alignloss.summary;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one JSON object of a summary into a record whose last component is its open part: each other component
 * takes the key that is the snake case of its name (as {@code @JsonNaming(SnakeCaseStrategy)} writes it), typed as
 * the component; what is left, in the file's order, becomes the last component: figures whose names depend on the
 * objective type or the trainer, and keys this version does not know (written back unchanged).
 *
 * <p>The records read through this rather than Jackson's any-setter on a constructor parameter, which collects into
 * a {@code HashMap} and so loses the order in which summary.json lists the figures.
 */
final class Figures {
    /** The key names {@code @JsonNaming(SnakeCaseStrategy)} writes: {@code weightSum} → {@code weight_sum}. */
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private Figures() {
    }

    /**
     * The record {@code type} from an object's keys in order (Jackson reads a {@code Map} as a {@code LinkedHashMap});
     * null is empty. A key absent or JSON null gives a null component.
     */
    static <R extends Record> R read(Class<R> type, Map<String, JsonNode> json) {
        Map<String, JsonNode> fields = json == null ? new LinkedHashMap<>() : new LinkedHashMap<>(json);
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length - 1; i++) {
            JsonNode value = fields.remove(SNAKE_CASE.translate(components[i].getName()));
            JavaType javaType = SummaryJson.mapper().getTypeFactory().constructType(components[i].getGenericType());
            values[i] = value == null || value.isNull() ? null : SummaryJson.mapper().convertValue(value, javaType);
        }
        if (components.length == 0 || components[components.length - 1].getType() != Map.class) {
            throw new IllegalStateException(type.getSimpleName() + " has no open part as its last component");
        }
        values[components.length - 1] = fields;
        try {
            return type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
                    .newInstance(values);
        }
        catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalArgumentException(e.getCause());
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
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
