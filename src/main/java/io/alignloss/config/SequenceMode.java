package io.alignloss.config;

/** Which sequence NLL is a sequence-likelihood objective's loss ({@code mode}). */
public enum SequenceMode implements ConfigName {
    /** {@code −log Pr(x ++ y)}: prompt and response tokens. */
    JOINT,
    /** {@code −log Pr(y | x)}: response tokens only (the default). */
    CONDITIONAL;

    /** The mode named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static SequenceMode fromConfig(String value, String key) {
        return ConfigName.parse(SequenceMode.class, value, key);
    }
}
