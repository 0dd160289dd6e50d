package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * The {@code train} block of a train run: the objective it fitted, the kind of model ({@code policy},
 * {@code language-model}; absent for a reward model), and the trainer's own figures in {@link #figures}: optimiser,
 * iterations, history, splits, rounds, …, which differ by trainer (each trainer writes its block as a map, in its own
 * order, and some figures are null when present, e.g. {@code init_model}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"objective", "model_kind", "figures"})
public record TrainSummary(String objective, String modelKind, Map<String, JsonNode> figures) implements OpenFigures {
    public TrainSummary {
        figures = Figures.copy(figures);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TrainSummary read(Map<String, JsonNode> json) {
        return Figures.read(TrainSummary.class, json);
    }
}
