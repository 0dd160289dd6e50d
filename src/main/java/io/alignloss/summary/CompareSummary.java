package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * {@code compare.json}, what {@code alignloss compare} publishes: the two runs ({@code a}, {@code b}), the settings
 * ({@code alpha}: the FDR of the Benjamini–Hochberg verdicts, and {@code confidence = 1 − alpha} of the intervals;
 * {@code bootstrap} replicates, {@code seed}, {@code max_regression}), each objective's paired comparison, the
 * objectives whose regression gate failed ({@code regressions}) and the warnings.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"alignloss_version", "command", "started", "seconds", "a", "b", "alpha", "confidence", "bootstrap", "seed",
        "max_regression", "objectives", "regressions", "warnings"})
public record CompareSummary(String alignlossVersion, String command, String started, Double seconds, String a, String b,
        double alpha, double confidence, int bootstrap, long seed, Double maxRegression, Map<String, ObjectiveComparison> objectives,
        List<String> regressions, List<String> warnings) {
    public CompareSummary {
        regressions = List.copyOf(regressions);
        warnings = List.copyOf(warnings);
    }
}
