package io.alignloss.train;

/**
 * A trainer whose model comes out of one optimisation: {@link #prepare} builds the blocks and what to minimise,
 * the run's optimise loop fits it, and {@link #save} writes the model and its summary block. Self-target
 * training, which fits once per round, is not one.
 *
 * @param <P> what {@code prepare} learns about the data (rows, dimension, …) and {@code save} reports, with the fitting
 */
abstract class SingleFitTrainer<P extends SingleFitTrainer.Prepared> implements Trainer {
    /** The outcome of {@link #prepare}: at least the fitting (loss, start, validation, fingerprint). */
    interface Prepared {
        Fitting fitting();
    }

    @Override
    public final Trained train(TrainingRun run) {
        P prepared = prepare(run);
        Fit fit = run.optimise(prepared.fitting());
        return save(run, prepared, fit);
    }

    /** Reads and checks the input, builds and persists the blocks, and returns what to minimise. */
    abstract P prepare(TrainingRun run);

    /** Saves the fitted model into the run's staging folder and returns it with the {@code train} summary block. */
    abstract Trained save(TrainingRun run, P prepared, Fit fit);
}
