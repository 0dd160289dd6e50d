package io.alignloss.ml;

import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import io.alignloss.job.EvaluateJob;
import io.alignloss.output.Overwrite;
import io.alignloss.summary.RunSummary;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The programmatic entry point of the jobs, for notebooks and Spark applications: {@link #evaluate} runs the job
 * {@code alignloss evaluate} runs (same reading, rejects, figures, summary.json, per-example files and atomic publication
 * into the config's {@code output.path}) in the caller's {@link SparkSession}, and returns the typed summary it wrote.
 *
 * <p>The caller owns the session: the job neither builds nor stops it, and session-level settings that only take effect
 * when a session is built (e.g. {@code spark.sql.extensions}, {@code spark.serializer}, catalog implementations) must be
 * set by the caller before building it; the CLI's own session settings are not applied. A failure is an
 * {@link AlignLossException} whose {@code code()} carries the CLI's exit status; a run whose drift thresholds are exceeded
 * is published and returned (the CLI would exit 4; {@link #run} gives the exceeded thresholds).
 */
public final class AlignLoss {
    /** The command-line settings of an evaluate run: {@code --overwrite}, {@code --max-reject-fraction}, {@code --seed}. */
    public record Options(boolean overwrite, double maxRejectFraction, long seed) {
        /** The CLI's defaults: no overwrite, 0.01, 42. */
        public static Options defaults() {
            return new Options(false, CliDefaults.MAX_REJECT_FRACTION, CliDefaults.SEED);
        }

        public Options withOverwrite(boolean value) {
            return new Options(value, maxRejectFraction, seed);
        }
    }

    private AlignLoss() {
    }

    /** {@code alignloss evaluate} with the CLI's default options; the config's {@code output.path} is the output folder. */
    public static RunSummary evaluate(SparkSession spark, JobConfig config) {
        return evaluate(spark, config, Options.defaults());
    }

    public static RunSummary evaluate(SparkSession spark, JobConfig config, Options options) {
        return run(spark, config, options).summary();
    }

    /** As {@link #evaluate}, with where the run published and the drift thresholds it exceeded. */
    public static EvaluateJob.Result run(SparkSession spark, JobConfig config, Options options) {
        requireNonNull(spark, "spark is null");
        requireNonNull(config, "config is null");
        requireNonNull(options, "options is null");
        String out = config.outputPath().orElseThrow(() -> new AlignLossException(ErrorCode.USAGE,
                format("No output folder: set output.path in config %s", config.source())));
        EvaluateJob.Settings settings = new EvaluateJob.Settings(config, out, Overwrite.fromFlag(options.overwrite()),
                options.maxRejectFraction(), options.seed(), EvaluateJob.Mode.EVALUATE);
        try {
            return new EvaluateJob(settings).run(spark);
        }
        catch (Exception e) { // SparkException is checked; Scala throws it undeclared
            Map<String, String> inputs = new LinkedHashMap<>();
            config.inputs().forEach((name, input) -> inputs.put(name, input.path()));
            throw Failures.duringRun(e, inputs, spark.sparkContext().hadoopConfiguration());
        }
    }
}
