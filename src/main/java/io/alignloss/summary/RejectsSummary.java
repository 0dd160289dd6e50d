package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Map;

/**
 * The rejected rows of a run: the total, per input, and per rule (a row failing several rules counts under each).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RejectsSummary(
        Long total,
        Map<String, Long> byInput,
        Map<String, Long> byReason) {
    /** Rows per reason, empty when absent. */
    public Map<String, Long> byReasonOrEmpty() {
        return byReason == null ? Map.of() : byReason;
    }
}
