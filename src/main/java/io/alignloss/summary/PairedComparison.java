package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * The paired comparison of one objective's loss on the rows both runs scored (overall or one group value,
 * {@code compare.json}): {@code count} rows in {@code clusters} clusters, each run's loss on them
 * {@code L_s = Σ w·y / Σ w·x}, {@code difference = L_b − L_a} (positive: b is worse), its linearised clustered
 * {@code stderr}, the paired bootstrap percentile interval {@code ci}, {@code z = difference / stderr} and its
 * two-sided {@code p_value}; in a group, {@code p_adjusted} (Benjamini–Hochberg across the objective's groups) and
 * {@code significant} ({@code p_adjusted ≤ alpha}); {@code mcnemar} where the objective has {@code correct}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairedComparison(long count, long clusters, Double lossA, Double lossB, Double difference, Double stderr,
        List<Double> ci, Double z, Double pValue, Double pAdjusted, Boolean significant, McNemarFigures mcnemar) {
    public PairedComparison {
        ci = ci == null ? null : List.copyOf(ci);
    }

    /** The same figures with the adjusted p-values (this one's and McNemar's) and the verdict at FDR {@code alpha}. */
    public PairedComparison withAdjusted(Double adjusted, Double mcnemarAdjusted, double alpha) {
        return new PairedComparison(count, clusters, lossA, lossB, difference, stderr, ci, z, pValue, adjusted,
                adjusted == null ? null : adjusted <= alpha, mcnemar == null ? null : mcnemar.withAdjusted(mcnemarAdjusted));
    }
}
