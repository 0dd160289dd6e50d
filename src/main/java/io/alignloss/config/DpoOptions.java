package io.alignloss.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The keys of a {@code dpo} objective (issue 18, part 1): the DPO-family losses from logged summed response
 * log-probabilities under the policy and the reference.
 *
 * @param resampling     its own bootstrap and confidence
 * @param beta           β &gt; 0, finite ({@value #DEFAULT_BETA} by default)
 * @param lossType       the loss ({@code sigmoid} by default)
 * @param labelSmoothing ε, in [0, ½] for {@code sigmoid}, [0, ½) for {@code robust}, 0 for the others (0 by default)
 * @param reference      the logged reference log-probabilities, or none (reference-free)
 */
public record DpoOptions(Resampling resampling, double beta, DpoLossType lossType, double labelSmoothing, DpoReference reference)
        implements ObjectiveOptions {
    public static final double DEFAULT_BETA = 0.1;
    public static final String BETA = "beta";
    public static final String LOSS_TYPE = "loss-type";
    public static final String LABEL_SMOOTHING = "label-smoothing";
    public static final String REFERENCE = "reference";

    public DpoOptions {
        requireNonNull(resampling, "resampling is null");
        requireNonNull(lossType, "lossType is null");
        requireNonNull(reference, "reference is null");
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0: " + beta);
        }
        if (!(labelSmoothing >= 0) || labelSmoothing > 0.5 || (lossType == DpoLossType.ROBUST && labelSmoothing >= 0.5)
                || (!lossType.smoothed() && labelSmoothing != 0)) {
            throw new IllegalArgumentException("label smoothing " + labelSmoothing + " is not valid for loss type " + lossType.configName());
        }
    }

    /** No keys beyond name, type and input: β = 0.1, sigmoid, ε = 0, logged reference. */
    public static DpoOptions defaults() {
        return new DpoOptions(Resampling.NONE, DEFAULT_BETA, DpoLossType.SIGMOID, 0, DpoReference.LOGGED);
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.DPO;
    }

    /** A dpo objective reads logged log-probabilities only: no model folder. */
    @Override
    public Optional<String> model() {
        return Optional.empty();
    }
}
