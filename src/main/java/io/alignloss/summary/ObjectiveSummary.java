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
 * One objective's figures ({@code objectives.<name>}): the weighted mean loss {@code L̂ = Σ w·ℓ / Σ w} over
 * {@code count} rows of weight {@code weight_sum}, its standard error, the bootstrap percentile interval {@code ci}
 * at {@code confidence} from {@code bootstrap} replicates that resample {@code clusters} clusters of
 * {@code ci_cluster}, the loss per group value and the largest gap per group column, and the diagnostics a run
 * adds: {@code target} (reweighting), {@code curve}, {@code shift} (covariate shift), {@code policy},
 * {@code biases}.
 *
 * <p>The figures every evaluation writes are always written, null when undefined; the diagnostics only when the
 * run computed them. What depends on the objective type ({@code accuracy}, {@code joint}, {@code ips}, …) is in
 * {@link #figures}. {@code target}, {@code shift}, {@code policy} and {@code biases} are kept as JSON trees: each
 * is made and read in one place (diagnostics, report), and their inner keys vary with the settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"type", "input", "description", "loss", "count", "weight_sum", "stderr", "figures", "ci", "confidence",
        "bootstrap", "ci_cluster", "clusters", "groups", "group_gaps", "target", "curve", "shift", "policy_mean_utility", "policy",
        "biases"})
public record ObjectiveSummary(
        @JsonInclude(JsonInclude.Include.ALWAYS) String type,
        @JsonInclude(JsonInclude.Include.ALWAYS) String input,
        @JsonInclude(JsonInclude.Include.ALWAYS) String description,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double loss,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long count,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double weightSum,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double stderr,
        @JsonInclude(JsonInclude.Include.ALWAYS) List<Double> ci,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double confidence,
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer bootstrap,
        @JsonInclude(JsonInclude.Include.ALWAYS) String ciCluster,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long clusters,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Map<String, GroupSummary>> groups,
        @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, GroupGap> groupGaps,
        JsonNode target,
        List<CurvePoint> curve,
        JsonNode shift,
        Double policyMeanUtility,
        JsonNode policy,
        JsonNode biases,
        Map<String, JsonNode> figures) implements OpenFigures {
    public ObjectiveSummary {
        figures = Figures.copy(figures);
    }

    /** Reads the object in order: the typed figures, then the objective's own (and unknown keys) in the file's order. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ObjectiveSummary read(Map<String, JsonNode> json) {
        return Figures.read(ObjectiveSummary.class, json);
    }

    /** The groups, empty when absent (an older summary, a validate run). */
    public Map<String, Map<String, GroupSummary>> groupsOrEmpty() {
        return groups == null ? Map.of() : groups;
    }

    /** The learning curve, empty without bootstrap. */
    public List<CurvePoint> curveOrEmpty() {
        return curve == null ? List.of() : curve;
    }

    /** The confidence of the intervals; 0.95 when absent. */
    public double confidenceOrDefault() {
        return confidence == null ? 0.95 : confidence;
    }
}
