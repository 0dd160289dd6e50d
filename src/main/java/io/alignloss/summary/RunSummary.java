package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"schema_version", "alignloss_version", "spark_version", "command", "started", "seconds", "config", "run",
        "inputs", "rejects", "objectives", "drift", "train", "blocks", "warnings"})
public record RunSummary(
        Integer schemaVersion,
        String alignlossVersion,
        String sparkVersion,
        String command,
        String started,
        Double seconds,
        JsonNode config,
        RunInfo run,
        Map<String, InputSummary> inputs,
        RejectsSummary rejects,
        Map<String, ObjectiveSummary> objectives,
        DriftSummary drift,
        TrainSummary train,
        List<String> warnings,
        Map<String, JsonNode> blocks) {
    public RunSummary {
        blocks = Figures.copy(blocks);
    }

    /** Reads the object in order: the typed blocks, then the blocks this version does not type. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RunSummary read(Map<String, JsonNode> json) {
        return Figures.read(RunSummary.class, json);
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
