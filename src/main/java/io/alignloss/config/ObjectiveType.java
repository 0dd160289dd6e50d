package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.List;
import java.util.Optional;

/** The objective types a config can name, the input kind each reads and the keys its entry may hold. */
public enum ObjectiveType implements ConfigName {
    BRADLEY_TERRY(Optional.of(InputKind.PREFERENCE), List.of("model", "features")),
    SEQUENCE_LIKELIHOOD(Optional.of(InputKind.SEQUENCE), List.of("mode", "model", "language-model")),
    EXPECTED_UTILITY(Optional.empty(), List.of("utility", "clip", "features", "entropy", "model", "q-hat", "switch-tau")),
    SELF_TARGET(Optional.of(InputKind.SELF_TARGET), List.of("model", "max-target-tokens")),
    DPO(Optional.of(InputKind.PREFERENCE), List.of("beta", "loss-type", "label-smoothing", "reference"));

    /** Keys every objective entry has. */
    public static final List<String> COMMON_KEYS = List.of("name", "type", "input", "bootstrap", "confidence");

    private final Optional<InputKind> inputKind;
    private final List<String> ownKeys;

    ObjectiveType(Optional<InputKind> inputKind, List<String> ownKeys) {
        this.inputKind = inputKind;
        this.ownKeys = ownKeys;
    }

    /** The input kind this objective needs; empty when any kind will do. */
    public Optional<InputKind> inputKind() {
        return inputKind;
    }

    public List<String> ownKeys() {
        return ownKeys;
    }

    /** The type named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static ObjectiveType fromConfig(String value, String key) {
        return ConfigName.find(ObjectiveType.class, value).orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG,
                String.format("Invalid %s: '%s' (valid types: %s)", key, value, ConfigName.valid(ObjectiveType.class))));
    }
}
