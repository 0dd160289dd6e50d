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
 * One point of the estimator learning curve: the loss on the nested subsample holding {@code fraction} of the
 * buckets ({@code n} rows) with its normal interval; with a target population also {@code reweighted_loss}
 * (kept in {@link #figures}: it is absent without a target and null when undefined).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"fraction", "n", "loss", "ci"})
public record CurvePoint(Double fraction, Long n, Double loss, List<Double> ci, Map<String, JsonNode> figures)
        implements OpenFigures {
    public CurvePoint {
        figures = Figures.copy(figures);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CurvePoint read(Map<String, JsonNode> json) {
        return Figures.read(CurvePoint.class, json);
    }
}
