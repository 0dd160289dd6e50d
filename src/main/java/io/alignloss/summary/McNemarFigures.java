package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * McNemar's exact test on the {@code correct} flags of the paired rows ({@code compare.json}, objectives with
 * {@code correct}): {@code pairs} rows where both runs have a non-null {@code correct}, {@code only_a} right only in
 * run a, {@code only_b} right only in run b, the two-sided exact binomial {@code p_value} and its Benjamini–Hochberg
 * {@code p_adjusted} across the objective's groups (null overall). Unweighted and ignoring clusters.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record McNemarFigures(long pairs, long onlyA, long onlyB, Double pValue, Double pAdjusted) {
    public McNemarFigures withAdjusted(Double adjusted) {
        return new McNemarFigures(pairs, onlyA, onlyB, pValue, adjusted);
    }
}
