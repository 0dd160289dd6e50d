package io.alignloss.config;

/** What policy training maximises ({@code train.objective-estimator}). */
public enum PolicyEstimator implements ConfigName {
    /** E_π[U] over candidate sets with known utilities (the default). */
    EXACT,
    /** The inverse-propensity estimate from logged data (behavior_prob, logged). */
    IPS,
    /** The self-normalised inverse-propensity estimate from logged data. */
    SNIPS;

    /** Whether it trains on logged data (ips, snips) rather than candidate sets with known utilities. */
    public boolean logged() {
        return this != EXACT;
    }

    /** The estimator named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static PolicyEstimator fromConfig(String value, String key) {
        return ConfigName.parse(PolicyEstimator.class, value, key);
    }
}
