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
 * One point of the estimator learning curve: the loss on the nested subsample holding {@code fraction} of the
 * buckets ({@code n} rows) with its normal interval; with a target population also {@code reweighted_loss}
 * (kept in {@link #figures}: it is absent without a target and null when undefined).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"fraction", "n", "loss", "ci"})
public record CurvePoint(
        @JsonProperty("fraction") Double fraction,
        @JsonProperty("n") Long n,
        @JsonProperty("loss") Double loss,
        @JsonProperty("ci") List<Double> ci,
        Map<String, JsonNode> figures) {
    public CurvePoint {
        figures = Figures.copy(figures);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static CurvePoint read(Map<String, JsonNode> json) {
        Figures f = new Figures(json);
        return new CurvePoint(f.take("fraction", Double.class), f.take("n", Long.class), f.take("loss", Double.class),
                f.take("ci", Figures.NUMBERS), f.rest());
    }

    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> figures() {
        return figures;
    }
}
