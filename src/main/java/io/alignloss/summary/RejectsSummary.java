package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * The rejected rows of a run: the total, per input, and per rule (a row failing several rules counts under each).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RejectsSummary(
        @JsonProperty("total") Long total,
        @JsonProperty("by_input") Map<String, Long> byInput,
        @JsonProperty("by_reason") Map<String, Long> byReason) {
    /** Rows per reason, empty when absent. */
    public Map<String, Long> byReasonOrEmpty() {
        return byReason == null ? Map.of() : byReason;
    }
}
