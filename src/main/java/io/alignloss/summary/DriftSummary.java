package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * The {@code drift} block: a first run ({@code status = no_previous}) or the comparison with the previous run's
 * summary ({@code compared}); {@code previous} is where that summary was looked for (redacted).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DriftSummary.NoPrevious.class, name = DriftSummary.NoPrevious.STATUS),
        @JsonSubTypes.Type(value = DriftSummary.Compared.class, name = DriftSummary.Compared.STATUS)})
public sealed interface DriftSummary {
    @JsonProperty("status")
    String status();

    /** Where the previous summary was looked for; null until the run sets it. */
    String previous();

    /** The same figures with {@link #previous}. */
    DriftSummary withPrevious(String previous);

    /** Thresholds the run exceeded, one line each. */
    default List<String> exceededOrEmpty() {
        return List.of();
    }

    /** Nothing to compare with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"status", "message", "previous"})
    record NoPrevious(String message, String previous) implements DriftSummary {
        public static final String STATUS = "no_previous";

        @Override
        public String status() {
            return STATUS;
        }

        @Override
        public NoPrevious withPrevious(String previous) {
            return new NoPrevious(message, previous);
        }
    }

    /**
     * Each current objective against the previous run's ({@code missing}: objectives only the previous run had) and
     * the thresholds exceeded.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"status", "previous_started", "objectives", "missing", "exceeded", "previous"})
    record Compared(
            String previousStarted,
            Map<String, ObjectiveDrift> objectives,
            List<String> missing,
            List<String> exceeded,
            String previous) implements DriftSummary {
        public static final String STATUS = "compared";

        @Override
        public String status() {
            return STATUS;
        }

        @Override
        public Compared withPrevious(String previous) {
            return new Compared(previousStarted, objectives, missing, exceeded, previous);
        }

        @Override
        public List<String> exceededOrEmpty() {
            return exceeded == null ? List.of() : exceeded;
        }
    }
}
