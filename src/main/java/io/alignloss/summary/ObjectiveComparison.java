package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * One objective in {@code compare.json}: its type, the cluster column the bootstrap resamples ({@code ci_cluster},
 * as run a's summary names it), how the rows paired ({@code matched} ids in both runs, {@code only_in_a},
 * {@code only_in_b}, {@code incomplete}: matched rows left out because a loss, weight or denominator is null), the
 * paired comparison {@code overall} and per group column and value, and {@code regression}: whether the lower bound of
 * the overall interval exceeds {@code --max-regression} (null without that option or without an interval).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ObjectiveComparison(String type, String ciCluster, long matched, long onlyInA, long onlyInB, long incomplete,
        PairedComparison overall, Map<String, Map<String, PairedComparison>> groups, Boolean regression) {
}
