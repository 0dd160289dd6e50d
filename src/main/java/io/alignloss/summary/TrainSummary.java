package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The {@code train} block of a train run: the objective it fitted, the kind of model ({@code policy},
 * {@code language-model}; absent for a reward model), the optimiser, and the trainer's own figures (iterations,
 * history, splits, rounds, …) in {@link #figures}, which differ by trainer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"objective", "model_kind", "optimizer"})
public record TrainSummary(
        @JsonProperty("objective") String objective,
        @JsonProperty("model_kind") String modelKind,
        @JsonProperty("optimizer") String optimizer,
        @JsonAnySetter Map<String, JsonNode> figures) {
    public TrainSummary {
        figures = Figures.copy(figures);
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
