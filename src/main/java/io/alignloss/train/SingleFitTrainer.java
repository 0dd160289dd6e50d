package io.alignloss.train;

import io.alignloss.config.InputConfig;
import io.alignloss.config.ObjectiveConfig;

import java.util.Map;

/**
 * A trainer whose model comes out of one optimisation: {@link #prepare} builds the blocks and what to minimise,
 * the run's optimise loop fits it, and {@link #save} writes the model and its summary block. Self-target
 * training, which fits once per round, is not one.
 *
 * @param <P> what {@code prepare} learns about the data (rows, dimension, …) and {@code save} reports, with the fitting
 */
abstract class SingleFitTrainer<P extends SingleFitTrainer.Prepared> implements Trainer {
    /** The objective whose model is trained, and the input it is trained on. */
    final ObjectiveConfig objective;
    final InputConfig inputConfig;

    /** The outcome of {@link #prepare}: at least the fitting (loss, start, validation, fingerprint). */
    interface Prepared {
        Fitting fitting();
    }

    SingleFitTrainer(ObjectiveConfig objective, InputConfig inputConfig) {
        this.objective = objective;
        this.inputConfig = inputConfig;
    }

    @Override
    public final Trained train(TrainingRun run) {
        P prepared = prepare(run);
        Fit fit = run.optimise(prepared.fitting());
        return save(run, prepared, fit);
    }

    /** Reads and checks the input, builds and persists the blocks, and returns what to minimise. */
    abstract P prepare(TrainingRun run);

    /**
     * Adds the fit's figures to a summary block (after its outcome, {@link Fit#putOutcome}): train, validation (when the
     * fitting followed a validation split), validation_fraction, history, then the run's locations.
     */
    static void putFigures(Map<String, Object> block, TrainingRun run, Fitting fitting, Fit fit) {
        block.put("train", fit.train());
        if (fitting.validation().isPresent()) {
            block.put("validation", fit.validation());
        }
        block.put("validation_fraction", fitting.train().validation().fraction());
        block.put("history", fit.history());
        run.putLocations(block);
    }

    /** Saves the fitted model into the run's staging folder and returns it with the {@code train} summary block. */
    abstract Trained save(TrainingRun run, P prepared, Fit fit);
}
