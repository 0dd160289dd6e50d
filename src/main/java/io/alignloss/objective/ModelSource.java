package io.alignloss.objective;

import io.alignloss.lm.LanguageModel;
import io.alignloss.model.RewardModel;

import java.util.Optional;

/**
 * Where an objective finds the model it evaluates with ({@link Objective#withModels}): the models a {@code train}
 * run has just fitted, by objective name, or a model folder its {@code model} option names, loaded on request. An
 * interface here so that objectives need not know the job that supplies the models.
 */
public interface ModelSource {
    /** The reward model or policy a train run has just fitted for the objective. */
    Optional<RewardModel> trainedRewardModel(String objective);

    /** The language model a train run has just fitted for the objective. */
    Optional<LanguageModel> trainedLanguageModel(String objective);

    /** The reward model saved in a folder. */
    RewardModel loadRewardModel(String path);

    /** The model saved in a policy folder; the caller checks that it is a policy. */
    RewardModel loadPolicy(String path);

    /** The language model saved in a folder. */
    LanguageModel loadLanguageModel(String path);

    /** An objective's language model: the one a train run has just fitted, else the folder's; empty without either. */
    default Optional<LanguageModel> languageModel(String objective, Optional<String> path) {
        Optional<LanguageModel> trained = trainedLanguageModel(objective);
        if (trained.isPresent() || path.isEmpty()) {
            return trained;
        }
        return Optional.of(loadLanguageModel(path.get()));
    }
}
