package io.alignloss.output;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

import static java.lang.String.format;

/**
 * Atomic publication of a run's output folder on any Hadoop file system. A run writes into a hidden
 * sibling staging folder, where a {@link Heartbeat} ({@code _RUNNING}) shows it is alive; {@link #commit()} adds
 * {@code _SUCCESS} and the {@code _ALIGNLOSS} marker and renames it to the target (the rename is the commit).
 * With overwrite, an existing target is first renamed aside, the new one renamed in, and the old one deleted,
 * so the target is never half-written; only a folder alignloss wrote is replaced unless the overwrite is
 * {@link Overwrite#ANY}, and {@code validate} never replaces another command's output. A failed run deletes its
 * staging folder ({@link #abort()}) or, to keep rejects for inspection, renames it to a visible sibling
 * ({@link #keepFailed}). Starting a run removes what dead runs left beside the target ({@link StagingJanitor}).
 */
public final class OutputCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommitter.class);

    /** The command whose output is kept apart: it never replaces another command's output. */
    static final String VALIDATE = "validate";

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final Overwrite overwrite;
    private final String command;
    private final String runId;
    private final StagingJanitor janitor;
    private final Heartbeat heartbeat;
    private boolean finished;

    private OutputCommitter(FileSystem fs, Path target, Path staging, Overwrite overwrite, String command, String runId,
            StagingJanitor janitor, Heartbeat heartbeat) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.command = command;
        this.runId = runId;
        this.janitor = janitor;
        this.heartbeat = heartbeat;
    }

    /**
     * Removes abandoned staging folders beside the target, checks the target and creates the staging folder with
     * its heartbeat; fails (exit 2) when the target exists and may not be replaced.
     *
     * @param command the command that writes the output, recorded in {@code _ALIGNLOSS}
     */
    public static OutputCommitter begin(String out, Overwrite overwrite, String command, Configuration conf) {
        return begin(out, overwrite, command, conf, Clock.systemUTC(), Heartbeat.INTERVAL);
    }

    static OutputCommitter begin(String out, Overwrite overwrite, String command, Configuration conf, Clock clock,
            Duration heartbeatInterval) {
        String runId = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path path = new Path(out);
            FileSystem fs = path.getFileSystem(conf);
            Path target = fs.makeQualified(path);
            if (target.getParent() == null) {
                throw new AlignLossException(ErrorCode.USAGE, format("Cannot write to %s: choose a folder below the root", out));
            }
            StagingJanitor janitor = new StagingJanitor(fs, clock);
            janitor.removeAbandonedStaging(target);
            checkReplaceable(fs, target, overwrite, command, "write to");
            Path staging = new Path(target.getParent(), StagingJanitor.stagingPrefix(target) + runId);
            if (!fs.mkdirs(staging)) {
                throw new IOException("mkdirs failed for " + staging);
            }
            Heartbeat heartbeat = Heartbeat.start(fs, staging, clock, heartbeatInterval);
            return new OutputCommitter(fs, target, staging, overwrite, command, runId, janitor, heartbeat);
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot prepare output %s: %s", out, e.getMessage()), e);
        }
    }

    /** Fails (exit 2) when the target exists and the run may not replace it. */
    private static void checkReplaceable(FileSystem fs, Path target, Overwrite overwrite, String command, String action)
            throws IOException {
        if (!fs.exists(target)) {
            return;
        }
        if (!overwrite.allowed()) {
            throw new AlignLossException(ErrorCode.OUTPUT_EXISTS,
                    format("Cannot %s %s: it exists (pass --overwrite to replace it)", action, target));
        }
        Optional<String> writtenBy = OutputMarker.command(fs, target);
        if (command.equals(VALIDATE) && writtenBy.isPresent() && !writtenBy.get().equals(VALIDATE)) {
            throw new AlignLossException(ErrorCode.OUTPUT_EXISTS, format("Cannot overwrite %s: it holds the output of %s, "
                    + "which validate never replaces (without --out, validate writes to <output.path>.validate)", target,
                    writtenBy.get().isEmpty() ? "an earlier run" : "'" + writtenBy.get() + "'"));
        }
        if (writtenBy.isEmpty() && overwrite != Overwrite.ANY) {
            throw new AlignLossException(ErrorCode.OUTPUT_EXISTS, format("Cannot overwrite %s: not an alignloss output (it has no %s, "
                    + "%s or %s); pass --force-overwrite to replace it anyway", target, OutputMarker.NAME, OutputMarker.SUMMARY,
                    OutputMarker.LEADERBOARD));
        }
    }

    public Path target() {
        return target;
    }

    /** This run's id ({@code yyyyMMdd-HHmmss-<8 hex>}), as in {@code _ALIGNLOSS} and the staging folder's name. */
    public String runId() {
        return runId;
    }

    public Path staging() {
        return staging;
    }

    /** A path inside the staging folder, as a string Spark writers accept. */
    public String stagingPath(String relative) {
        return new Path(staging, relative).toString();
    }

    public void writeText(String relative, String text) {
        try (FSDataOutputStream stream = fs.create(new Path(staging, relative), true)) {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot write %s: %s", relative, e.getMessage()), e);
        }
    }

    /** Publishes the staging folder at the target. Nothing that can fail runs after the rename but deleting the old output. */
    public void commit() {
        try {
            heartbeat.stop();
            fs.create(new Path(staging, "_SUCCESS"), true).close();
            OutputMarker.write(fs, staging, command, runId);
            Path aside = null;
            if (fs.exists(target)) {
                checkReplaceable(fs, target, overwrite, command, "publish");
                aside = new Path(target.getParent(), "." + target.getName() + ".old-" + runId);
                if (!fs.rename(target, aside)) {
                    throw new IOException(format("rename %s -> %s failed", target, aside));
                }
            }
            if (!fs.rename(staging, target)) {
                if (aside != null) {
                    fs.rename(aside, target);
                }
                throw new IOException(format("rename %s -> %s failed", staging, target));
            }
            finished = true;
            if (aside != null && !fs.delete(aside, true)) {
                LOG.warn("Could not delete the previous output moved aside to {}; delete it by hand", aside);
            }
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot publish %s: %s", target, e.getMessage()), e);
        }
    }

    /**
     * Moves the staging folder to a visible sibling {@code <target>.failed-<run id>} and returns it; of the target's
     * failed folders only the newest {@code keep} (this one among them) stay, older ones are removed.
     */
    public Path keepFailed(int keep) {
        Path kept = new Path(target.getParent(), StagingJanitor.failedPrefix(target) + runId);
        try {
            heartbeat.stop();
            if (!fs.rename(staging, kept)) {
                throw new IOException(format("rename %s -> %s failed", staging, kept));
            }
            finished = true;
            janitor.removeOldFailed(target, keep);
            return kept;
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot keep %s: %s", staging, e.getMessage()), e);
        }
    }

    /** Deletes the staging folder unless the run was committed or kept. Safe to call twice. */
    public void abort() {
        heartbeat.stop();
        if (finished) {
            return;
        }
        finished = true;
        try {
            fs.delete(staging, true);
        }
        catch (IOException e) {
            LOG.warn("Could not delete staging folder {}: {}", staging, e.getMessage());
        }
    }
}
