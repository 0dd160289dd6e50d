package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * One value of a group column ({@code objectives.<name>.groups.<column>.<value>}): the loss of the rows with that
 * value, {@code share = Σ_g w / Σ w} of the weight, the percentile interval from the objective's bootstrap
 * replicates, and the objective's own figures on those rows ({@link #figures}, e.g. {@code accuracy},
 * {@code joint}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"loss", "count", "weight_sum", "stderr", "figures", "share", "ci"})
public record GroupSummary(Double loss, Long count, Double weightSum, Double stderr, Double share, List<Double> ci,
        Map<String, JsonNode> figures) implements OpenFigures {
    public GroupSummary {
        figures = Figures.copy(figures);
    }

    /** Reads the object in order: the typed figures, then the objective's own. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static GroupSummary read(Map<String, JsonNode> json) {
        return Figures.read(GroupSummary.class, json);
    }
}
