package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

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
@JsonPropertyOrder({"type", "input", "description", "loss", "count", "weight_sum", "stderr", "figures", "ci", "confidence",
        "bootstrap", "ci_cluster", "clusters", "groups", "group_gaps", "target", "curve", "shift", "policy_mean_utility", "policy",
        "biases"})
public record ObjectiveSummary(
        @JsonProperty("type") @JsonInclude(JsonInclude.Include.ALWAYS) String type,
        @JsonProperty("input") @JsonInclude(JsonInclude.Include.ALWAYS) String input,
        @JsonProperty("description") @JsonInclude(JsonInclude.Include.ALWAYS) String description,
        @JsonProperty("loss") @JsonInclude(JsonInclude.Include.ALWAYS) Double loss,
        @JsonProperty("count") @JsonInclude(JsonInclude.Include.ALWAYS) Long count,
        @JsonProperty("weight_sum") @JsonInclude(JsonInclude.Include.ALWAYS) Double weightSum,
        @JsonProperty("stderr") @JsonInclude(JsonInclude.Include.ALWAYS) Double stderr,
        @JsonProperty("ci") @JsonInclude(JsonInclude.Include.ALWAYS) List<Double> ci,
        @JsonProperty("confidence") @JsonInclude(JsonInclude.Include.ALWAYS) Double confidence,
        @JsonProperty("bootstrap") @JsonInclude(JsonInclude.Include.ALWAYS) Integer bootstrap,
        @JsonProperty("ci_cluster") @JsonInclude(JsonInclude.Include.ALWAYS) String ciCluster,
        @JsonProperty("clusters") @JsonInclude(JsonInclude.Include.ALWAYS) Long clusters,
        @JsonProperty("groups") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Map<String, GroupSummary>> groups,
        @JsonProperty("group_gaps") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, GroupGap> groupGaps,
        @JsonProperty("target") JsonNode target,
        @JsonProperty("curve") List<CurvePoint> curve,
        @JsonProperty("shift") JsonNode shift,
        @JsonProperty("policy_mean_utility") Double policyMeanUtility,
        @JsonProperty("policy") JsonNode policy,
        @JsonProperty("biases") JsonNode biases,
        Map<String, JsonNode> figures) {
    private static final TypeReference<Map<String, Map<String, GroupSummary>>> GROUPS = new TypeReference<>() { };
    private static final TypeReference<Map<String, GroupGap>> GAPS = new TypeReference<>() { };
    private static final TypeReference<List<CurvePoint>> CURVE = new TypeReference<>() { };

    public ObjectiveSummary {
        figures = Figures.copy(figures);
    }

    /** Reads the object in order: the typed figures, then the objective's own (and unknown keys) in the file's order. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ObjectiveSummary read(Map<String, JsonNode> json) {
        Figures f = new Figures(json);
        return new ObjectiveSummary(f.take("type", String.class), f.take("input", String.class), f.take("description", String.class),
                f.take("loss", Double.class), f.take("count", Long.class), f.take("weight_sum", Double.class),
                f.take("stderr", Double.class), f.take("ci", Figures.NUMBERS), f.take("confidence", Double.class),
                f.take("bootstrap", Integer.class), f.take("ci_cluster", String.class), f.take("clusters", Long.class),
                f.take("groups", GROUPS), f.take("group_gaps", GAPS), f.tree("target"), f.take("curve", CURVE), f.tree("shift"),
                f.take("policy_mean_utility", Double.class), f.tree("policy"), f.tree("biases"), f.rest());
    }

    /** The objective-specific figures, by their summary.json names (written after {@code stderr}, as they always were). */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> figures() {
        return figures;
    }

    /** An objective-specific figure, missing when absent. */
    public JsonNode figure(String name) {
        return Figures.get(figures, name);
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
