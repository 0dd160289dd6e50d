package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The objective types a config can name, the input kind each reads and the keys its entry may hold. */
public enum ObjectiveType {
    BRADLEY_TERRY("bradley-terry", Optional.of(InputKind.PREFERENCE), List.of("model", "features")),
    SEQUENCE_LIKELIHOOD("sequence-likelihood", Optional.of(InputKind.SEQUENCE), List.of("mode", "model", "language-model")),
    EXPECTED_UTILITY("expected-utility", Optional.empty(), List.of("utility", "clip", "features", "entropy", "model")),
    SELF_TARGET("self-target", Optional.of(InputKind.SELF_TARGET), List.of("model", "max-target-tokens"));

    /** Keys every objective entry has. */
    public static final List<String> COMMON_KEYS = List.of("name", "type", "input", "bootstrap", "confidence");

    private final String configName;
    private final Optional<InputKind> inputKind;
    private final List<String> ownKeys;

    ObjectiveType(String configName, Optional<InputKind> inputKind, List<String> ownKeys) {
        this.configName = configName;
        this.inputKind = inputKind;
        this.ownKeys = ownKeys;
    }

    public String configName() {
        return configName;
    }

    /** The input kind this objective needs; empty when any kind will do. */
    public Optional<InputKind> inputKind() {
        return inputKind;
    }

    public List<String> ownKeys() {
        return ownKeys;
    }

    public static ObjectiveType fromConfig(String value, String key) {
        for (ObjectiveType type : values()) {
            if (type.configName.equals(value)) {
                return type;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format(
                "Invalid %s: '%s' (valid types: %s)", key, value,
                Arrays.stream(values()).map(ObjectiveType::configName).collect(Collectors.joining(", "))));
    }
}
