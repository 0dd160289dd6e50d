package io.alignloss.config;

import java.util.Locale;

/** The two row contracts an input can follow. */
public enum InputKind implements ConfigName {
    /** {@code prompt, chosen, rejected} and optional scores, label, weight. */
    PREFERENCE,
    /** {@code prompt, response} and optional log-probabilities, scores, weight. */
    SEQUENCE,
    /** {@code context, modified_context} and optional {@code z}, {@code candidates}, {@code reference}, weight. */
    SELF_TARGET;

    /** The kind named {@code value} in any case; {@code key} (the key and where it was set) prefixes the error. */
    public static InputKind fromConfig(String value, String key) {
        return ConfigName.find(InputKind.class, value.toLowerCase(Locale.ROOT)).orElseThrow(() -> ConfigName.invalid(InputKind.class, value, key));
    }
}
