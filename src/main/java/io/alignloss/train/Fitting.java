package io.alignloss.train;

import io.alignloss.config.TrainConfig;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.TrainingLoss;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One optimisation to run: the optimiser settings, the loss and the start {@code x0}, the held-out loss followed
 * for early stopping (absent: none), the figures of a weight vector on the training data ({@code loss} and the
 * model kind's own), the checkpoint to resume from, and the fingerprint a checkpoint must match.
 */
record Fitting(TrainConfig train, TrainingLoss loss, double[] x0, Optional<Validation> validation,
        Function<double[], Map<String, Object>> measure, Optional<Checkpoints.Saved> saved, Map<String, Object> fingerprint) {
    Fitting {
        requireNonNull(train, "train is null");
        requireNonNull(loss, "loss is null");
        requireNonNull(x0, "x0 is null");
        requireNonNull(validation, "validation is null");
        requireNonNull(measure, "measure is null");
        requireNonNull(saved, "saved is null");
        requireNonNull(fingerprint, "fingerprint is null");
    }
}
