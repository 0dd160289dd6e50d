package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A run's summary.json: versions, command, start and duration, the resolved config (as written, redacted), how the
 * run was started, the inputs and rejects, each objective's figures (absent when the run stopped before computing
 * them), drift against the previous run, a train run's {@code train} block, and the warnings.
 *
 * <p>Read from an older file, a missing block is null (see the {@code …OrEmpty} accessors) and keys this version
 * does not know are kept in {@link #blocks} and written back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema_version", "alignloss_version", "spark_version", "command", "started", "seconds", "config", "run",
        "inputs", "rejects", "objectives", "drift", "train", "warnings"})
public record RunSummary(
        @JsonProperty("schema_version") Integer schemaVersion,
        @JsonProperty("alignloss_version") String alignlossVersion,
        @JsonProperty("spark_version") String sparkVersion,
        @JsonProperty("command") String command,
        @JsonProperty("started") String started,
        @JsonProperty("seconds") Double seconds,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("run") RunInfo run,
        @JsonProperty("inputs") Map<String, InputSummary> inputs,
        @JsonProperty("rejects") RejectsSummary rejects,
        @JsonProperty("objectives") Map<String, ObjectiveSummary> objectives,
        @JsonProperty("drift") DriftSummary drift,
        @JsonProperty("train") TrainSummary train,
        @JsonProperty("warnings") List<String> warnings,
        @JsonAnySetter Map<String, JsonNode> blocks) {
    public RunSummary {
        blocks = Figures.copy(blocks);
    }

    /** Top-level blocks this version does not type (from a newer or older alignloss), by name. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> blocks() {
        return blocks;
    }

    public Map<String, InputSummary> inputsOrEmpty() {
        return inputs == null ? Map.of() : inputs;
    }

    /** The objectives' figures, empty when the run stopped before computing them (or validated only). */
    public Map<String, ObjectiveSummary> objectivesOrEmpty() {
        return objectives == null ? Map.of() : objectives;
    }

    public List<String> warningsOrEmpty() {
        return warnings == null ? List.of() : warnings;
    }
}
