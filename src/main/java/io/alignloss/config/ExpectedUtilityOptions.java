package io.alignloss.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The keys of an {@code expected-utility} objective.
 *
 * @param resampling its own bootstrap and confidence
 * @param model      a trained policy folder evaluated on the input's candidate sets
 * @param utility    {@code U = Σ_k w_k·score_k}: score column → finite weight w_k, in config order (at least one)
 * @param clip       the importance-weight clip of clipped IPS, finite and &gt; 0 ({@link #DEFAULT_CLIP} by default)
 * @param features   its own {@code features} block for policy training (else the top-level one)
 * @param entropy    policy training's entropy bonus β, finite and ≥ 0 (0 by default)
 * @param qHat       {@code q-hat}: the column holding a reward estimate q̂(x, a) on the utility scale on every candidate
 *                   row, for the doubly robust estimates (DM, DR, SNDR, switch-DR) of a policy target
 * @param switchTau  {@code switch-tau}: switch-DR's importance-weight threshold τ, finite and ≥ 0 (the {@code clip} by
 *                   default: above the weight where clipped IPS caps, switch-DR uses q̂ alone)
 */
public record ExpectedUtilityOptions(Resampling resampling, Optional<String> model, Map<String, Double> utility, double clip,
        Optional<FeatureSpec> features, double entropy, Optional<String> qHat, double switchTau) implements ObjectiveOptions {
    public static final double DEFAULT_CLIP = 10;
    /** The key naming the q̂ column. */
    public static final String Q_HAT = "q-hat";
    /** The key of switch-DR's threshold τ. */
    public static final String SWITCH_TAU = "switch-tau";

    public ExpectedUtilityOptions {
        requireNonNull(resampling, "resampling is null");
        requireNonNull(model, "model is null");
        utility = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(utility, "utility is null")));
        requireNonNull(features, "features is null");
        requireNonNull(qHat, "qHat is null");
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.EXPECTED_UTILITY;
    }
}
