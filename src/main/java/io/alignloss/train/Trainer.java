package io.alignloss.train;

/**
 * Trains one kind of model inside a {@link TrainingRun}: builds its blocks (persisted through the run), minimises
 * its {@link io.alignloss.optim.TrainingLoss} with the run's optimise loop, saves the model into the run's staging
 * folder and returns it with its {@code train} summary figures. The run owns everything around that: the
 * committer, the checkpoints, the cached blocks' lifetime and the evaluation that follows.
 */
public interface Trainer {
    Trained train(TrainingRun run);
}
