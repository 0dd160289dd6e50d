package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * The largest loss gap between the values of one group column with enough rows:
 * {@code max_gap = max_g L_g − min_g L_g}, with its percentile interval and the values at either end.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GroupGap(
        Double maxGap,
        List<Double> ci,
        String highest,
        String lowest,
        Integer groupsCompared) {
}
