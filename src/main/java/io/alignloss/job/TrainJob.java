package io.alignloss.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveType;
import io.alignloss.config.TrainConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.Featurizer;
import io.alignloss.model.PairBlock;
import io.alignloss.model.PairData;
import io.alignloss.model.PairLoss;
import io.alignloss.model.PairLossAggregate;
import io.alignloss.model.RewardModel;
import io.alignloss.model.RewardScoring;
import io.alignloss.optim.Adam;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.DivergenceException;
import io.alignloss.optim.Lbfgs;
import io.alignloss.optim.Optimizer;
import io.alignloss.optim.OptimizerState;
import io.alignloss.optim.TrainingLoss;
import io.alignloss.optim.Vectors;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LanguageModelFolder;
import io.alignloss.lm.LmData;
import io.alignloss.lm.LmLoss;
import io.alignloss.lm.LmSettings;
import io.alignloss.lm.LmSums;
import io.alignloss.lm.SequenceBlock;
import io.alignloss.lm.Vocabulary;
import io.alignloss.model.LoggedPolicyLoss;
import io.alignloss.objective.SelfTargetObjective;
import io.alignloss.objective.SequenceLikelihoodObjective;
import io.alignloss.model.PolicyBlock;
import io.alignloss.model.PolicyData;
import io.alignloss.model.PolicyLoss;
import io.alignloss.model.PolicyLossAggregate;
import io.alignloss.objective.ExpectedUtilityObjective;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import io.alignloss.summary.Json;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The {@code train} job: fits a linear Bradley-Terry reward model {@code φ̂ = argmin_φ L(φ)} with
 * distributed L-BFGS or Adam over cached pair blocks, checkpoints the optimiser, writes the model, and
 * ends with an evaluation of the trained objective (the figures and report of {@code evaluate}) into
 * the same atomically published output.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    /** Salt that makes the validation split independent of the mini-batch draws. */
    private static final long VALIDATION_SALT = 0x76616c6964L;
    /** The checkpoint array holding the iterate with the best validation loss so far (early stopping keeps it). */
    private static final String BEST_X = "best_x";

    /** Settings from the command line on top of the config. */
    public record Settings(JobConfig config, String out, Overwrite overwrite, double maxRejectFraction, long seed, boolean resume) {
        public Settings {
            requireNonNull(overwrite, "overwrite is null");
        }

        /** With {@code --overwrite} as a flag: an existing alignloss output is replaced, anything else refused. */
        public Settings(JobConfig config, String out, boolean overwrite, double maxRejectFraction, long seed, boolean resume) {
            this(config, out, Overwrite.fromFlag(overwrite), maxRejectFraction, seed, resume);
        }
    }

    /** Observes iterations; tests use it to stop a run mid-way. */
    public interface IterationListener {
        void finished(OptimizerState state);
    }

    private final Settings settings;
    private final IterationListener listener;
    private TaskFailures failures;

    public TrainJob(Settings settings, IterationListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public TrainJob(Settings settings) {
        this(settings, state -> { });
    }

    /** The objective {@code train} fits: train.objective, else the config's only bradley-terry objective. */
    public static ObjectiveConfig trainedObjective(JobConfig config) {
        if (config.train().objective().isPresent()) {
            String name = config.train().objective().get();
            return config.objectives().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        }
        List<ObjectiveConfig> trainable = config.objectives().stream().filter(o -> o.type() == ObjectiveType.BRADLEY_TERRY).toList();
        List<ObjectiveConfig> sequences = config.objectives().stream()
                .filter(o -> o.type() == ObjectiveType.SEQUENCE_LIKELIHOOD || o.type() == ObjectiveType.SELF_TARGET).toList();
        if (trainable.isEmpty() && sequences.size() == 1) {
            return sequences.get(0);
        }
        if (trainable.size() != 1) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s; name the one to train with train.objective",
                    config.source(), trainable.isEmpty() ? "no bradley-terry objective to train"
                            : "several bradley-terry objectives (" + String.join(", ", trainable.stream().map(ObjectiveConfig::name).toList()) + ")"));
        }
        return trainable.get(0);
    }

    /** Checks, before Spark starts, that the config names one objective to train and what it trains on. */
    public static void checkTrainable(JobConfig config) {
        ObjectiveConfig objective = trainedObjective(config);
        if (objective.type() == ObjectiveType.SELF_TARGET) {
            if (config.train().initModel().isEmpty()) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: training self-target objective '%s' starts from a trained "
                        + "language model, which picks the first targets: set train.init-model = \"<train output>/model\"",
                        config.source(), objective.name()));
            }
        }
        else if (objective.type() == ObjectiveType.SEQUENCE_LIKELIHOOD) {
            LmSettings.parse(objective.options(), objective.key(LmSettings.BLOCK), config.source());
        }
        else {
            featureSpec(config, objective);
        }
    }

    /** The objective's own features block, else the top-level one. */
    public static FeatureSpec featureSpec(JobConfig config, ObjectiveConfig objective) {
        if (objective.options().hasPath("features")) {
            return TrainConfig.features(objective.options(), "features", config.source());
        }
        return config.features().orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG, format(
                "Config %s: objective '%s' has no features to train on: add features { type = embedding | text-hash | encoder }",
                config.source(), objective.name())));
    }

    /** The checkpoint folder of an output: {@code <out>.checkpoints} beside it. */
    public static String checkpointFolder(String out) {
        String trimmed = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
        return trimmed + ".checkpoints";
    }

    public EvaluateJob.Result run(SparkSession spark) {
        try (TaskFailures failures = TaskFailures.watch(spark)) {
            this.failures = failures;
            return runWatched(spark);
        }
    }

    private EvaluateJob.Result runWatched(SparkSession spark) {
        JobConfig config = settings.config();
        TrainConfig train = config.train();
        ObjectiveConfig objective = trainedObjective(config);
        boolean languageModel = objective.type() == ObjectiveType.SEQUENCE_LIKELIHOOD || objective.type() == ObjectiveType.SELF_TARGET;
        FeatureSpec spec = languageModel ? null : featureSpec(config, objective);
        if (objective.options().hasPath("model")) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: objective '%s' has model = \"%s\": train fits a new model; "
                    + "remove the key to train (evaluate uses it)", config.source(), objective.name(), objective.options().getString("model")));
        }
        InputConfig inputConfig = config.inputs().get(objective.input());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Checkpoints checkpoints = new Checkpoints(checkpointFolder(settings.out()), hadoop);
        Optional<Checkpoints.Saved> saved = checkpoints.latest();
        if (saved.isPresent() && !settings.resume()) {
            throw new AlignLossException(ErrorCode.USAGE, format("Cannot train into %s: checkpoints of an earlier run are in %s; "
                    + "pass --resume to continue from them, or delete them to start again", settings.out(), checkpoints.folder()));
        }
        if (saved.isEmpty() && settings.resume()) {
            LOG.warn("--resume: no checkpoint in {}; training from the start", checkpoints.folder());
        }
        OutputCommitter committer = OutputCommitter.begin(settings.out(), settings.overwrite(), "train", hadoop);
        if (objective.type() == ObjectiveType.EXPECTED_UTILITY) {
            return trainPolicy(spark, objective, spec, inputConfig, committer, checkpoints, saved);
        }
        if (objective.type() == ObjectiveType.SELF_TARGET) {
            return trainSelfTarget(spark, objective, inputConfig, committer, checkpoints, saved);
        }
        if (objective.type() == ObjectiveType.SEQUENCE_LIKELIHOOD) {
            return trainLanguageModel(spark, objective, inputConfig, committer, checkpoints, saved);
        }
        List<String> warnings = new ArrayList<>();
        JavaRDD<PairBlock> trainBlocks = null;
        JavaRDD<PairBlock> validationBlocks = null;
        try {
            LOG.info("alignloss {} train: objective {} on input {} ({}), {} features, optimizer {}, output {}", Version.alignloss(),
                    objective.name(), inputConfig.name(), inputConfig.path(), spec.type().configName(), train.optimizer(), settings.out());
            PreparedInput input = prepare(spark, inputConfig, spec, train, warnings);
            int dimension = dimension(input, spec);
            for (RowRule rule : RewardScoring.rules(spec, dimension)) {
                input = input.withRule(rule);
            }
            long acceptedRows = checkRejects(spark, committer, input, dimension);

            Featurizer featurizer = Featurizer.create(spec, dimension);
            Dataset<Row> accepted = PairData.withHash(input, settings.seed()).filter(input.accepted());
            org.apache.spark.sql.Column held = validation(input, train.validationFraction());
            boolean centred = train.centerRewards() > 0;
            trainBlocks = PairData.blocks(accepted.filter(not(held)), featurizer, train.margin(), centred)
                    .persist(StorageLevel.MEMORY_AND_DISK()).setName("alignloss train pairs");
            long trainPairs = countPairs(trainBlocks, "training");
            if (trainPairs == 0) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot train on input '%s': the validation split (train.validation-fraction = %s) left no training rows",
                        inputConfig.name(), train.validationFraction()));
            }
            if (train.validationFraction() > 0) {
                validationBlocks = PairData.blocks(accepted.filter(held), featurizer, train.margin(), centred)
                        .persist(StorageLevel.MEMORY_AND_DISK()).setName("alignloss validation pairs");
                countPairs(validationBlocks, "validation");
            }
            PairLoss loss = new PairLoss(trainBlocks, dimension, train.l2(), train.centerRewards(), train.treeDepth(),
                    train.batchFraction(), settings.seed());
            PairLoss validationLoss = validationBlocks == null ? null
                    : new PairLoss(validationBlocks, dimension, train.l2(), train.centerRewards(), train.treeDepth(), 1, settings.seed());

            Map<String, Object> fingerprint = fingerprint(objective, spec, dimension, inputConfig, acceptedRows);
            Fit fit = optimise(train, loss, new double[dimension], Validation.of(validationLoss), x -> figures(loss.measure(x)), checkpoints, saved,
                    fingerprint, warnings);

            Map<String, Object> block = new LinkedHashMap<>();
            block.put("objective", objective.name());
            block.put("optimizer", train.optimizer());
            block.put("features", spec.describe());
            block.put("dimension", dimension);
            block.put("l2", train.l2());
            block.put("center_rewards", train.centerRewards());
            train.margin().ifPresent(margin -> block.put("margin_column", margin));
            block.put("final_objective", Json.number(fit.finalObjective));
            block.put("iterations", fit.state.iteration());
            block.put("converged", fit.state.converged());
            block.put("stop_reason", fit.state.stopReason().orElse(""));
            block.put("resumed_from_iteration", fit.resumedFrom);
            block.put("train", fit.train);
            if (validationLoss != null) {
                block.put("validation", fit.validation);
            }
            block.put("validation_fraction", train.validationFraction());
            block.put("history", fit.history);
            block.put("model", committer.target() + "/model");
            block.put("checkpoints", checkpoints.folder().toString());
            // tasks Spark re-ran and executors lost while training (the evaluation's own are in run)
            block.put("task_failures", failures.failedTasks());
            block.put("executors_lost", failures.lostExecutors());

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.l2(),
                    "center_rewards", train.centerRewards(), "margin_column", train.margin().orElse("")));
            metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", acceptedRows, "train_pairs", trainPairs,
                    "final_objective", fit.finalObjective, "iterations", fit.state.iteration(), "converged", fit.state.converged(),
                    "optimizer", train.optimizer(), "seed", settings.seed()));
            metadata.put("alignloss_version", Version.alignloss());
            RewardModel model = new RewardModel(spec, fit.state.x(), metadata);
            model.save(new org.apache.hadoop.fs.Path(committer.stagingPath("model")), hadoop);
            LOG.info("model written ({} weights); evaluating objective {} with it", dimension, objective.name());

            EvaluateJob.Result result = evaluateTrained(spark, committer, block, warnings, Map.of(objective.name(), model), Map.of());
            checkpoints.deleteAll();
            return result;
        }
        finally {
            if (trainBlocks != null) {
                trainBlocks.unpersist(false);
            }
            if (validationBlocks != null) {
                validationBlocks.unpersist(false);
            }
            committer.abort();
        }
    }

    /**
     * Fits a linear softmax policy π_θ(y|x) = softmax_y(θ·f(x, y)) over the candidates sharing a prompt_id by
     * minimising the negative expected utility (with the entropy bonus and L2), with the same optimiser loop,
     * checkpoints and summary block as the reward model; saves θ in the reward model's folder format with
     * {@code model: policy} in its metadata.
     */
    private EvaluateJob.Result trainPolicy(SparkSession spark, ObjectiveConfig objective, FeatureSpec spec, InputConfig inputConfig,
            OutputCommitter committer, Checkpoints checkpoints, Optional<Checkpoints.Saved> saved) {
        JobConfig config = settings.config();
        TrainConfig train = config.train();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> warnings = new ArrayList<>();
        JavaRDD<PolicyBlock> blocks = null;
        try {
            if (inputConfig.kind() != io.alignloss.config.InputKind.SEQUENCE) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: training expected-utility objective '%s' needs a sequence "
                        + "input (rows = candidate responses with %s), but '%s' is a %s input", config.source(), objective.name(),
                        PolicyData.PROMPT_ID, inputConfig.name(), inputConfig.kind().configName()));
            }
            ExpectedUtilityObjective utility = new ExpectedUtilityObjective(objective);
            double entropy = objective.options().hasPath("entropy") ? objective.options().getDouble("entropy") : 0;
            if (!(entropy >= 0) || !Double.isFinite(entropy)) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s: %s (must be a finite number >= 0)",
                        objective.key("entropy"), entropy));
            }
            LOG.info("alignloss {} train: policy for objective {} on input {} ({}), {} features, entropy {}, optimizer {}, output {}",
                    Version.alignloss(), objective.name(), inputConfig.name(), inputConfig.path(), spec.type().configName(), entropy,
                    train.optimizer(), settings.out());
            boolean logged = !train.estimator().equals(TrainConfig.EXACT);
            if (logged && entropy > 0) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s = %s applies to the exact objective; "
                        + "train.objective-estimator = %s trains on the off-policy estimate without an entropy bonus: remove it",
                        config.source(), objective.key("entropy"), entropy, train.estimator()));
            }
            List<ColumnSpec> columns = new ArrayList<>(utility.columns());
            columns.add(ColumnSpec.required(PolicyData.PROMPT_ID, ColumnType.ID, "objective " + objective.name() + " (candidate sets)"));
            if (spec.type() == FeatureType.EMBEDDING) {
                columns.add(ColumnSpec.required(PolicyData.EMBEDDING, ColumnType.DOUBLE_ARRAY, "features embedding"));
            }
            List<RowRule> rules = new ArrayList<>();
            if (logged) {
                // logged data: each prompt's candidates, logged = true on the shown one, whose utility and behavior_prob were recorded
                String who = "train.objective-estimator = " + train.estimator() + " (logged data)";
                columns.add(ColumnSpec.required(ExpectedUtilityObjective.BEHAVIOR_PROB, ColumnType.DOUBLE, who));
                columns.add(ColumnSpec.required(ExpectedUtilityObjective.LOGGED, ColumnType.BOOLEAN, who));
                org.apache.spark.sql.Column shown = org.apache.spark.sql.functions.coalesce(
                        io.alignloss.data.PreparedInput.column(ExpectedUtilityObjective.LOGGED), lit(false));
                List<RowRule> onShown = new ArrayList<>(utility.rules());
                onShown.add(Rules.badBehaviorProb(ExpectedUtilityObjective.BEHAVIOR_PROB));
                for (RowRule rule : onShown) {
                    rules.add(RowRule.of(rule.code(), shown.and(rule.failsWhen())));
                }
            }
            else {
                rules.addAll(utility.rules());
            }
            rules.add(RowRule.of(RowRule.MISSING_TEXT, io.alignloss.data.PreparedInput.column(PolicyData.PROMPT_ID).isNull()));
            PreparedInput input = InputReader.prepare(spark, inputConfig, columns, rules, config.groups(), warnings);
            int dimension;
            if (spec.type() == FeatureType.EMBEDDING) {
                List<Row> first = input.rows().where(col(PolicyData.EMBEDDING).isNotNull()).select(size(col(PolicyData.EMBEDDING)))
                        .limit(1).collectAsList();
                if (first.isEmpty() || first.get(0).getInt(0) <= 0) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s' (%s): no row has a non-empty %s",
                            input.name(), inputConfig.path(), PolicyData.EMBEDDING));
                }
                dimension = first.get(0).getInt(0);
                input = input.withRule(Rules.badEmbedding(PolicyData.EMBEDDING, dimension));
            }
            else {
                dimension = Featurizer.create(spec, 0).dimension();
            }
            long acceptedRows = checkRejects(spark, committer, input, dimension);
            Featurizer featurizer = Featurizer.create(spec, dimension);
            Dataset<Row> accepted = input.rows().filter(input.accepted());
            blocks = (logged ? PolicyData.loggedBlocks(accepted, featurizer, utility.utilityOf(), settings.seed())
                    : PolicyData.blocks(accepted, featurizer, utility.utilityOf(), settings.seed()))
                    .persist(StorageLevel.MEMORY_AND_DISK()).setName("alignloss train candidate sets");
            TrainingLoss loss;
            Function<double[], Map<String, Object>> measure;
            if (logged) {
                LoggedPolicyLoss estimate = new LoggedPolicyLoss(blocks, dimension, train.l2(), train.estimator().equals(TrainConfig.SNIPS),
                        train.treeDepth(), train.batchFraction(), settings.seed());
                loss = estimate;
                measure = estimate::measure;
            }
            else {
                PolicyLoss exact = new PolicyLoss(blocks, dimension, train.l2(), entropy, train.treeDepth(), train.batchFraction(), settings.seed());
                loss = exact;
                measure = x -> policyFigures(exact.measure(x));
            }
            Map<String, Object> before = measure.apply(new double[dimension]);
            LOG.info("cached {} prompts; uniform policy (θ = 0): mean utility {} ({})", before.get("prompts"), before.get("mean_utility"),
                    train.estimator());
            if (logged && ((Number) before.get("logged")).longValue() == 0) {
                throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format("Cannot train with train.objective-estimator = %s: "
                        + "input '%s' has no rows to train on (%s): no accepted row has %s = true", train.estimator(), inputConfig.name(),
                        inputConfig.path(), ExpectedUtilityObjective.LOGGED));
            }

            Map<String, Object> fingerprint = fingerprint(objective, spec, dimension, inputConfig, acceptedRows);
            fingerprint.put("entropy", entropy);
            fingerprint.put("estimator", train.estimator());
            Fit fit = optimise(train, loss, new double[dimension], null, measure, checkpoints, saved, fingerprint, warnings);

            Map<String, Object> block = new LinkedHashMap<>();
            block.put("objective", objective.name());
            block.put("model_kind", "policy");
            block.put("optimizer", train.optimizer());
            block.put("features", spec.describe());
            block.put("dimension", dimension);
            block.put("l2", train.l2());
            block.put("entropy", entropy);
            block.put("estimator", train.estimator());
            block.put("final_objective", Json.number(fit.finalObjective));
            block.put("iterations", fit.state.iteration());
            block.put("converged", fit.state.converged());
            block.put("stop_reason", fit.state.stopReason().orElse(""));
            block.put("resumed_from_iteration", fit.resumedFrom);
            block.put("uniform", before);
            block.put("train", fit.train);
            block.put("history", fit.history);
            block.put("model", committer.target() + "/model");
            block.put("checkpoints", checkpoints.folder().toString());
            // tasks Spark re-ran and executors lost while training (the evaluation's own are in run)
            block.put("task_failures", failures.failedTasks());
            block.put("executors_lost", failures.lostExecutors());

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("model", "policy");
            metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.l2(),
                    "entropy", entropy, "utility", utility.formula(), "candidate_sets", PolicyData.PROMPT_ID, "estimator", train.estimator()));
            metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", acceptedRows, "final_objective", fit.finalObjective,
                    "iterations", fit.state.iteration(), "converged", fit.state.converged(), "optimizer", train.optimizer(),
                    "seed", settings.seed()));
            metadata.put("alignloss_version", Version.alignloss());
            RewardModel policy = new RewardModel(spec, fit.state.x(), metadata);
            policy.save(new org.apache.hadoop.fs.Path(committer.stagingPath("model")), hadoop);
            LOG.info("policy written ({} weights): mean utility {} (uniform {})", dimension, fit.train.get("mean_utility"),
                    before.get("mean_utility"));

            // the evaluation sees the trained policy: on candidate sets its E_x E_π[U], on logged data its off-policy estimates
            EvaluateJob.Result result = evaluateTrained(spark, committer, block, warnings, Map.of(objective.name(), policy), Map.of());
            checkpoints.deleteAll();
            return result;
        }
        finally {
            if (blocks != null) {
                blocks.unpersist(false);
            }
            committer.abort();
        }
    }

    /**
     * Fits the log-linear n-gram language model of a sequence-likelihood objective by minimising its token-weighted
     * NLL (conditional or joint, the objective's mode) with the shared optimiser loop (Adam unless train.optimizer
     * says otherwise), checkpoints and summary block; writes the model folder and evaluates the objective with it.
     */
    private EvaluateJob.Result trainLanguageModel(SparkSession spark, ObjectiveConfig objective, InputConfig inputConfig,
            OutputCommitter committer, Checkpoints checkpoints, Optional<Checkpoints.Saved> saved) {
        JobConfig config = settings.config();
        TrainConfig train = config.train().forLanguageModel();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> warnings = new ArrayList<>();
        JavaRDD<SequenceBlock> trainBlocks = null;
        JavaRDD<SequenceBlock> validationBlocks = null;
        try {
            SequenceLikelihoodObjective sequence = new SequenceLikelihoodObjective(objective);
            boolean joint = sequence.mode() == SequenceLikelihoodObjective.Mode.JOINT;
            String mode = joint ? "joint" : "conditional";
            LmSettings lm = LmSettings.parse(objective.options(), objective.key(LmSettings.BLOCK), config.source());
            Optional<LanguageModel> init = train.initModel().map(path -> LanguageModelFolder.load(path, hadoop));
            if (init.isPresent() && objective.options().hasPath(LmSettings.BLOCK)) {
                String warning = format("train.init-model = %s: the model's own shape and vocabulary are used; %s is ignored",
                        train.initModel().get(), objective.key(LmSettings.BLOCK));
                LOG.warn(warning);
                warnings.add(warning);
            }
            LOG.info("alignloss {} train: language model for objective {} ({} NLL) on input {} ({}), {}, optimizer {}, output {}",
                    Version.alignloss(), objective.name(), mode, inputConfig.name(), inputConfig.path(),
                    init.map(m -> "starting from " + train.initModel().get()).orElse("shape " + lm.describe()), train.optimizer(), settings.out());
            PreparedInput input = InputReader.prepare(spark, inputConfig, List.of(), List.of(), config.groups(), warnings);
            long acceptedRows = checkRejects(spark, committer, input, "language model");
            org.apache.spark.sql.Column hash = input.rowHash(settings.seed()).as("_alignloss_hash");
            Dataset<Row> accepted = input.rows().filter(input.accepted());
            org.apache.spark.sql.Column held = validation(input, train.validationFraction());
            trainBlocks = LmData.blocks(accepted.filter(not(held)), hash).persist(StorageLevel.MEMORY_AND_DISK()).setName("alignloss train sequences");
            if (train.validationFraction() > 0) {
                validationBlocks = LmData.blocks(accepted.filter(held), hash).persist(StorageLevel.MEMORY_AND_DISK())
                        .setName("alignloss validation sequences");
            }
            long start = System.nanoTime();
            Map<Integer, Long> counts = LmData.counts(trainBlocks);
            long tokenCount = counts.values().stream().mapToLong(Long::longValue).sum();
            LOG.info("tokenised the training rows: {} tokens (with END), {} distinct ids, {} s", tokenCount, counts.size(), seconds(start));
            if (counts.isEmpty()) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s': no training rows (the validation "
                        + "split train.validation-fraction = %s left none)", inputConfig.name(), train.validationFraction()));
            }
            if (init.isEmpty() && counts.values().stream().noneMatch(count -> count >= lm.minCount())) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s.min-count = %d keeps no token: no token occurs that "
                        + "often in the %d training tokens", config.source(), objective.key(LmSettings.BLOCK), lm.minCount(), tokenCount));
            }
            LanguageModel structure = init.orElseGet(() -> LanguageModel.initial(lm.shape(),
                    Vocabulary.fromCounts(counts, lm.minCount(), lm.classes()), counts, settings.seed()));
            LOG.info("language model: {} parameters, {}; {} kept tokens in {} classes, {} rare ids share one class", structure.weights().length,
                    structure.shape().describe(), structure.vocabulary().keptCount(), structure.vocabulary().classes(),
                    structure.vocabulary().rareCount());
            LmLoss loss = new LmLoss(trainBlocks, structure, joint, train.l2(), train.treeDepth(), train.batchFraction(), settings.seed());
            if (loss.totalTokens() == 0) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s': no training tokens "
                        + "(the validation split train.validation-fraction = %s left no rows)", inputConfig.name(), train.validationFraction()));
            }
            LmLoss validationLoss = validationBlocks == null ? null
                    : new LmLoss(validationBlocks, structure, joint, train.l2(), train.treeDepth(), 1, settings.seed());
            Validation validation = validationLoss == null ? null : new Validation(
                    x -> Map.of("loss", tokenNll(validationLoss.measure(x))), x -> languageFigures(validationLoss.measure(x)));
            Function<double[], Map<String, Object>> measure = x -> languageFigures(loss.measure(x));

            Map<String, Object> fingerprint = fingerprint(objective, null, structure.weights().length, inputConfig, acceptedRows);
            fingerprint.put("mode", mode);
            fingerprint.put("language_model", lm.describe());
            fingerprint.put("init_model", train.initModel().orElse(""));
            long trainStart = System.nanoTime();
            Fit fit = optimise(train, loss, structure.weights().clone(), validation, measure, checkpoints, saved, fingerprint, warnings);
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            long tokensSeen = fit.history.stream().mapToLong(entry -> ((Number) entry.getOrDefault("tokens", 0L)).longValue()).sum();

            Map<String, Object> block = new LinkedHashMap<>();
            block.put("objective", objective.name());
            block.put("model_kind", "language-model");
            block.put("mode", mode);
            block.put("optimizer", train.optimizer());
            block.put("language_model", structure.shape().describe());
            block.put("parameters", structure.weights().length);
            block.put("kept_tokens", structure.vocabulary().keptCount());
            block.put("classes", structure.vocabulary().classes());
            block.put("init_model", train.initModel().orElse(null));
            block.put("l2", train.l2());
            block.put("lr", train.learningRate());
            block.put("batch_fraction", train.batchFraction());
            block.put("training_tokens", loss.totalTokens());
            block.put("final_objective", Json.number(fit.finalObjective));
            block.put("iterations", fit.state.iteration());
            block.put("converged", fit.state.converged());
            block.put("stop_reason", fit.state.stopReason().orElse(""));
            block.put("resumed_from_iteration", fit.resumedFrom);
            block.put("tokens_per_second", Json.number(tokensSeen / trainSeconds));
            block.put("train", fit.train);
            if (validation != null) {
                block.put("validation", fit.validation);
            }
            block.put("validation_fraction", train.validationFraction());
            block.put("history", fit.history);
            block.put("model", committer.target() + "/model");
            block.put("checkpoints", checkpoints.folder().toString());
            block.put("task_failures", failures.failedTasks());
            block.put("executors_lost", failures.lostExecutors());

            LanguageModel trained = structure.withWeights(fit.state.x());
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "mode", mode, "l2", train.l2()));
            metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", acceptedRows, "tokens", loss.totalTokens(),
                    "final_objective", fit.finalObjective, "iterations", fit.state.iteration(), "optimizer", train.optimizer(),
                    "seed", settings.seed(), "init_model", train.initModel().orElse("")));
            metadata.put("alignloss_version", Version.alignloss());
            LanguageModelFolder.save(trained, metadata, new org.apache.hadoop.fs.Path(committer.stagingPath("model")), hadoop);
            LOG.info("language model written ({} parameters): train token NLL {} ({} perplexity); evaluating objective {} with it",
                    trained.weights().length, fit.train.get("token_nll"), fit.train.get("perplexity"), objective.name());

            EvaluateJob.Result result = evaluateTrained(spark, committer, block, warnings, Map.of(), Map.of(objective.name(), trained));
            checkpoints.deleteAll();
            return result;
        }
        finally {
            if (trainBlocks != null) {
                trainBlocks.unpersist(false);
            }
            if (validationBlocks != null) {
                validationBlocks.unpersist(false);
            }
            committer.abort();
        }
    }

    /**
     * Self-training on model-generated targets, in rounds: recompute every row's target ŷ = argmax_y log Pr(y|c,z)
     * with the current model, then take the configured optimiser steps on −log Pr(ŷ|c′,z) (token-weighted, ŷ fixed)
     * from the current weights. Each round logs how many targets changed and their mean entropy, and is
     * checkpointed; a warning flags rounds where the targets stopped changing while the reference loss (when the
     * input has a reference column) got worse: the model then only reinforces its own outputs.
     */
    private EvaluateJob.Result trainSelfTarget(SparkSession spark, ObjectiveConfig objective, InputConfig inputConfig,
            OutputCommitter committer, Checkpoints checkpoints, Optional<Checkpoints.Saved> saved) {
        JobConfig config = settings.config();
        TrainConfig train = config.train().forLanguageModel();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> warnings = new ArrayList<>();
        Dataset<Row> previous = null;
        JavaRDD<SequenceBlock> blocks = null;
        try {
            SelfTargetObjective selfTarget = new SelfTargetObjective(objective);
            String initPath = train.initModel().orElseThrow(() -> new AlignLossException(ErrorCode.CONFIG, format(
                    "Config %s: training self-target objective '%s' starts from a trained language model: set train.init-model",
                    config.source(), objective.name())));
            LanguageModel model = LanguageModelFolder.load(initPath, hadoop);
            LOG.info("alignloss {} train: self-target objective {} on input {} ({}), from language model {}, {} rounds, optimizer {}, output {}",
                    Version.alignloss(), objective.name(), inputConfig.name(), inputConfig.path(), initPath, train.rounds(),
                    train.optimizer(), settings.out());
            PreparedInput input = InputReader.prepare(spark, inputConfig, List.of(), List.of(), config.groups(), warnings);
            long acceptedRows = checkRejects(spark, committer, input, "language model " + initPath);
            List<String> present = List.of(input.rows().columns());
            boolean hasReference = present.contains(io.alignloss.data.InputContract.REFERENCE);
            Dataset<Row> accepted = input.rows().filter(input.accepted()).withColumn("_alignloss_hash", input.rowHash(settings.seed()));

            Map<String, Object> fingerprint = fingerprint(objective, null, model.weights().length, inputConfig, acceptedRows);
            fingerprint.put("init_model", initPath);
            fingerprint.put("rounds", train.rounds());
            fingerprint.put("max_target_tokens", selfTarget.maxTargetTokens());
            List<Map<String, Object>> rounds = new ArrayList<>();
            int firstRound = 1;
            if (saved.isPresent()) {
                JsonNode metadata = saved.get().metadata();
                checkFingerprint(saved.get(), fingerprint);
                model = model.withWeights(saved.get().state().x());
                firstRound = (int) saved.get().state().iteration() + 1;
                metadata.get("rounds").forEach(entry -> rounds.add(SummaryJson.mapper().convertValue(entry, Map.class)));
                LOG.info("resuming after round {} from checkpoint {}", firstRound - 1, saved.get().path());
            }
            double previousReference = rounds.isEmpty() ? Double.NaN
                    : ((Number) rounds.get(rounds.size() - 1).getOrDefault("reference_token_nll_before", Double.NaN)).doubleValue();
            Fit fit = null;
            for (int round = firstRound; round <= train.rounds(); round++) {
                long start = System.nanoTime();
                SelfTargetObjective current = selfTarget.withModel(model);
                Dataset<Row> targets = current.withTargets(accepted)
                        .select(col("_alignloss_hash"), col(io.alignloss.data.InputContract.WEIGHT).cast("double").as("w"),
                                col(io.alignloss.data.InputContract.MODIFIED_CONTEXT).as("c_prime"), SelfTargetObjective.conditioning(accepted).as("z"),
                                current.target("target_token_ids").as("ids"), current.target("entropy").as("entropy"),
                                current.target("modified_logprob").as("modified_logprob"), current.target("target_tokens").as("target_tokens"),
                                current.target("reference_logprob").as("reference_logprob"), current.target("reference_tokens").as("reference_tokens"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                Row stats = targets.agg(sum(col("w").multiply(col("entropy"))), sum(col("w")),
                        sum(col("w").multiply(org.apache.spark.sql.functions.negate(col("modified_logprob")))),
                        sum(col("w").multiply(col("target_tokens").plus(1))),
                        sum(when(col("reference_logprob").isNotNull(), col("w").multiply(org.apache.spark.sql.functions.negate(col("reference_logprob"))))),
                        sum(when(col("reference_logprob").isNotNull(), col("w").multiply(col("reference_tokens").plus(1))))).first();
                double meanEntropy = stats.getDouble(0) / stats.getDouble(1);
                double targetNll = stats.getDouble(2) / stats.getDouble(3);
                double referenceNll = hasReference && !stats.isNullAt(5) && stats.getDouble(5) > 0 ? stats.getDouble(4) / stats.getDouble(5) : Double.NaN;
                long changed = acceptedRows;
                if (previous != null) {
                    changed = previous.select(col("_alignloss_hash"), col("ids").as("previous_ids")).join(targets.select(col("_alignloss_hash"), col("ids")), "_alignloss_hash")
                            .filter(not(col("previous_ids").eqNullSafe(col("ids")))).count();
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("round", round);
                entry.put("targets_changed", previous == null && round == firstRound && firstRound > 1 ? null : changed);
                entry.put("mean_target_entropy", Json.number(meanEntropy));
                entry.put("target_token_nll_before", Json.number(targetNll));
                entry.put("reference_token_nll_before", Json.number(referenceNll));
                LOG.info("round {}/{}: targets recomputed in {} s: {} of {} changed, mean target entropy {}, target token NLL under c′ {}{}",
                        round, train.rounds(), seconds(start), previous == null ? "(first round: all)" : changed, acceptedRows,
                        format("%.4f", meanEntropy), format("%.4f", targetNll),
                        hasReference ? format(", reference token NLL under c′ %.4f", referenceNll) : "");
                if (previous != null && changed == 0 && Double.isFinite(previousReference) && referenceNll > previousReference + 1e-9) {
                    String warning = format("self-target round %d: no target changed while the reference loss got worse (%.5f → %.5f): "
                            + "the model is reinforcing its own outputs, not learning the reference", round, previousReference, referenceNll);
                    LOG.warn(warning);
                    warnings.add(warning);
                }
                previousReference = referenceNll;
                if (blocks != null) {
                    blocks.unpersist(false);
                }
                blocks = LmData.targetBlocks(targets).persist(StorageLevel.MEMORY_AND_DISK()).setName("alignloss self-target round " + round);
                LmLoss loss = new LmLoss(blocks, model, false, train.l2(), train.treeDepth(), train.batchFraction(), settings.seed() + round);
                fit = optimise(train.withoutCheckpoints(), loss, model.weights().clone(), null, x -> languageFigures(loss.measure(x)),
                        checkpoints, Optional.empty(), fingerprint, warnings);
                model = model.withWeights(fit.state.x());
                entry.put("iterations", fit.state.iteration());
                entry.put("target_token_nll_after", fit.train.get("token_nll"));
                rounds.add(entry);
                if (previous != null) {
                    previous.unpersist(false);
                }
                previous = targets;
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("fingerprint", fingerprint);
                metadata.put("rounds", rounds);
                metadata.put("history", List.of());
                String path = checkpoints.save(new OptimizerState("self-target", round, model.weights(), fit.finalObjective, new double[0],
                        Map.of(), Map.of(), Optional.empty(), false), metadata).toString();
                LOG.info("round {}: target token NLL under c′ {} → {}; checkpoint {}", round, format("%.4f", targetNll),
                        fit.train.get("token_nll"), path);
            }

            Map<String, Object> block = new LinkedHashMap<>();
            block.put("objective", objective.name());
            block.put("model_kind", "language-model");
            block.put("objective_type", "self-target");
            block.put("init_model", initPath);
            block.put("optimizer", train.optimizer());
            block.put("rounds", rounds);
            block.put("max_target_tokens", selfTarget.maxTargetTokens());
            block.put("l2", train.l2());
            block.put("lr", train.learningRate());
            block.put("final_objective", fit == null ? null : Json.number(fit.finalObjective));
            block.put("resumed_from_round", firstRound - 1);
            block.put("model", committer.target() + "/model");
            block.put("checkpoints", checkpoints.folder().toString());
            block.put("task_failures", failures.failedTasks());
            block.put("executors_lost", failures.lostExecutors());

            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.l2()));
            metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", acceptedRows, "rounds", train.rounds(),
                    "optimizer", train.optimizer(), "seed", settings.seed(), "init_model", initPath));
            metadata.put("alignloss_version", Version.alignloss());
            LanguageModelFolder.save(model, metadata, new org.apache.hadoop.fs.Path(committer.stagingPath("model")), hadoop);
            LOG.info("self-trained language model written; evaluating objective {} with it", objective.name());

            EvaluateJob.Result result = evaluateTrained(spark, committer, block, warnings, Map.of(), Map.of(objective.name(), model));
            checkpoints.deleteAll();
            return result;
        }
        finally {
            if (blocks != null) {
                blocks.unpersist(false);
            }
            if (previous != null) {
                previous.unpersist(false);
            }
            committer.abort();
        }
    }

    /** The evaluation that ends every train run, with the trained models, into the output the run already writes. */
    private EvaluateJob.Result evaluateTrained(SparkSession spark, OutputCommitter committer, Map<String, Object> block, List<String> warnings,
            Map<String, RewardModel> models, Map<String, LanguageModel> languageModels) {
        EvaluateJob.Settings evaluate = new EvaluateJob.Settings(settings.config(), settings.out(), settings.overwrite(),
                settings.maxRejectFraction(), settings.seed(), EvaluateJob.Mode.EVALUATE);
        return new EvaluateJob(evaluate).run(spark, new EvaluateJob.Extras("train", Optional.of(committer), models, Map.of("train", block),
                warnings, languageModels));
    }

    /** Refuses (exit 2) a checkpoint written by a run with another fingerprint. */
    private static void checkFingerprint(Checkpoints.Saved saved, Map<String, Object> fingerprint) {
        JsonNode recorded = saved.metadata().get("fingerprint");
        JsonNode expected = SummaryJson.mapper().valueToTree(fingerprint);
        if (recorded == null || !expected.toString().equals(recorded.toString())) {
            throw new AlignLossException(ErrorCode.USAGE, format("Cannot resume from %s: it was written by a run with another "
                    + "objective, features, model, optimiser or data (%s, now %s); delete the checkpoints to start again",
                    saved.path(), recorded, expected));
        }
    }

    // token NLL = Σ w·NLL / Σ w·tokens
    private static double tokenNll(LmSums sums) {
        return sums.weightedTokens() > 0 ? sums.nll() / sums.weightedTokens() : Double.NaN;
    }

    private static Map<String, Object> languageFigures(LmSums sums) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", sums.rows());
        figures.put("tokens", sums.tokens());
        figures.put("loss", Json.number(tokenNll(sums)));
        figures.put("token_nll", Json.number(tokenNll(sums)));
        figures.put("perplexity", Json.number(Math.exp(tokenNll(sums))));
        return figures;
    }

    // mean_utility = Σ_x w_x E_π[U|x] / Σ_x w_x; loss = −mean_utility (the objective without entropy bonus and L2)
    private static Map<String, Object> policyFigures(PolicyLossAggregate measured) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("prompts", measured.count());
        figures.put("weight_sum", measured.weightSum());
        figures.put("mean_utility", Json.number(measured.meanUtility()));
        figures.put("loss", Json.number(-measured.meanUtility()));
        figures.put("entropy", Json.number(measured.meanEntropy()));
        return figures;
    }

    /** The optimiser's outcome and the figures of the returned weights. */
    private record Fit(OptimizerState state, double finalObjective, long resumedFrom, List<Map<String, Object>> history,
            Map<String, Object> train, Map<String, Object> validation) {
    }

    /**
     * A held-out loss followed during training: {@code perIteration} gives the figures logged each iteration
     * ({@code loss}, optionally {@code accuracy}), {@code figures} the final block.
     */
    private record Validation(Function<double[], Map<String, Double>> perIteration, Function<double[], Map<String, Object>> figures) {
        static Validation of(PairLoss loss) {
            if (loss == null) {
                return null;
            }
            return new Validation(x -> {
                PairLossAggregate measured = loss.measure(x);
                return Map.of("loss", measured.meanLoss(), "accuracy", measured.accuracy());
            }, x -> TrainJob.figures(loss.measure(x)));
        }
    }

    private Fit optimise(TrainConfig train, TrainingLoss loss, double[] x0, Validation validation, Function<double[], Map<String, Object>> measure,
            Checkpoints checkpoints, Optional<Checkpoints.Saved> saved, Map<String, Object> fingerprint, List<String> warnings) {
        Optimizer optimizer = train.optimizer().equals(Adam.NAME) ? new Adam(train.learningRate(), train.iterations())
                : new Lbfgs(train.memory(), train.iterations(), train.tol());
        List<Map<String, Object>> history = new ArrayList<>();
        OptimizerState state;
        long resumedFrom = 0;
        double bestValidation = Double.POSITIVE_INFINITY;
        double[] bestX = null;
        int sinceBest = 0;
        if (saved.isPresent()) {
            JsonNode metadata = saved.get().metadata();
            checkFingerprint(saved.get(), fingerprint);
            state = saved.get().state();
            resumedFrom = state.iteration();
            metadata.get("history").forEach(entry -> history.add(SummaryJson.mapper().convertValue(entry, Map.class)));
            if (metadata.has("best_validation")) {
                bestValidation = metadata.get("best_validation").asDouble();
                sinceBest = metadata.get("since_best").asInt();
                bestX = saved.get().extra(BEST_X).orElse(null);
                if (bestX == null && train.patience() > 0) {
                    String warning = format("checkpoint %s has no best weights (written by an older version): the run keeps the best "
                            + "weights seen after resuming, or the last ones if none is better than %s", saved.get().path(),
                            format("%.6g", bestValidation));
                    LOG.warn(warning);
                    warnings.add(warning);
                }
            }
            LOG.info("resuming from checkpoint {} (iteration {}, objective {})", saved.get().path(), state.iteration(), state.value());
        }
        else {
            long start = System.nanoTime();
            state = optimizer.start(x0, loss);
            LOG.info("iteration 0: objective {} ({}), {} s", format("%.9g", state.value()),
                    Vectors.norm(x0) == 0 ? "φ = 0" : "initial weights", seconds(start));
        }
        double previousNorm = Vectors.norm(state.x());
        int growing = 0;
        while (!state.stopped()) {
            long start = System.nanoTime();
            Optimizer.Step step;
            try {
                step = optimizer.step(state, loss);
            }
            catch (DivergenceException e) {
                String kept = save(checkpoints, state, fingerprint, history, bestValidation, sinceBest, bestX);
                throw new AlignLossException(ErrorCode.INTERNAL, format("Training diverged at iteration %d: %s. The last good state "
                        + "(iteration %d) is checkpointed in %s; lower train.lr (Adam) or raise train.l2, then train --resume",
                        e.iteration(), e.getMessage(), state.iteration(), kept), e);
            }
            state = step.state();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("iteration", state.iteration());
            entry.put("objective", Json.number(state.value()));
            entry.put("gradient_norm", Json.number(Vectors.norm(state.gradient())));
            entry.put("step", Json.number(step.step()));
            entry.put("evaluations", step.evaluations());
            double accuracy = state.scalars().getOrDefault(Lbfgs.FIGURE + "accuracy", Double.NaN);
            Double meanUtility = state.scalars().get(Lbfgs.FIGURE + "mean_utility");
            Double tokenNll = state.scalars().get(Lbfgs.FIGURE + "token_nll");
            double elapsed = (System.nanoTime() - start) / 1e9;
            String trainText;
            if (meanUtility != null) {
                entry.put("train_mean_utility", Json.number(meanUtility));
                trainText = format("train mean utility %.6g", meanUtility);
            }
            else if (tokenNll != null) {
                double tokens = state.scalars().getOrDefault(Lbfgs.FIGURE + "tokens", 0.0);
                entry.put("train_token_nll", Json.number(tokenNll));
                entry.put("tokens", (long) tokens);
                entry.put("tokens_per_second", Json.number(Math.round(tokens / elapsed)));
                trainText = format("batch token NLL %.5f (%,d tokens, %,.0f tokens/s)", tokenNll, (long) tokens, tokens / elapsed);
            }
            else {
                entry.put("train_accuracy", Json.number(accuracy));
                trainText = format("train accuracy %.4f", accuracy);
            }
            entry.put("seconds", seconds(start));
            String validationText = "";
            if (validation != null) {
                Map<String, Double> measured = validation.perIteration().apply(state.x());
                double value = measured.get("loss");
                entry.put("validation_loss", Json.number(value));
                validationText = format(", validation loss %.6g", value);
                if (measured.containsKey("accuracy")) {
                    entry.put("validation_accuracy", Json.number(measured.get("accuracy")));
                    validationText += format(" accuracy %.4f", measured.get("accuracy"));
                }
                if (value < bestValidation - 1e-12) {
                    bestValidation = value;
                    bestX = state.x().clone();
                    sinceBest = 0;
                }
                else {
                    sinceBest++;
                }
            }
            history.add(entry);
            LOG.info("iteration {}: objective {}, gradient norm {}, step {}, {}{}, {} s", state.iteration(),
                    format("%.9g", state.value()), format("%.3g", Vectors.norm(state.gradient())), format("%.3g", step.step()),
                    trainText, validationText, entry.get("seconds"));
            double norm = Vectors.norm(state.x());
            growing = norm > previousNorm * 1.01 ? growing + 1 : 0;
            previousNorm = norm;
            if (!state.stopped() && train.l2() == 0 && growing >= 5 && state.value() < 1e-3) {
                String warning = format("training stopped at iteration %d: the training pairs look separable (objective %.3g → 0 while "
                        + "||φ|| grows, now %.3g): with l2 = 0 no finite optimum exists; set a small train.l2 (e.g. 1e-4)",
                        state.iteration(), state.value(), norm);
                LOG.warn(warning);
                warnings.add(warning);
                state = state.stop("separable data: weights grow without bound", false);
            }
            if (!state.stopped() && train.patience() > 0 && sinceBest >= train.patience()) {
                state = state.stop(format("early stopping: no better validation loss in %d iterations", train.patience()), false);
            }
            listener.finished(state);
            if (train.checkpointEvery() > 0 && state.iteration() % train.checkpointEvery() == 0 && !state.stopped()) {
                String path = save(checkpoints, state, fingerprint, history, bestValidation, sinceBest, bestX);
                LOG.info("checkpoint {}", path);
            }
        }
        LOG.info("optimiser stopped after {} iterations: {}", state.iteration(), state.stopReason().orElse(""));
        if (train.patience() > 0 && bestX != null) {
            LOG.info("keeping the weights of the best validation loss ({})", format("%.6g", bestValidation));
            state = new OptimizerState(state.optimizer(), state.iteration(), bestX, state.value(), state.gradient(), state.arrays(),
                    state.scalars(), state.stopReason(), state.converged());
        }
        io.alignloss.optim.Evaluation at = loss.evaluate(state.x());
        Map<String, Object> trainFigures = measure.apply(state.x());
        Map<String, Object> validationFigures = validation == null ? Map.of() : validation.figures().apply(state.x());
        LOG.info("final objective {}; train loss {}{}{}", format("%.9g", at.value()), trainFigures.get("loss"),
                trainFigures.containsKey("mean_utility") ? " mean utility " + trainFigures.get("mean_utility")
                        : trainFigures.containsKey("accuracy") ? " accuracy " + trainFigures.get("accuracy") : "",
                validation == null ? "" : format("; validation loss %s%s", validationFigures.get("loss"),
                        validationFigures.containsKey("accuracy") ? " accuracy " + validationFigures.get("accuracy") : ""));
        return new Fit(state, at.value(), resumedFrom, history, trainFigures, validationFigures);
    }

    private static Map<String, Object> figures(PairLossAggregate measured) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pairs", measured.count());
        figures.put("weight_sum", measured.weightSum());
        figures.put("loss", Json.number(measured.weightSum() > 0 ? measured.meanLoss() : Double.NaN));
        figures.put("accuracy", Json.number(measured.accuracy()));
        return figures;
    }

    /** Checkpoints the state with the run's history and early-stopping record: the best validation loss and its weights. */
    private static String save(Checkpoints checkpoints, OptimizerState state, Map<String, Object> fingerprint,
            List<Map<String, Object>> history, double bestValidation, int sinceBest, double[] bestX) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("fingerprint", fingerprint);
        metadata.put("history", history);
        if (Double.isFinite(bestValidation)) {
            metadata.put("best_validation", bestValidation);
            metadata.put("since_best", sinceBest);
        }
        return checkpoints.save(state, bestX == null ? Map.of() : Map.of(BEST_X, bestX), metadata).toString();
    }

    /** What a checkpoint must match to be resumed: the objective, features, optimiser settings and data. */
    private Map<String, Object> fingerprint(ObjectiveConfig objective, FeatureSpec spec, int dimension, InputConfig input, long rows) {
        TrainConfig train = settings.config().train();
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("objective", objective.name());
        fingerprint.put("features", spec == null ? Map.of() : spec.describe());
        fingerprint.put("dimension", dimension);
        fingerprint.put("input", input.path());
        fingerprint.put("rows", rows);
        fingerprint.put("optimizer", train.optimizer());
        fingerprint.put("l2", train.l2());
        fingerprint.put("center_rewards", train.centerRewards());
        fingerprint.put("margin", train.margin().orElse(""));
        fingerprint.put("lr", train.learningRate());
        fingerprint.put("batch_fraction", train.batchFraction());
        fingerprint.put("validation_fraction", train.validationFraction());
        fingerprint.put("seed", settings.seed());
        return fingerprint;
    }

    private PreparedInput prepare(SparkSession spark, InputConfig input, FeatureSpec spec, TrainConfig train, List<String> warnings) {
        List<ColumnSpec> columns = new ArrayList<>(RewardScoring.columns(spec, "features " + spec.type().configName()));
        List<RowRule> rules = new ArrayList<>();
        if (train.margin().isPresent()) {
            columns.add(ColumnSpec.required(train.margin().get(), ColumnType.DOUBLE, "train.margin"));
            rules.add(Rules.badMargin(train.margin().get()));
        }
        return InputReader.prepare(spark, input, columns, rules, settings.config().groups(), warnings);
    }

    /** The embedding length of the first row with a chosen embedding; the featurizer's own otherwise. */
    private static int dimension(PreparedInput input, FeatureSpec spec) {
        if (spec.type() != FeatureType.EMBEDDING) {
            return Featurizer.create(spec, 0).dimension();
        }
        List<Row> first = input.rows().where(col(FeatureSpec.CHOSEN_EMBEDDING).isNotNull())
                .select(size(col(FeatureSpec.CHOSEN_EMBEDDING))).limit(1).collectAsList();
        if (first.isEmpty() || first.get(0).getInt(0) <= 0) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s' (%s): no row has a non-empty %s",
                    input.name(), input.config().path(), FeatureSpec.CHOSEN_EMBEDDING));
        }
        return first.get(0).getInt(0);
    }

    // validation row: u(hash(seed, id)) < validation-fraction
    private org.apache.spark.sql.Column validation(PreparedInput input, double fraction) {
        if (fraction <= 0) {
            return lit(false);
        }
        return org.apache.spark.sql.functions.pmod(input.rowHash(settings.seed() ^ VALIDATION_SALT), lit(1_000_000L))
                .lt(Math.round(fraction * 1_000_000));
    }

    private static long countPairs(JavaRDD<PairBlock> blocks, String what) {
        long start = System.nanoTime();
        List<long[]> sizes = blocks.map(block -> new long[] {block.size(), block.bytes()}).collect();
        long pairs = sizes.stream().mapToLong(s -> s[0]).sum();
        long bytes = sizes.stream().mapToLong(s -> s[1]).sum();
        LOG.info("cached {} {} pairs in {} blocks, {} MB, {} s", pairs, what, sizes.size(), format("%.1f", bytes / 1e6), seconds(start));
        return pairs;
    }

    /**
     * Counts the input's rows and rejects in one pass, fails (exit 3, rejects and summary kept) above
     * --max-reject-fraction or with no accepted row before anything is trained, and returns the accepted rows (at
     * least one). {@code inputs.<name>.allow-empty} does not apply: training needs rows.
     */
    private long checkRejects(SparkSession spark, OutputCommitter committer, PreparedInput input, Object dimension) {
        Row counts = input.rows().agg(count(lit(1)), sum(when(not(input.accepted()), 1).otherwise(0))).first();
        long rows = counts.getLong(0);
        long rejected = counts.isNullAt(1) ? 0 : counts.getLong(1);
        LOG.info("input {}: {} rows, {} rejected; {}", input.name(), rows, rejected,
                dimension instanceof Integer ? "feature dimension " + dimension : dimension);
        if (rows > 0 && (double) rejected / rows > settings.maxRejectFraction()) {
            org.apache.hadoop.fs.Path kept = keepFailed(spark, committer, input, rows, rejected);
            throw new AlignLossException(ErrorCode.REJECT_FRACTION_EXCEEDED, format(
                    "Reject fraction exceeded (--max-reject-fraction %s): input '%s': %d of %d rows rejected. Nothing was trained or "
                            + "published at %s; the rejects and summary are kept for inspection in %s",
                    settings.maxRejectFraction(), input.name(), rejected, rows, committer.target(), kept));
        }
        if (rows == rejected) {
            org.apache.hadoop.fs.Path kept = keepFailed(spark, committer, input, rows, rejected);
            throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format(
                    "Cannot train: input '%s' has no rows to train on (%s). Nothing was trained or published at %s; the summary is "
                            + "kept for inspection in %s", input.name(), rows == 0 ? "0 rows read" : rows + " rows read, all rejected",
                    committer.target(), kept));
        }
        return rows - rejected;
    }

    /** Writes the rejects (if any) and a summary of the input's counts, keeps the run's folder as failed and returns it. */
    private org.apache.hadoop.fs.Path keepFailed(SparkSession spark, OutputCommitter committer, PreparedInput input, long rows,
            long rejected) {
        Map<String, Long> reasons = rejected == 0 ? Map.of()
                : EvaluateJob.writeRejects(spark, input, committer.stagingPath("rejects/" + input.name()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("schema_version", SummaryJson.SCHEMA_VERSION);
        summary.put("alignloss_version", Version.alignloss());
        summary.put("command", "train");
        summary.put("inputs", Map.of(input.name(), Map.of("path", settings.config().redaction().text(input.config().path()),
                "rows", rows, "rejected", rejected, "reject_fraction", rows == 0 ? 0.0 : (double) rejected / rows)));
        summary.put("rejects", Map.of("total", rejected, "by_input", Map.of(input.name(), rejected), "by_reason", reasons));
        committer.writeText("summary.json", SummaryJson.render(summary));
        return committer.keepFailed(settings.config().keepFailed());
    }

    private static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }
}
