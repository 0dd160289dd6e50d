package io.alignloss.train;

import io.alignloss.data.PreparedInput;
import io.alignloss.optim.OptimizerState;
import org.apache.spark.sql.SparkSession;

import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * What the job that starts a training run lends it: the alignloss version for logs and model metadata, the
 * counts of Spark tasks re-run and executors lost so far, the writer of an input's rejects (shared with
 * {@code evaluate}), and the listener told of every optimiser iteration.
 */
public record RunHooks(String version, LongSupplier failedTasks, LongSupplier lostExecutors, RejectsWriter rejects,
        IterationListener listener) {
    public RunHooks {
        requireNonNull(version, "version is null");
        requireNonNull(failedTasks, "failedTasks is null");
        requireNonNull(lostExecutors, "lostExecutors is null");
        requireNonNull(rejects, "rejects is null");
        requireNonNull(listener, "listener is null");
    }

    /** Observes iterations; tests use it to stop a run mid-way. */
    public interface IterationListener {
        void finished(OptimizerState state);
    }

    /** Writes an input's rejected rows as Parquet under {@code path} and returns their counts by reason. */
    public interface RejectsWriter {
        Map<String, Long> write(SparkSession spark, PreparedInput input, String path);
    }
}
