package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The two row contracts an input can follow. */
public enum InputKind {
    /** {@code prompt, chosen, rejected} and optional scores, label, weight. */
    PREFERENCE("preference"),
    /** {@code prompt, response} and optional log-probabilities, scores, weight. */
    SEQUENCE("sequence"),
    /** {@code context, modified_context} and optional {@code z}, {@code candidates}, {@code reference}, weight. */
    SELF_TARGET("self-target");

    private final String configName;

    InputKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static InputKind fromConfig(String value, String key) {
        for (InputKind kind : values()) {
            if (kind.configName.equals(value.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format(
                "Invalid %s: '%s' (valid: %s)", key, value,
                Arrays.stream(values()).map(InputKind::configName).collect(Collectors.joining(", "))));
    }
}
