package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

/** What policy training maximises ({@code train.objective-estimator}). */
public enum PolicyEstimator {
    /** E_π[U] over candidate sets with known utilities (the default). */
    EXACT("exact"),
    /** The inverse-propensity estimate from logged data (behavior_prob, logged). */
    IPS("ips"),
    /** The self-normalised inverse-propensity estimate from logged data. */
    SNIPS("snips");

    private final String configName;

    PolicyEstimator(String configName) {
        this.configName = configName;
    }

    /** The name in configs and summaries. */
    public String configName() {
        return configName;
    }

    /** Whether it trains on logged data (ips, snips) rather than candidate sets with known utilities. */
    public boolean logged() {
        return this != EXACT;
    }

    /** The estimator named {@code value}; {@code key} (the key and where it was set) prefixes the error. */
    public static PolicyEstimator fromConfig(String value, String key) {
        for (PolicyEstimator estimator : values()) {
            if (estimator.configName.equals(value)) {
                return estimator;
            }
        }
        throw new AlignLossException(ErrorCode.CONFIG, String.format("Invalid %s: '%s' (valid: exact, ips, snips)", key, value));
    }
}
