package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Locale;

/** Which sequence NLL is a sequence-likelihood objective's loss ({@code mode}). */
public enum SequenceMode {
    /** {@code −log Pr(x ++ y)}: prompt and response tokens. */
    JOINT,
    /** {@code −log Pr(y | x)}: response tokens only (the default). */
    CONDITIONAL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static SequenceMode fromConfig(String value, String key) {
        for (SequenceMode mode : values()) {
            if (mode.configName().equals(value)) {
                return mode;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format("Invalid %s: '%s' (valid: joint, conditional)", key, value));
    }
}
