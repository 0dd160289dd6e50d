package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The {@code train} block of a train run: the objective it fitted, the kind of model ({@code policy},
 * {@code language-model}; absent for a reward model), and the trainer's own figures in {@link #figures}: optimiser,
 * iterations, history, splits, rounds, …, which differ by trainer (each trainer writes its block as a map, in its own
 * order, and some figures are null when present, e.g. {@code init_model}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"objective", "model_kind", "figures"})
public record TrainSummary(
        @JsonProperty("objective") String objective,
        @JsonProperty("model_kind") String modelKind,
        Map<String, JsonNode> figures) {
    public TrainSummary {
        figures = Figures.copy(figures);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TrainSummary read(Map<String, JsonNode> json) {
        Figures f = new Figures(json);
        return new TrainSummary(f.take("objective", String.class), f.take("model_kind", String.class), f.rest());
    }

    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> figures() {
        return figures;
    }

    /** A trainer figure, missing when absent. */
    public JsonNode figure(String name) {
        return Figures.get(figures, name);
    }
}
