package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
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
        "inputs", "rejects", "objectives", "drift", "train", "blocks", "warnings"})
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
        Map<String, JsonNode> blocks) {
    private static final TypeReference<Map<String, InputSummary>> INPUTS = new TypeReference<>() { };
    private static final TypeReference<Map<String, ObjectiveSummary>> OBJECTIVES = new TypeReference<>() { };
    private static final TypeReference<List<String>> TEXTS = new TypeReference<>() { };

    public RunSummary {
        blocks = Figures.copy(blocks);
    }

    /** Reads the object in order: the typed blocks, then the blocks this version does not type. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RunSummary read(Map<String, JsonNode> json) {
        Figures f = new Figures(json);
        return new RunSummary(f.take("schema_version", Integer.class), f.take("alignloss_version", String.class),
                f.take("spark_version", String.class), f.take("command", String.class), f.take("started", String.class),
                f.take("seconds", Double.class), f.tree("config"), f.take("run", RunInfo.class), f.take("inputs", INPUTS),
                f.take("rejects", RejectsSummary.class), f.take("objectives", OBJECTIVES), f.take("drift", DriftSummary.class),
                f.take("train", TrainSummary.class), f.take("warnings", TEXTS), f.rest());
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
