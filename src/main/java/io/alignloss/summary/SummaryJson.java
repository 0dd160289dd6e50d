package io.alignloss.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.lang.String.format;

/**
 * summary.json with Jackson: {@link RunSummary} to text and back, and the shared mapper (maps keep their insertion
 * order). Reading accepts older files: missing keys are null, unknown keys are kept or ignored, and a drift status
 * this version does not know reads as no drift block.
 */
public final class SummaryJson {
    /** Bumped when a summary key changes meaning or disappears; additions keep the version. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);

    private SummaryJson() {
    }

    public static String render(RunSummary summary) {
        return renderValue(summary);
    }

    /** compare.json. */
    public static String render(CompareSummary summary) {
        return renderValue(summary);
    }

    /** A map of figures (a leaderboard, a benchmark report, a summary written before the typed records) as JSON. */
    public static String render(Map<String, Object> summary) {
        return renderValue(summary);
    }

    private static String renderValue(Object summary) {
        try {
            return MAPPER.writeValueAsString(summary) + "\n";
        }
        catch (JsonProcessingException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, "Cannot render summary.json: " + e.getMessage(), e);
        }
    }

    /** Reads a summary.json file. */
    public static RunSummary read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read the summary %s: %s", file, e.getMessage()), e);
        }
    }

    /** Reads a summary.json from a stream; {@code source} names it in errors. */
    public static RunSummary read(InputStream in, String source) throws IOException {
        JsonNode tree = MAPPER.readTree(in);
        if (tree == null || !tree.isObject()) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read the summary %s: not a JSON object", source));
        }
        return fromTree(tree, source);
    }

    /** A summary from its JSON tree; {@code source} names it in errors. */
    public static RunSummary fromTree(JsonNode tree, String source) {
        try {
            return MAPPER.treeToValue(tree, RunSummary.class);
        }
        catch (JsonProcessingException | IllegalArgumentException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read the summary %s: %s", source,
                    e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /**
     * Figures built as maps (by the diagnostics, the objectives, the trainers) as the record that types them: the one
     * place where the job's maps become summary records.
     */
    public static <T> T convert(Object figures, Class<T> type) {
        return MAPPER.convertValue(figures, type);
    }

    public static <T> T convert(Object figures, TypeReference<T> type) {
        return MAPPER.convertValue(figures, type);
    }

    /** The summary as a JSON tree (what {@link #render} writes). */
    public static JsonNode toTree(RunSummary summary) {
        return MAPPER.valueToTree(summary);
    }

    /** The resolved configuration as a JSON tree. */
    public static JsonNode config(Config config) {
        try {
            return MAPPER.readTree(config.root().render(ConfigRenderOptions.concise()));
        }
        catch (JsonProcessingException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, "Cannot render the config: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
