package io.alignloss.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Map;

/** summary.json rendering with Jackson; maps keep their insertion order. */
public final class SummaryJson {
    /** Bumped when a summary key changes meaning or disappears; additions keep the version. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    public static String render(Map<String, Object> summary) {
        try {
            return MAPPER.writeValueAsString(summary) + "\n";
        }
        catch (JsonProcessingException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, "Cannot render summary.json: " + e.getMessage(), e);
        }
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
