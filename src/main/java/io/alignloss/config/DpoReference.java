package io.alignloss.config;

/** Where a {@code dpo} objective's reference log-probabilities come from ({@code reference}). */
public enum DpoReference implements ConfigName {
    /** The logged {@code ref_chosen_logps} and {@code ref_rejected_logps} columns (the default). */
    LOGGED,
    /** None: reference-free, the reference terms are 0 (as RewardBench scores models without a reference). */
    NONE;

    /** The reference named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static DpoReference fromConfig(String value, String key) {
        return ConfigName.parse(DpoReference.class, value, key);
    }
}
