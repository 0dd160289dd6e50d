package io.alignloss.job;

import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.config.FeatureSpec;
import io.alignloss.config.ObjectiveType;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import io.alignloss.train.LanguageModelTrainer;
import io.alignloss.train.PolicyTrainer;
import io.alignloss.train.RewardModelTrainer;
import io.alignloss.train.RunHooks;
import io.alignloss.train.RunSettings;
import io.alignloss.train.SelfTargetTrainer;
import io.alignloss.train.Trainer;
import io.alignloss.train.TrainableObjective;
import io.alignloss.train.TrainingRun;
import org.apache.spark.sql.SparkSession;

import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The {@code train} job: picks the {@link Trainer} of the trained objective's model kind (reward model, policy,
 * language model, self-target rounds), runs it in a {@link TrainingRun} (committer, checkpoints, cached blocks,
 * optimise loop), and ends with an evaluation of the trained objective (the figures and report of
 * {@code evaluate}) into the same atomically published output.
 */
public final class TrainJob {
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
    public interface IterationListener extends RunHooks.IterationListener {
    }

    private final Settings settings;
    private final IterationListener listener;

    public TrainJob(Settings settings, IterationListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public TrainJob(Settings settings) {
        this(settings, state -> { });
    }

    /** The objective {@code train} fits: train.objective, else the config's only bradley-terry objective. */
    public static ObjectiveConfig trainedObjective(JobConfig config) {
        return TrainableObjective.of(config);
    }

    /** Checks, before Spark starts, that the config names one objective to train and what it trains on. */
    public static void checkTrainable(JobConfig config) {
        TrainableObjective.check(config);
    }

    /** The objective's own features block, else the top-level one. */
    public static FeatureSpec featureSpec(JobConfig config, ObjectiveConfig objective) {
        return TrainableObjective.featureSpec(config, objective);
    }

    /** The checkpoint folder of an output: {@code <out>.checkpoints} beside it. */
    public static String checkpointFolder(String out) {
        return TrainingRun.checkpointFolder(out);
    }

    public EvaluateJob.Result run(SparkSession spark) {
        return run(spark, (committer, trained, warnings) -> {
            EvaluateJob.Settings evaluate = new EvaluateJob.Settings(settings.config(), settings.out(), settings.overwrite(),
                    settings.maxRejectFraction(), settings.seed(), EvaluateJob.Mode.EVALUATE);
            return new EvaluateJob(evaluate).run(spark, new EvaluateJob.Extras("train", Optional.of(committer), trained.rewardModels(),
                    Map.of("train", trained.block()), warnings, trained.languageModels()));
        });
    }

    /**
     * Trains as {@link #run(SparkSession)} does, but ends with {@code closing} instead of the evaluation; an output
     * {@code closing} does not publish is removed (the Spark ML API's fit keeps only the trained model in memory).
     */
    public <R> R run(SparkSession spark, TrainingRun.Evaluation<R> closing) {
        try (TaskFailures failures = TaskFailures.watch(spark)) {
            return runWatched(spark, failures, closing);
        }
    }

    private <R> R runWatched(SparkSession spark, TaskFailures failures, TrainingRun.Evaluation<R> closing) {
        JobConfig config = settings.config();
        ObjectiveConfig objective = trainedObjective(config);
        FeatureSpec spec = TrainableObjective.isLanguageModel(objective) ? null : featureSpec(config, objective);
        if (objective.options().model().isPresent()) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: objective '%s' has model = \"%s\": train fits a new model; "
                    + "remove the key to train (evaluate uses it)", config.source(), objective.name(), objective.options().model().get()));
        }
        InputConfig inputConfig = config.inputs().get(objective.input());
        RunSettings run = new RunSettings(config, settings.out(), settings.overwrite(), settings.maxRejectFraction(), settings.seed(),
                settings.resume());
        RunHooks hooks = new RunHooks(Version.alignloss(), failures::failedTasks, failures::lostExecutors, RunOutputs::writeRejects,
                listener);
        Trainer trainer = trainer(objective, spec, inputConfig);
        return TrainingRun.open(spark, run, hooks).train(trainer, closing);
    }

    /** The trainer of the objective's model kind. */
    private static Trainer trainer(ObjectiveConfig objective, FeatureSpec spec, InputConfig inputConfig) {
        if (objective.type() == ObjectiveType.EXPECTED_UTILITY) {
            return new PolicyTrainer(objective, spec, inputConfig);
        }
        if (objective.type() == ObjectiveType.SELF_TARGET) {
            return new SelfTargetTrainer(objective, inputConfig);
        }
        if (objective.type() == ObjectiveType.SEQUENCE_LIKELIHOOD) {
            return new LanguageModelTrainer(objective, inputConfig);
        }
        return new RewardModelTrainer(objective, spec, inputConfig);
    }
}
