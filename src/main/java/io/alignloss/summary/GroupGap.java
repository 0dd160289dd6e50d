package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The largest loss gap between the values of one group column with enough rows:
 * {@code max_gap = max_g L_g − min_g L_g}, with its percentile interval and the values at either end.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GroupGap(
        @JsonProperty("max_gap") Double maxGap,
        @JsonProperty("ci") List<Double> ci,
        @JsonProperty("highest") String highest,
        @JsonProperty("lowest") String lowest,
        @JsonProperty("groups_compared") Integer groupsCompared) {
}
