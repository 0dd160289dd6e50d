package io.alignloss.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/** Runs the named stages of an evaluation: tells the listener, logs the start and the seconds taken. */
final class Stages {
    /** The job's log: its stages and figures read as they did when EvaluateJob wrote them. */
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    private final EvaluateJob.StageListener listener;

    Stages(EvaluateJob.StageListener listener) {
        this.listener = requireNonNull(listener, "listener is null");
    }

    <T> T timed(String stage, Supplier<T> work) {
        listener.started(stage);
        long start = System.nanoTime();
        LOG.info("stage {} ...", stage);
        T result = work.get();
        LOG.info("stage {} done in {} s", stage, format("%.2f", (System.nanoTime() - start) / 1e9));
        return result;
    }

    void timed(String stage, Runnable work) {
        timed(stage, () -> {
            work.run();
            return null;
        });
    }
}
