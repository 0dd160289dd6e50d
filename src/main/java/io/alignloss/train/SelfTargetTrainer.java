package io.alignloss.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.TrainConfig;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelFolder;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.SequenceNll;
import io.alignloss.summary.Json;
import io.alignloss.objective.sequence.SelfTargetObjective;
import io.alignloss.objective.sequence.SequenceNllColumns;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.OptimizerState;
import io.alignloss.summary.SummaryJson;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Self-training on model-generated targets, in rounds on top of the language model: recompute every row's
 * target ŷ = argmax_y log Pr(y|c,z) with the current model, then take the configured optimiser steps on
 * −log Pr(ŷ|c′,z) (token-weighted, ŷ fixed) from the current weights. Each round logs how many targets changed and
 * their mean entropy, and is checkpointed; a warning flags rounds where the targets stopped changing while the
 * reference loss (when the input has a reference column) got worse: the model then only reinforces its own outputs.
 */
public final class SelfTargetTrainer implements Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);

    private final ObjectiveConfig objective;
    private final InputConfig inputConfig;

    public SelfTargetTrainer(ObjectiveConfig objective, InputConfig inputConfig) {
        this.objective = objective;
        this.inputConfig = inputConfig;
    }

    @Override
    public Trained train(TrainingRun run) {
        RunSettings settings = run.settings();
        JobConfig config = settings.config();
        TrainConfig train = config.train().forLanguageModel();
        SelfTargetObjective selfTarget = new SelfTargetObjective(objective);
        String initPath = train.initModel().orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG, format(
                "Config %s: training self-target objective '%s' starts from a trained language model: set train.init-model",
                config.source(), objective.name())));
        LanguageModel model = LanguageModelFolder.load(initPath, run.hadoop());
        LOG.info("alignloss {} train: self-target objective {} on input {} ({}), from language model {}, {} rounds, optimizer {}, output {}",
                run.version(), objective.name(), inputConfig.name(), inputConfig.path(), initPath, train.rounds(),
                train.optimization().optimizer().configName(), settings.out());
        PreparedInput input = InputReader.prepare(run.spark(), inputConfig, List.of(), List.of(), config.groups(), run.warnings());
        long acceptedRows = run.checkRejects(input, "language model " + initPath);
        List<String> present = List.of(input.rows().columns());
        boolean hasReference = present.contains(io.alignloss.data.InputContract.REFERENCE);
        Dataset<Row> accepted = input.rows().filter(input.accepted()).withColumn("_alignloss_hash", input.rowHash(settings.seed()));

        Map<String, Object> fingerprint = run.fingerprint(objective, null, model.weights().length, inputConfig, acceptedRows);
        fingerprint.put("init_model", initPath);
        fingerprint.put("rounds", train.rounds());
        fingerprint.put("max_target_tokens", selfTarget.maxTargetTokens());
        Rounds rounds = new Rounds(run, train, selfTarget, accepted, acceptedRows, hasReference, fingerprint, model);
        rounds.resume(run.saved());
        rounds.runAll();
        return save(run, train, selfTarget, initPath, acceptedRows, rounds);
    }

    private Trained save(TrainingRun run, TrainConfig train, SelfTargetObjective selfTarget, String initPath, long acceptedRows,
            Rounds rounds) {
        RunSettings settings = run.settings();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("objective", objective.name());
        block.put("model_kind", "language-model");
        block.put("objective_type", "self-target");
        block.put("init_model", initPath);
        block.put("optimizer", train.optimization().optimizer().configName());
        block.put("rounds", rounds.entries);
        block.put("max_target_tokens", selfTarget.maxTargetTokens());
        block.put("l2", train.regularization().l2());
        block.put("lr", train.optimization().learningRate());
        block.put("final_objective", rounds.fit == null ? null : Json.number(rounds.fit.finalObjective()));
        block.put("resumed_from_round", rounds.firstRound - 1);
        run.putLocations(block);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.regularization().l2()));
        metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", acceptedRows,
                "rounds", train.rounds(), "optimizer", train.optimization().optimizer().configName(), "seed", settings.seed(), "init_model", initPath));
        metadata.put("alignloss_version", run.version());
        LanguageModelFolder.save(rounds.model, metadata, run.modelPath(), run.hadoop());
        LOG.info("self-trained language model written; evaluating objective {} with it", objective.name());
        return Trained.languageModel(block, objective.name(), rounds.model);
    }

    /** The weighted figures of a round's targets before its optimisation: mean entropy, target NLL, reference NLL (NaN without one). */
    private record TargetFigures(double meanEntropy, double targetNll, double referenceNll) {
        static TargetFigures of(Dataset<Row> targets, boolean hasReference) {
            Row stats = targets.agg(sum(col("w").multiply(col("entropy"))), sum(col("w")),
                    sum(col("w").multiply(SelfTargetObjective.loss(col("modified_logprob")))),
                    sum(col("w").multiply(SequenceNllColumns.responsePositions(col("target_tokens")))),
                    sum(when(col("reference_logprob").isNotNull(), col("w").multiply(SelfTargetObjective.loss(col("reference_logprob"))))),
                    sum(when(col("reference_logprob").isNotNull(), col("w").multiply(SequenceNllColumns.responsePositions(col("reference_tokens")))))).first();
            double meanEntropy = stats.getDouble(0) / stats.getDouble(1);
            double targetNll = SequenceNll.tokenNllOrNaN(stats.getDouble(2), stats.getDouble(3));
            double referenceNll = hasReference && !stats.isNullAt(5) ? SequenceNll.tokenNllOrNaN(stats.getDouble(4), stats.getDouble(5)) : Double.NaN;
            return new TargetFigures(meanEntropy, targetNll, referenceNll);
        }
    }

    /** The rounds of one run: the current model, the previous round's targets and the cached blocks, the round entries so far. */
    private static final class Rounds {
        private final TrainingRun run;
        private final RunSettings settings;
        private final TrainConfig train;
        private final SelfTargetObjective selfTarget;
        private final Dataset<Row> accepted;
        private final long acceptedRows;
        private final boolean hasReference;
        private final Map<String, Object> fingerprint;
        private final List<Map<String, Object>> entries = new ArrayList<>();
        private LanguageModel model;
        private int firstRound = 1;
        private double previousReference = Double.NaN;
        private Dataset<Row> previous = null;
        private JavaRDD<SequenceBlock> blocks = null;
        private Fit fit = null;

        Rounds(TrainingRun run, TrainConfig train, SelfTargetObjective selfTarget, Dataset<Row> accepted, long acceptedRows,
                boolean hasReference, Map<String, Object> fingerprint, LanguageModel model) {
            this.run = run;
            this.settings = run.settings();
            this.train = train;
            this.selfTarget = selfTarget;
            this.accepted = accepted;
            this.acceptedRows = acceptedRows;
            this.hasReference = hasReference;
            this.fingerprint = fingerprint;
            this.model = model;
        }

        /** Continues after the checkpointed round: its weights, its round entries and its reference loss. */
        void resume(Optional<Checkpoints.Saved> saved) {
            if (saved.isPresent()) {
                JsonNode metadata = saved.get().metadata();
                TrainingRun.checkFingerprint(saved.get(), fingerprint);
                model = model.withWeights(saved.get().state().x());
                firstRound = (int) saved.get().state().iteration() + 1;
                metadata.get("rounds").forEach(entry -> entries.add(SummaryJson.mapper().convertValue(entry, Map.class)));
                LOG.info("resuming after round {} from checkpoint {}", firstRound - 1, saved.get().path());
            }
            previousReference = entries.isEmpty() ? Double.NaN
                    : ((Number) entries.get(entries.size() - 1).getOrDefault("reference_token_nll_before", Double.NaN)).doubleValue();
        }

        void runAll() {
            for (int round = firstRound; round <= train.rounds(); round++) {
                round(round);
            }
        }

        private void round(int round) {
            long start = System.nanoTime();
            SelfTargetObjective current = selfTarget.withModel(model);
            Dataset<Row> targets = run.persist(targets(current));
            TargetFigures figures = TargetFigures.of(targets, hasReference);
            long changed = acceptedRows;
            if (previous != null) {
                changed = previous.select(col("_alignloss_hash"), col("ids").as("previous_ids")).join(targets.select(col("_alignloss_hash"), col("ids")), "_alignloss_hash")
                        .filter(not(col("previous_ids").eqNullSafe(col("ids")))).count();
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("round", round);
            entry.put("targets_changed", previous == null && round == firstRound && firstRound > 1 ? null : changed);
            entry.put("mean_target_entropy", Json.number(figures.meanEntropy()));
            entry.put("target_token_nll_before", Json.number(figures.targetNll()));
            entry.put("reference_token_nll_before", Json.number(figures.referenceNll()));
            LOG.info("round {}/{}: targets recomputed in {} s: {} of {} changed, mean target entropy {}, target token NLL under c′ {}{}",
                    round, train.rounds(), TrainingRun.seconds(start), previous == null ? "(first round: all)" : changed, acceptedRows,
                    format("%.4f", figures.meanEntropy()), format("%.4f", figures.targetNll()),
                    hasReference ? format(", reference token NLL under c′ %.4f", figures.referenceNll()) : "");
            double referenceNll = figures.referenceNll();
            if (previous != null && changed == 0 && Double.isFinite(previousReference) && referenceNll > previousReference + 1e-9) {
                run.warn(format("self-target round %d: no target changed while the reference loss got worse (%.5f → %.5f): "
                        + "the model is reinforcing its own outputs, not learning the reference", round, previousReference, referenceNll));
            }
            previousReference = referenceNll;
            fitOn(targets, round);
            entry.put("iterations", fit.state().iteration());
            entry.put("target_token_nll_after", fit.train().get("token_nll"));
            entries.add(entry);
            if (previous != null) {
                run.release(previous);
            }
            previous = targets;
            String path = checkpoint(round);
            LOG.info("round {}: target token NLL under c′ {} → {}; checkpoint {}", round, format("%.4f", figures.targetNll()),
                    fit.train().get("token_nll"), path);
        }

        /** Each accepted row's target under the current model, with what the round's figures and blocks need. */
        private Dataset<Row> targets(SelfTargetObjective current) {
            return current.withTargets(accepted)
                    .select(col("_alignloss_hash"), col(io.alignloss.data.InputContract.WEIGHT).cast("double").as("w"),
                            col(io.alignloss.data.InputContract.MODIFIED_CONTEXT).as("c_prime"), SelfTargetObjective.conditioning(accepted).as("z"),
                            current.target("target_token_ids").as("ids"), current.target("entropy").as("entropy"),
                            current.target("modified_logprob").as("modified_logprob"), current.target("target_tokens").as("target_tokens"),
                            current.target("reference_logprob").as("reference_logprob"), current.target("reference_tokens").as("reference_tokens"));
        }

        /** Takes the round's optimiser steps on the fixed targets from the current weights (not checkpointed within the round). */
        private void fitOn(Dataset<Row> targets, int round) {
            if (blocks != null) {
                run.release(blocks);
            }
            blocks = run.persist(LmData.targetBlocks(targets), "alignloss self-target round " + round);
            LmLoss loss = new LmLoss(blocks, model, false, train.regularization().l2(), train.treeDepth(), train.optimization().batchFraction(), settings.seed() + round);
            fit = run.optimise(new Fitting(train.withoutCheckpoints(), loss, model.weights().clone(), Optional.empty(),
                    x -> LanguageModelTrainer.languageFigures(loss.measure(x)), Optional.empty(), fingerprint));
            model = model.withWeights(fit.state().x());
        }

        private String checkpoint(int round) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("fingerprint", fingerprint);
            metadata.put("rounds", entries);
            metadata.put("history", List.of());
            return run.checkpoints().save(new OptimizerState("self-target", round, model.weights(), fit.finalObjective(), new double[0],
                    Map.of(), Map.of(), Optional.empty(), false), metadata).toString();
        }
    }
}
