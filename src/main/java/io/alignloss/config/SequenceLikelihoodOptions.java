package io.alignloss.config;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The keys of a {@code sequence-likelihood} objective.
 *
 * @param resampling    its own bootstrap and confidence
 * @param model         a language model folder that computes the log-probabilities (else they are logged)
 * @param mode          which NLL is the loss ({@code conditional} by default)
 * @param languageModel the {@code language-model} block, when given (train fits a model of that shape)
 */
public record SequenceLikelihoodOptions(Resampling resampling, Optional<String> model, SequenceMode mode,
        Optional<LanguageModelOptions> languageModel) implements ObjectiveOptions {
    public SequenceLikelihoodOptions {
        requireNonNull(resampling, "resampling is null");
        requireNonNull(model, "model is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(languageModel, "languageModel is null");
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.SEQUENCE_LIKELIHOOD;
    }
}
