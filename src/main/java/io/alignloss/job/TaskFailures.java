package io.alignloss.job;

import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, while a job runs, the tasks that failed (Spark re-ran them) and the executors lost, for the
 * summary: a run that finished after faults says so instead of looking like a clean one.
 */
public final class TaskFailures extends SparkListener implements AutoCloseable {
    private final SparkSession spark;
    private final AtomicLong failedTasks = new AtomicLong();
    private final AtomicLong lostExecutors = new AtomicLong();

    private TaskFailures(SparkSession spark) {
        this.spark = spark;
    }

    public static TaskFailures watch(SparkSession spark) {
        TaskFailures listener = new TaskFailures(spark);
        spark.sparkContext().addSparkListener(listener);
        return listener;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.reason() != Success$.MODULE$) {
            failedTasks.incrementAndGet();
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        lostExecutors.incrementAndGet();
    }

    public long failedTasks() {
        return failedTasks.get();
    }

    public long lostExecutors() {
        return lostExecutors.get();
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(this);
    }
}
