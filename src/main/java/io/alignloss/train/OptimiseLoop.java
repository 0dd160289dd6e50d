package io.alignloss.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.OptimizerSettings;
import io.alignloss.config.OptimizerType;
import io.alignloss.config.TrainConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.Json;
import io.alignloss.optim.Adam;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.DivergenceException;
import io.alignloss.optim.Evaluation;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.Optimizer;
import io.alignloss.optim.OptimizerState;
import io.alignloss.optim.Vectors;
import io.alignloss.summary.SummaryJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;

/**
 * One optimisation of a {@link Fitting}: resumes from its checkpoint (fingerprint checked, history and best
 * validation weights restored) or starts at x0, steps until the optimiser stops, logs and records each
 * iteration, follows the validation loss (early stopping after train.patience iterations without a better one,
 * keeping the best weights), stops separable data (l2 = 0, ||φ|| growing five iterations while the objective
 * falls below 1e-3), checkpoints every train.checkpoint-every iterations and on divergence.
 */
final class OptimiseLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);

    private final TrainingRun run;
    private final Fitting fitting;
    private final TrainConfig train;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private long resumedFrom = 0;
    private double bestValidation = Double.POSITIVE_INFINITY;
    private double[] bestX = null;
    private int sinceBest = 0;
    private double previousNorm;
    private int growing = 0;
    private long started;

    OptimiseLoop(TrainingRun run, Fitting fitting) {
        this.run = run;
        this.fitting = fitting;
        this.train = fitting.train();
    }

    Fit run() {
        started = System.nanoTime();
        OptimizerSettings settings = train.optimization();
        Optimizer optimizer = settings.optimizer() == OptimizerType.ADAM ? new Adam(settings.learningRate(), settings.iterations())
                : new Lbfgs(settings.memory(), settings.iterations(), settings.tol());
        OptimizerState state = fitting.saved().isPresent() ? resume(fitting.saved().get()) : start(optimizer);
        previousNorm = Vectors.norm(state.x());
        while (!state.stopped()) {
            state = iterate(optimizer, state);
        }
        LOG.info("optimiser stopped after {} iterations: {}", state.iteration(), state.stopReason().orElse(""));
        if (train.validation().patience() > 0 && bestX != null) {
            LOG.info("keeping the weights of the best validation loss ({})", format("%.6g", bestValidation));
            state = new OptimizerState(state.optimizer(), state.iteration(), bestX, state.value(), state.gradient(), state.arrays(),
                    state.scalars(), state.stopReason(), state.converged());
        }
        return finish(state);
    }

    private OptimizerState start(Optimizer optimizer) {
        long start = System.nanoTime();
        OptimizerState state = optimizer.start(fitting.x0(), fitting.loss());
        LOG.info("iteration 0: objective {} ({}), {} s", format("%.9g", state.value()),
                Vectors.norm(fitting.x0()) == 0 ? "φ = 0" : "initial weights", TrainingRun.seconds(start));
        return state;
    }

    private OptimizerState resume(Checkpoints.Saved saved) {
        JsonNode metadata = saved.metadata();
        TrainingRun.checkFingerprint(saved, fitting.fingerprint());
        OptimizerState state = saved.state();
        resumedFrom = state.iteration();
        metadata.get("history").forEach(entry -> history.add(SummaryJson.mapper().convertValue(entry, Map.class)));
        if (metadata.has("best_validation")) {
            bestValidation = metadata.get("best_validation").asDouble();
            sinceBest = metadata.get("since_best").asInt();
            bestX = saved.extra(TrainingRun.BEST_X).orElse(null);
            if (bestX == null && train.validation().patience() > 0) {
                run.warn(format("checkpoint %s has no best weights (written by an older version): the run keeps the best "
                        + "weights seen after resuming, or the last ones if none is better than %s", saved.path(),
                        format("%.6g", bestValidation)));
            }
        }
        LOG.info("resuming from checkpoint {} (iteration {}, objective {})", saved.path(), state.iteration(), state.value());
        return state;
    }

    private OptimizerState iterate(Optimizer optimizer, OptimizerState before) {
        long start = System.nanoTime();
        Optimizer.Step step;
        try {
            step = optimizer.step(before, fitting.loss());
        }
        catch (DivergenceException e) {
            String kept = checkpoint(before);
            throw new AlignLossException(ErrorCode.INTERNAL, format("Training diverged at iteration %d: %s. The last good state "
                    + "(iteration %d) is checkpointed in %s; lower train.lr (Adam) or raise train.l2, then train --resume",
                    e.iteration(), e.getMessage(), before.iteration(), kept), e);
        }
        OptimizerState state = step.state();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("iteration", state.iteration());
        entry.put("objective", Json.number(state.value()));
        entry.put("gradient_norm", Json.number(Vectors.norm(state.gradient())));
        entry.put("step", Json.number(step.step()));
        entry.put("evaluations", step.evaluations());
        String trainText = recordTrainFigures(state, entry, start);
        entry.put("seconds", TrainingRun.seconds(start));
        String validationText = fitting.validation().map(validation -> recordValidation(validation, state, entry)).orElse("");
        history.add(entry);
        LOG.info("iteration {}: objective {}, gradient norm {}, step {}, {}{}, {} s", state.iteration(),
                format("%.9g", state.value()), format("%.3g", Vectors.norm(state.gradient())), format("%.3g", step.step()),
                trainText, validationText, entry.get("seconds"));
        OptimizerState checked = stopEarly(state);
        run.listener().finished(checked);
        if (train.checkpointEvery() > 0 && checked.iteration() % train.checkpointEvery() == 0 && !checked.stopped()) {
            LOG.info("checkpoint {}", checkpoint(checked));
        }
        return checked;
    }

    /** Records the model kind's training figure of the iteration (mean utility, batch token NLL or accuracy) and returns its log text. */
    private String recordTrainFigures(OptimizerState state, Map<String, Object> entry, long start) {
        double accuracy = state.scalars().getOrDefault(Lbfgs.FIGURE + "accuracy", Double.NaN);
        Double meanUtility = state.scalars().get(Lbfgs.FIGURE + "mean_utility");
        Double tokenNll = state.scalars().get(Lbfgs.FIGURE + "token_nll");
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (meanUtility != null) {
            entry.put("train_mean_utility", Json.number(meanUtility));
            return format("train mean utility %.6g", meanUtility);
        }
        if (tokenNll != null) {
            double tokens = state.scalars().getOrDefault(Lbfgs.FIGURE + "tokens", 0.0);
            entry.put("train_token_nll", Json.number(tokenNll));
            entry.put("tokens", (long) tokens);
            entry.put("tokens_per_second", Json.number(Math.round(tokens / elapsed)));
            return format("batch token NLL %.5f (%,d tokens, %,.0f tokens/s)", tokenNll, (long) tokens, tokens / elapsed);
        }
        entry.put("train_accuracy", Json.number(accuracy));
        return format("train accuracy %.4f", accuracy);
    }

    /** Records the validation figures of the iterate, follows the best one, and returns the log text. */
    private String recordValidation(Validation validation, OptimizerState state, Map<String, Object> entry) {
        Map<String, Double> measured = validation.perIteration().apply(state.x());
        double value = measured.get("loss");
        entry.put("validation_loss", Json.number(value));
        String text = format(", validation loss %.6g", value);
        if (measured.containsKey("accuracy")) {
            entry.put("validation_accuracy", Json.number(measured.get("accuracy")));
            text += format(" accuracy %.4f", measured.get("accuracy"));
        }
        if (value < bestValidation - 1e-12) {
            bestValidation = value;
            bestX = state.x().clone();
            sinceBest = 0;
        }
        else {
            sinceBest++;
        }
        return text;
    }

    /** Stops on separable data (with l2 = 0) and on train.patience iterations without a better validation loss. */
    private OptimizerState stopEarly(OptimizerState state) {
        double norm = Vectors.norm(state.x());
        growing = norm > previousNorm * 1.01 ? growing + 1 : 0;
        previousNorm = norm;
        OptimizerState checked = state;
        if (!checked.stopped() && train.regularization().l2() == 0 && growing >= 5 && checked.value() < 1e-3) {
            run.warn(format("training stopped at iteration %d: the training pairs look separable (objective %.3g → 0 while "
                    + "||φ|| grows, now %.3g): with l2 = 0 no finite optimum exists; set a small train.l2 (e.g. 1e-4)",
                    checked.iteration(), checked.value(), norm));
            checked = checked.stop("separable data: weights grow without bound", false);
        }
        if (!checked.stopped() && train.validation().patience() > 0 && sinceBest >= train.validation().patience()) {
            checked = checked.stop(format("early stopping: no better validation loss in %d iterations", train.validation().patience()), false);
        }
        return checked;
    }

    private String checkpoint(OptimizerState state) {
        return run.saveCheckpoint(state, fitting.fingerprint(), history, bestValidation, sinceBest, bestX);
    }

    /** The full-data objective and figures of the returned weights. */
    private Fit finish(OptimizerState state) {
        Evaluation at = fitting.loss().evaluate(state.x());
        Map<String, Object> trainFigures = fitting.measure().apply(state.x());
        Map<String, Object> validationFigures = fitting.validation().map(validation -> validation.figures().apply(state.x())).orElse(Map.of());
        LOG.info("final objective {}; train loss {}{}{}", format("%.9g", at.value()), trainFigures.get("loss"),
                trainFigures.containsKey("mean_utility") ? " mean utility " + trainFigures.get("mean_utility")
                        : trainFigures.containsKey("accuracy") ? " accuracy " + trainFigures.get("accuracy") : "",
                fitting.validation().isEmpty() ? "" : format("; validation loss %s%s", validationFigures.get("loss"),
                        validationFigures.containsKey("accuracy") ? " accuracy " + validationFigures.get("accuracy") : ""));
        return new Fit(state, at.value(), resumedFrom, history, trainFigures, validationFigures, (System.nanoTime() - started) / 1e9);
    }
}
