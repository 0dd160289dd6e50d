package io.alignloss.train;

import io.alignloss.lm.LanguageModel;
import io.alignloss.model.RewardModel;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A trained model, already saved into the run's staging folder: the reward models (reward model or policy) or
 * language models by objective name that the closing evaluation uses, and the {@code train} block of summary.json.
 */
public record Trained(Map<String, Object> block, Map<String, RewardModel> rewardModels, Map<String, LanguageModel> languageModels) {
    public Trained {
        requireNonNull(block, "block is null");
        requireNonNull(rewardModels, "rewardModels is null");
        requireNonNull(languageModels, "languageModels is null");
    }

    static Trained rewardModel(Map<String, Object> block, String objective, RewardModel model) {
        return new Trained(block, Map.of(objective, model), Map.of());
    }

    static Trained languageModel(Map<String, Object> block, String objective, LanguageModel model) {
        return new Trained(block, Map.of(), Map.of(objective, model));
    }
}
