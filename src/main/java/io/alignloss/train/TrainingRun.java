package io.alignloss.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.TrainConfig;
import io.alignloss.data.PreparedInput;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.config.FeatureSpec;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.OptimizerState;
import io.alignloss.output.OutputCommitter;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

/**
 * One {@code train} run around a {@link Trainer}: owns the output committer, the checkpoints (the refusal of
 * stale ones without --resume, the fingerprint check, the saved state with its best validation weights), the
 * blocks cached while training, the warnings, and the optimise loop; after the trainer it runs the evaluation
 * that publishes the output, then deletes the checkpoints. Whatever happens, the cached blocks are released
 * and an unpublished staging folder is removed.
 */
public final class TrainingRun {
    /**
     * The logger every training class writes through: the name {@code train}'s log lines have always carried
     * ({@code %c{1}} prints {@code TrainJob}), so log configs and greps keep working.
     */
    static final String LOGGER = "io.alignloss.job.TrainJob";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    /** Salt that makes the validation split independent of the mini-batch draws. */
    private static final long VALIDATION_SALT = 0x76616c6964L;
    /** The checkpoint array holding the iterate with the best validation loss so far (early stopping keeps it). */
    static final String BEST_X = "best_x";

    private final SparkSession spark;
    private final RunSettings settings;
    private final RunHooks hooks;
    private final Checkpoints checkpoints;
    private final Optional<Checkpoints.Saved> saved;
    private final OutputCommitter committer;
    private final List<String> warnings = new ArrayList<>();
    private final List<JavaRDD<?>> cachedBlocks = new ArrayList<>();
    private final List<Dataset<?>> cachedRows = new ArrayList<>();

    /** The closing step: evaluates the trained models into the committer's output and publishes it. */
    public interface Evaluation<R> {
        R evaluate(OutputCommitter committer, Trained trained, List<String> warnings);
    }

    private TrainingRun(SparkSession spark, RunSettings settings, RunHooks hooks, Checkpoints checkpoints,
            Optional<Checkpoints.Saved> saved, OutputCommitter committer) {
        this.spark = spark;
        this.settings = settings;
        this.hooks = hooks;
        this.checkpoints = checkpoints;
        this.saved = saved;
        this.committer = committer;
    }

    /**
     * Finds the latest checkpoint beside the output, refuses (exit 2) one left by an earlier run unless --resume
     * is given, and begins the output committer.
     */
    public static TrainingRun open(SparkSession spark, RunSettings settings, RunHooks hooks) {
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
        return new TrainingRun(spark, settings, hooks, checkpoints, saved, committer);
    }

    /** The checkpoint folder of an output: {@code <out>.checkpoints} beside it. */
    public static String checkpointFolder(String out) {
        String trimmed = out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
        return trimmed + ".checkpoints";
    }

    /** Trains, evaluates (which publishes), deletes the checkpoints; releases the cached blocks and aborts an unpublished output. */
    public <R> R train(Trainer trainer, Evaluation<R> evaluation) {
        try {
            Trained trained = trainer.train(this);
            R result = evaluation.evaluate(committer, trained, warnings);
            checkpoints.deleteAll();
            return result;
        }
        finally {
            cachedBlocks.forEach(blocks -> blocks.unpersist(false));
            cachedRows.forEach(rows -> rows.unpersist(false));
            committer.abort();
        }
    }

    /** Minimises the fitting with the configured optimiser, checkpointing and early stopping as train.* says. */
    Fit optimise(Fitting fitting) {
        return new OptimiseLoop(this, fitting).run();
    }

    /** Caches blocks reused across iterations, named for the Spark UI, until {@link #release} or the run's end. */
    <T> JavaRDD<T> persist(JavaRDD<T> blocks, String name) {
        JavaRDD<T> cached = blocks.persist(StorageLevel.MEMORY_AND_DISK()).setName(name);
        cachedBlocks.add(cached);
        return cached;
    }

    /** Caches rows until {@link #release} or the run's end. */
    <T> Dataset<T> persist(Dataset<T> rows) {
        Dataset<T> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
        cachedRows.add(cached);
        return cached;
    }

    void release(JavaRDD<?> blocks) {
        cachedBlocks.remove(blocks);
        blocks.unpersist(false);
    }

    void release(Dataset<?> rows) {
        cachedRows.remove(rows);
        rows.unpersist(false);
    }

