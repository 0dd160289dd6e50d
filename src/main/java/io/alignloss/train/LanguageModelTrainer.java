package io.alignloss.train;

import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.SequenceLikelihoodOptions;
import io.alignloss.config.SequenceMode;
import io.alignloss.config.TrainConfig;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelFolder;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.LmSettings;
import io.alignloss.lm.LmSums;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.SequenceNll;
import io.alignloss.lm.Vocabulary;
import io.alignloss.summary.Json;
import io.alignloss.objective.sequence.SequenceLikelihoodObjective;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.not;

/**
 * Fits the log-linear n-gram language model of a sequence-likelihood objective by minimising its token-weighted
 * NLL (conditional or joint, the objective's mode) with the shared optimise loop (Adam unless train.optimizer
 * says otherwise), from a new model shaped by the objective's language-model block or from train.init-model;
 * writes the model folder.
 */
public final class LanguageModelTrainer extends SingleFitTrainer<LanguageModelTrainer.Sequences> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);


    /** What the sequences gave: the fitting, the model's structure, the NLL's mode, the loss (for its token count), the rows. */
    record Sequences(Fitting fitting, LanguageModel structure, String mode, LmLoss loss, long acceptedRows)
            implements SingleFitTrainer.Prepared {
    }

    public LanguageModelTrainer(ObjectiveConfig objective, InputConfig inputConfig) {
        super(objective, inputConfig);
    }

    @Override
    Sequences prepare(TrainingRun run) {
        RunSettings settings = run.settings();
        JobConfig config = settings.config();
        TrainConfig train = config.train().forLanguageModel();
        SequenceLikelihoodObjective sequence = new SequenceLikelihoodObjective(objective);
        boolean joint = sequence.mode() == SequenceMode.JOINT;
        String mode = joint ? "joint" : "conditional";
        LmSettings lm = LmSettings.of(objective.optionsAs(SequenceLikelihoodOptions.class).languageModel());
        Optional<LanguageModel> init = initModel(run, train);
        LOG.info("alignloss {} train: language model for objective {} ({} NLL) on input {} ({}), {}, optimizer {}, output {}",
                run.version(), objective.name(), mode, inputConfig.name(), inputConfig.path(),
                init.map(m -> "starting from " + train.initModel().get()).orElse("shape " + lm.describe()),
                train.optimization().optimizer().configName(), settings.out());
        PreparedInput input = InputReader.prepare(run.spark(), inputConfig, List.of(), List.of(), config.groups(), run.warnings());
        long acceptedRows = run.checkRejects(input, "language model");
        org.apache.spark.sql.Column hash = input.rowHash(settings.seed()).as("_alignloss_hash");
        Dataset<Row> accepted = input.rows().filter(input.accepted());
        org.apache.spark.sql.Column held = run.validation(input, train.validation().fraction());
        JavaRDD<SequenceBlock> trainBlocks = run.persist(LmData.blocks(accepted.filter(not(held)), hash), "alignloss train sequences");
        JavaRDD<SequenceBlock> validationBlocks = null;
        if (train.validation().fraction() > 0) {
            validationBlocks = run.persist(LmData.blocks(accepted.filter(held), hash), "alignloss validation sequences");
        }
        LanguageModel structure = structure(run, trainBlocks, lm, init, train);
        LmLoss loss = new LmLoss(trainBlocks, structure, joint, train.regularization().l2(), train.treeDepth(),
                train.optimization().batchFraction(), settings.seed());
        if (loss.totalTokens() == 0) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s': no training tokens "
                    + "(the validation split train.validation-fraction = %s left no rows)", inputConfig.name(), train.validation().fraction()));
        }
        LmLoss validationLoss = validationBlocks == null ? null
                : new LmLoss(validationBlocks, structure, joint, train.regularization().l2(), train.treeDepth(), 1, settings.seed());
        Optional<Validation> validation = validationLoss == null ? Optional.empty() : Optional.of(new Validation(
                x -> Map.of("loss", validationLoss.measure(x).tokenNll()), x -> languageFigures(validationLoss.measure(x))));
        Function<double[], Map<String, Object>> measure = x -> languageFigures(loss.measure(x));

        Map<String, Object> fingerprint = run.fingerprint(objective, null, structure.weights().length, inputConfig, acceptedRows);
        fingerprint.put("mode", mode);
        fingerprint.put("language_model", lm.describe());
        fingerprint.put("init_model", train.initModel().orElse(""));
        Fitting fitting = new Fitting(train, loss, structure.weights().clone(), validation, measure, run.saved(), fingerprint);
        return new Sequences(fitting, structure, mode, loss, acceptedRows);
    }

    @Override
    Trained save(TrainingRun run, Sequences sequences, Fit fit) {
        RunSettings settings = run.settings();
        TrainConfig train = sequences.fitting().train();
        LanguageModel structure = sequences.structure();
        long tokensSeen = fit.history().stream().mapToLong(entry -> ((Number) entry.getOrDefault("tokens", 0L)).longValue()).sum();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("objective", objective.name());
        block.put("model_kind", "language-model");
        block.put("mode", sequences.mode());
        block.put("optimizer", train.optimization().optimizer().configName());
        block.put("language_model", structure.shape().describe());
        block.put("parameters", structure.weights().length);
        block.put("kept_tokens", structure.vocabulary().keptCount());
        block.put("classes", structure.vocabulary().classes());
        block.put("init_model", train.initModel().orElse(null));
        block.put("l2", train.regularization().l2());
        block.put("lr", train.optimization().learningRate());
        block.put("batch_fraction", train.optimization().batchFraction());
        block.put("training_tokens", sequences.loss().totalTokens());
        fit.putOutcome(block);
        block.put("tokens_per_second", Json.number(tokensSeen / fit.seconds()));
        putFigures(block, run, sequences.fitting(), fit);

        LanguageModel trained = structure.withWeights(fit.state().x());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "mode", sequences.mode(),
                "l2", train.regularization().l2()));
        metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", sequences.acceptedRows(),
                "tokens", sequences.loss().totalTokens(), "final_objective", fit.finalObjective(), "iterations", fit.state().iteration(),
                "optimizer", train.optimization().optimizer().configName(), "seed", settings.seed(), "init_model", train.initModel().orElse("")));
        metadata.put("alignloss_version", run.version());
        LanguageModelFolder.save(trained, metadata, run.modelPath(), run.hadoop());
        LOG.info("language model written ({} parameters): train token NLL {} ({} perplexity); evaluating objective {} with it",
                trained.weights().length, fit.train().get("token_nll"), fit.train().get("perplexity"), objective.name());
        return Trained.languageModel(block, objective.name(), trained);
    }

    /** The model train.init-model names, if any; its own shape and vocabulary then override the objective's block. */
    private Optional<LanguageModel> initModel(TrainingRun run, TrainConfig train) {
        Optional<LanguageModel> init = train.initModel().map(path -> LanguageModelFolder.load(path, run.hadoop()));
        if (init.isPresent() && objective.optionsAs(SequenceLikelihoodOptions.class).languageModel().isPresent()) {
            run.warn(format("train.init-model = %s: the model's own shape and vocabulary are used; %s is ignored",
                    train.initModel().get(), objective.key(LmSettings.BLOCK)));
        }
        return init;
    }

    /**
     * The model to start from: the init model, else a new one whose vocabulary keeps the training tokens seen at
     * least min-count times; refuses no training rows, or a min-count that keeps no token.
     */
    private LanguageModel structure(TrainingRun run, JavaRDD<SequenceBlock> trainBlocks, LmSettings lm, Optional<LanguageModel> init,
            TrainConfig train) {
        long start = System.nanoTime();
        Map<Integer, Long> counts = LmData.counts(trainBlocks);
        long tokenCount = counts.values().stream().mapToLong(Long::longValue).sum();
        LOG.info("tokenised the training rows: {} tokens (with END), {} distinct ids, {} s", tokenCount, counts.size(),
                TrainingRun.seconds(start));
        if (counts.isEmpty()) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s': no training rows (the validation "
                    + "split train.validation-fraction = %s left none)", inputConfig.name(), train.validation().fraction()));
        }
        if (init.isEmpty() && counts.values().stream().noneMatch(count -> count >= lm.minCount())) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s.min-count = %d keeps no token: no token occurs that "
                    + "often in the %d training tokens", run.config().source(), objective.key(LmSettings.BLOCK), lm.minCount(), tokenCount));
        }
        LanguageModel structure = init.orElseGet(() -> LanguageModel.initial(lm.shape(),
                Vocabulary.fromCounts(counts, lm.minCount(), lm.classes()), counts, run.seed()));
        LOG.info("language model: {} parameters, {}; {} kept tokens in {} classes, {} rare ids share one class", structure.weights().length,
                structure.shape().describe(), structure.vocabulary().keptCount(), structure.vocabulary().classes(),
                structure.vocabulary().rareCount());
        return structure;
    }

    /** Rows, tokens, token NLL (also as {@code loss}) and perplexity exp(token NLL) of a language model's sums. */
    static Map<String, Object> languageFigures(LmSums sums) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", sums.rows());
        figures.put("tokens", sums.tokens());
        figures.put("loss", Json.number(sums.tokenNll()));
        figures.put("token_nll", Json.number(sums.tokenNll()));
        figures.put("perplexity", Json.number(SequenceNll.perplexity(sums.tokenNll())));
        return figures;
    }
}
