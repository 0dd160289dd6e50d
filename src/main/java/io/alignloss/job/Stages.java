package io.alignloss.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Runs independent stages at the same time, on up to {@code threads} driver threads (each submits its own Spark
     * jobs, so one stage's query planning overlaps another's tasks), and returns once EVERY stage has ended, so that
     * nothing still writes after a failure. A stage's failure is rethrown as it was thrown (the first, in the order
     * given; the others are added as suppressed).
     */
    void timedConcurrently(Map<String, Runnable> stages, int threads) {
        if (stages.size() <= 1 || threads <= 1) {
            stages.forEach(this::timed);
            return;
        }
        ExecutorService pool = daemonPool(Math.min(threads, stages.size()), "alignloss-stage-");
        try {
            List<Future<?>> running = new ArrayList<>();
            stages.forEach((stage, work) -> running.add(pool.submit(() -> timed(stage, work))));
            List<Throwable> failures = new ArrayList<>();
            awaitEach(running, failures);
            rethrow(failures);
        }
        finally {
            pool.shutdown();
        }
    }

    /**
     * Runs {@code background} (its own timed stages) on a driver thread while {@code work} runs on this one, and
     * returns {@code work}'s result once BOTH have ended, so that nothing still writes after a failure. The driver
     * work of one (query planning, code generation) overlaps the other's tasks. A failure of {@code work} is
     * rethrown first, with the background's added as suppressed.
     */
    <T> T alongside(Runnable background, Supplier<T> work) {
        ExecutorService pool = daemonPool(1, "alignloss-stage-alongside-");
        try {
            Future<?> running = pool.submit(background);
            List<Throwable> failures = new ArrayList<>();
            T result = null;
            try {
                result = work.get();
            }
            catch (RuntimeException | Error e) {
                failures.add(e);
            }
            awaitEach(List.of(running), failures);
            rethrow(failures);
            return result;
        }
        finally {
            pool.shutdown();
        }
    }

    /** A pool of {@code threads} daemon driver threads named {@code prefix} + 1, 2, … */
    private static ExecutorService daemonPool(int threads, String prefix) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Waits for every future to end, adding each failure's cause to {@code failures} in order; an interrupt does not
     * stop the wait (a stage still running may be writing) and is restored afterwards.
     */
    private static void awaitEach(List<Future<?>> futures, List<Throwable> failures) {
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                }
                catch (ExecutionException e) {
                    failures.add(e.getCause());
                    break;
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rethrows the first failure as it was thrown, with the others added as suppressed; nothing when there is none. */
    private static void rethrow(List<Throwable> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(first);
    }
}
