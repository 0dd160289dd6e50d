package io.alignloss.output;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live run's sign in its staging folder: the driver rewrites {@code _RUNNING} (its modification time is the
 * heartbeat; its text the driver's clock) every {@link #INTERVAL} from a daemon thread, until {@link #stop()}.
 * A later run on the same output removes staging folders whose heartbeat stopped ({@link StagingJanitor}).
 */
final class Heartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    static final String FILE = "_RUNNING";
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final FileSystem fs;
    private final Path file;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private boolean warned;
    private boolean stopped;

    private Heartbeat(FileSystem fs, Path folder, Clock clock) {
        this.fs = fs;
        this.file = new Path(folder, FILE);
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "alignloss-heartbeat " + folder.getName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes {@code _RUNNING} now (so the folder is live before this returns), then every {@code interval}. */
    static Heartbeat start(FileSystem fs, Path folder, Clock clock, Duration interval) throws IOException {
        Heartbeat heartbeat = new Heartbeat(fs, folder, clock);
        heartbeat.write();
        heartbeat.timer.scheduleWithFixedDelay(heartbeat::touch, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return heartbeat;
    }

    private void write() throws IOException {
        try (FSDataOutputStream stream = fs.create(file, true)) {
            stream.write((clock.instant() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void touch() {
        try {
            write();
        }
        catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot write the heartbeat {} ({}); a later run may take this run's staging folder for abandoned", file,
                        e.getMessage());
            }
        }
    }

    /** Stops the heartbeat, waiting for a write under way, and deletes {@code _RUNNING}. Safe to call twice. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warn("The heartbeat of {} did not stop within a minute", file);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            fs.delete(file, false);
        }
        catch (IOException e) {
            LOG.warn("Cannot delete the heartbeat {}: {}", file, e.getMessage());
        }
    }
}
