package io.alignloss.bench;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.concurrent.atomic.AtomicLong;

/** Sums the executor CPU time and run time of finished tasks, and counts them (a listener the benchmarks add to the context). */
final class TaskTime extends SparkListener {
    final AtomicLong cpuNanos = new AtomicLong();
    final AtomicLong runMillis = new AtomicLong();
    final AtomicLong tasks = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskMetrics() != null) {
            cpuNanos.addAndGet(taskEnd.taskMetrics().executorCpuTime());
            runMillis.addAndGet(taskEnd.taskMetrics().executorRunTime());
            tasks.incrementAndGet();
        }
    }
}
