package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * The {@code drift} block: a first run ({@code status = no_previous}) or the comparison with the previous run's
 * summary ({@code compared}); {@code previous} is where that summary was looked for (redacted). The {@code status}
 * key, written first, is the record's {@code @JsonTypeName}. A comparison of runs with Delta or Iceberg inputs also
 * records, per such input, the previous run's table version beside this run's ({@code tables}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(DriftSummary.NoPrevious.class),
        @JsonSubTypes.Type(DriftSummary.Compared.class)})
public sealed interface DriftSummary {
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
    @JsonPropertyOrder({"message", "previous"})
    @JsonTypeName("no_previous")
    record NoPrevious(String message, String previous) implements DriftSummary {
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
    @JsonPropertyOrder({"previous_started", "objectives", "missing", "exceeded", "tables", "previous"})
    @JsonTypeName("compared")
    record Compared(String previousStarted, Map<String, ObjectiveDrift> objectives, List<String> missing, List<String> exceeded,
            Map<String, TableDrift> tables, String previous) implements DriftSummary {
        public Compared(String previousStarted, Map<String, ObjectiveDrift> objectives, List<String> missing, List<String> exceeded,
                String previous) {
            this(previousStarted, objectives, missing, exceeded, null, previous);
        }

        @Override
        public Compared withPrevious(String previous) {
            return new Compared(previousStarted, objectives, missing, exceeded, tables, previous);
        }

        /** The same comparison with the table versions of the Delta and Iceberg inputs, previous run's beside this run's. */
        public Compared withTables(Map<String, TableDrift> tables) {
            return new Compared(previousStarted, objectives, missing, exceeded, tables, previous);
        }

        @Override
        public List<String> exceededOrEmpty() {
            return exceeded == null ? List.of() : exceeded;
        }
    }

    /**
     * {@code drift.tables.<input>}: the version of a Delta or Iceberg input the previous run read (null when it read
     * none, e.g. the input was Parquet then) and the one this run read.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TableDrift(TableSummary previous, TableSummary current) {
    }
}
