package io.alignloss.job;

import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelFolder;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.ModelSource;
import org.apache.hadoop.conf.Configuration;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The objectives' models in an evaluation: those its train run hands over in {@link EvaluateJob.Extras}, else folders, loaded as stages. */
final class ModelLoader implements ModelSource {
    private final EvaluateJob.Extras extras;
    private final Configuration hadoop;
    private final Stages stages;

    ModelLoader(EvaluateJob.Extras extras, Configuration hadoop, Stages stages) {
        this.extras = requireNonNull(extras, "extras is null");
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.stages = requireNonNull(stages, "stages is null");
    }

    @Override
    public Optional<RewardModel> trainedRewardModel(String objective) {
        return Optional.ofNullable(extras.models().get(objective));
    }

    @Override
    public Optional<LanguageModel> trainedLanguageModel(String objective) {
        return Optional.ofNullable(extras.languageModels().get(objective));
    }

    @Override
    public RewardModel loadRewardModel(String path) {
        return stages.timed("load reward model " + path, () -> RewardModel.load(path, hadoop));
    }

    @Override
    public RewardModel loadPolicy(String path) {
        return stages.timed("load policy " + path, () -> RewardModel.load(path, hadoop));
    }

    @Override
    public LanguageModel loadLanguageModel(String path) {
        return stages.timed("load language model " + path, () -> LanguageModelFolder.load(path, hadoop));
    }
}
