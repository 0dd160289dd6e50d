package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A summary record with an open part: figures whose names depend on the objective type or the trainer, written
 * in their own order where the record's {@code @JsonPropertyOrder} names {@code figures} (Jackson inherits the
 * any-getter from this interface), and read back in the file's order by {@link Figures#read}.
 */
public interface OpenFigures {
    /** The open figures, by their summary.json names, in order. */
    @JsonAnyGetter
    Map<String, JsonNode> figures();

    /** An open figure, missing when absent. */
    default JsonNode figure(String name) {
        return Figures.get(figures(), name);
    }
}
