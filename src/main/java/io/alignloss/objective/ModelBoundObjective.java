package io.alignloss.objective;

import io.alignloss.config.ObjectiveConfig;

import java.util.Optional;

/**
 * An objective that reads its inputs from logged columns, or, bound to a model, computes them with it (a reward
 * model's scores, a language model's log-probabilities or targets): the configuration and the model, if any, that
 * such an objective holds. {@link #withModels} binds the model; an unbound one reads the logged columns.
 *
 * @param <M> the kind of model it computes with
 */
public abstract class ModelBoundObjective<M> implements Objective {
    private final ObjectiveConfig config;
    private final Optional<M> model;

    /** The objective configured by {@code config}, computing with {@code model} when present. */
    protected ModelBoundObjective(ObjectiveConfig config, Optional<M> model) {
        this.config = config;
        this.model = model;
    }

    @Override
    public final ObjectiveConfig config() {
        return config;
    }

    /** The model it computes with; empty when it reads logged columns. */
    public final Optional<M> model() {
        return model;
    }
}