    /** Logs a warning and keeps it for the summary's warnings. */
    void warn(String warning) {
        LOG.warn(warning);
        warnings.add(warning);
    }

    /**
     * Counts the input's rows and rejects in one pass, fails (exit 3, rejects and summary kept) above
     * --max-reject-fraction or with no accepted row, and returns the accepted rows (at least one).
     *
     * @param dimension the feature dimension, or what the rows are read for, for the log line
     */
    long checkRejects(PreparedInput input, Object dimension) {
        return new InputRejects(spark, settings, hooks, committer).check(input, dimension);
    }

    // validation row: u(hash(seed, id)) < validation-fraction
    Column validation(PreparedInput input, double fraction) {
        if (fraction <= 0) {
            return lit(false);
        }
        return pmod(input.rowHash(settings.seed() ^ VALIDATION_SALT), lit(1_000_000L)).lt(Math.round(fraction * 1_000_000));
    }

    /** What a checkpoint must match to be resumed: the objective, features, optimiser settings and data. */
    Map<String, Object> fingerprint(ObjectiveConfig objective, FeatureSpec spec, int dimension, InputConfig input, long rows) {
        TrainConfig train = settings.config().train();
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("objective", objective.name());
        fingerprint.put("features", spec == null ? Map.of() : spec.describe());
        fingerprint.put("dimension", dimension);
        fingerprint.put("input", input.path());
        fingerprint.put("rows", rows);
        fingerprint.put("optimizer", train.optimization().optimizer().configName());
        fingerprint.put("l2", train.regularization().l2());
        fingerprint.put("center_rewards", train.regularization().centerRewards());
        fingerprint.put("margin", train.margin().orElse(""));
        fingerprint.put("lr", train.optimization().learningRate());
        fingerprint.put("batch_fraction", train.optimization().batchFraction());
        fingerprint.put("validation_fraction", train.validation().fraction());
        fingerprint.put("seed", settings.seed());
        return fingerprint;
    }

    /** Refuses (exit 2) a checkpoint written by a run with another fingerprint. */
    static void checkFingerprint(Checkpoints.Saved saved, Map<String, Object> fingerprint) {
        JsonNode recorded = saved.metadata().get("fingerprint");
        JsonNode expected = SummaryJson.mapper().valueToTree(fingerprint);
        if (recorded == null || !expected.toString().equals(recorded.toString())) {
            throw new AlignLossException(ErrorCode.USAGE, format("Cannot resume from %s: it was written by a run with another "
                    + "objective, features, model, optimiser or data (%s, now %s); delete the checkpoints to start again",
                    saved.path(), recorded, expected));
        }
    }

    /** Checkpoints the state with the run's history and early-stopping record: the best validation loss and its weights. */
    String saveCheckpoint(OptimizerState state, Map<String, Object> fingerprint, List<Map<String, Object>> history,
            double bestValidation, int sinceBest, double[] bestX) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("fingerprint", fingerprint);
        metadata.put("history", history);
        if (Double.isFinite(bestValidation)) {
            metadata.put("best_validation", bestValidation);
            metadata.put("since_best", sinceBest);
        }
        return checkpoints.save(state, bestX == null ? Map.of() : Map.of(BEST_X, bestX), metadata).toString();
    }

    /** Adds where the run leaves its things and what Spark re-ran while training (the evaluation's own are in run). */
    void putLocations(Map<String, Object> block) {
        block.put("model", committer.target() + "/model");
        block.put("checkpoints", checkpoints.folder().toString());
        block.put("task_failures", hooks.failedTasks().getAsLong());
        block.put("executors_lost", hooks.lostExecutors().getAsLong());
    }

    /** The staging path of the model folder. */
    org.apache.hadoop.fs.Path modelPath() {
        return new org.apache.hadoop.fs.Path(committer.stagingPath("model"));
    }

    SparkSession spark() {
        return spark;
    }

    Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }

    JobConfig config() {
        return settings.config();
    }

    RunSettings settings() {
        return settings;
    }

    /** The run's warnings so far, for the summary; readers of the input add theirs. */
    List<String> warnings() {
        return warnings;
    }

    long seed() {
        return settings.seed();
    }

    String version() {
        return hooks.version();
    }

    RunHooks.IterationListener listener() {
        return hooks.listener();
    }

    Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The checkpoint to resume from (--resume and one exists). */
    Optional<Checkpoints.Saved> saved() {
        return saved;
    }

    static double seconds(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }
}
