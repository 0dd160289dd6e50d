package io.alignloss.report;

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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import static java.lang.String.format;

/**
 * Atomic publication of a run's output folder on any Hadoop file system. A run writes into a hidden
 * sibling staging folder; {@link #commit()} adds {@code _SUCCESS} and renames it to the target (the rename
 * is the commit). With overwrite, an existing target is first renamed aside, the new one renamed in, and
 * the old one deleted, so the target is never half-written. A failed run deletes its staging folder
 * ({@link #abort()}) or, to keep rejects for inspection, renames it to a visible sibling ({@link #keepAs}).
 */
public final class OutputCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommitter.class);

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean overwrite;
    private final String runId;
    private boolean finished;

    private OutputCommitter(FileSystem fs, Path target, Path staging, boolean overwrite, String runId) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
        this.overwrite = overwrite;
        this.runId = runId;
    }

    /** Checks the target and creates the staging folder; fails (exit 2) when the target exists without overwrite. */
    public static OutputCommitter begin(String out, boolean overwrite, Configuration conf) {
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Path path = new Path(out);
            FileSystem fs = path.getFileSystem(conf);
            Path target = fs.makeQualified(path);
            if (target.getParent() == null) {
                throw new AlignLossException(ErrorCode.USAGE, format("Cannot write to %s: choose a folder below the root", out));
            }
            if (fs.exists(target) && !overwrite) {
                throw new AlignLossException(ErrorCode.OUTPUT_EXISTS,
                        format("Cannot write to %s: it exists (pass --overwrite to replace it)", target));
            }
            Path staging = new Path(target.getParent(), "." + target.getName() + ".staging-" + runId);
            if (!fs.mkdirs(staging)) {
                throw new IOException("mkdirs failed for " + staging);
            }
            return new OutputCommitter(fs, target, staging, overwrite, runId);
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot prepare output %s: %s", out, e.getMessage()), e);
        }
    }

    public Path target() {
        return target;
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
            fs.create(new Path(staging, "_SUCCESS"), true).close();
            Path aside = null;
            if (fs.exists(target)) {
                if (!overwrite) {
                    throw new AlignLossException(ErrorCode.OUTPUT_EXISTS,
                            format("Cannot publish %s: it appeared while the run was going (pass --overwrite to replace it)", target));
                }
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

    /** Moves the staging folder to a visible sibling {@code <target>.<suffix>-<run id>} and returns it. */
    public Path keepAs(String suffix) {
        Path kept = new Path(target.getParent(), target.getName() + "." + suffix + "-" + runId);
        try {
            if (!fs.rename(staging, kept)) {
                throw new IOException(format("rename %s -> %s failed", staging, kept));
            }
            finished = true;
            return kept;
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot keep %s: %s", staging, e.getMessage()), e);
        }
    }

    /** Deletes the staging folder unless the run was committed or kept. Safe to call twice. */
    public void abort() {
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
