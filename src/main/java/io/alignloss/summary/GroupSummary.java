package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One value of a group column ({@code objectives.<name>.groups.<column>.<value>}): the loss of the rows with that
 * value, {@code share = Σ_g w / Σ w} of the weight, the percentile interval from the objective's bootstrap
 * replicates, and the objective's own figures on those rows ({@link #figures}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"loss", "count", "weight_sum", "stderr", "figures", "share", "ci"})
public record GroupSummary(
        @JsonProperty("loss") Double loss,
        @JsonProperty("count") Long count,
        @JsonProperty("weight_sum") Double weightSum,
        @JsonProperty("stderr") Double stderr,
        @JsonProperty("share") Double share,
        @JsonProperty("ci") List<Double> ci,
        Map<String, JsonNode> figures) {
    public GroupSummary {
        figures = Figures.copy(figures);
    }

    /** Reads the object in order: the typed figures, then the objective's own. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static GroupSummary read(Map<String, JsonNode> json) {
        Figures f = new Figures(json);
        return new GroupSummary(f.take("loss", Double.class), f.take("count", Long.class), f.take("weight_sum", Double.class),
                f.take("stderr", Double.class), f.take("share", Double.class), f.take("ci", Figures.NUMBERS), f.rest());
    }

    /** The objective-specific figures (e.g. {@code accuracy}, {@code joint}), by their summary.json names. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> figures() {
        return figures;
    }

    /** An objective-specific figure, missing when absent. */
    public JsonNode figure(String name) {
        return Figures.get(figures, name);
    }
}
