package io.alignloss.output;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Removes what earlier runs on the same output left beside it: hidden staging folders {@code .<out>.staging-<id>}
 * of runs that died (their {@code _RUNNING} heartbeat is older than {@link #HEARTBEAT_TIMEOUT}, or, with no
 * heartbeat file, the folder is older than {@link #UNMARKED_TIMEOUT}), and failed folders
 * {@code <out>.failed-<id>} beyond the newest {@code output.keep-failed}. Every removal is logged. Ages are
 * measured with the given clock against the file system's modification times.
 */
final class StagingJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(StagingJanitor.class);

    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(10);
    static final Duration UNMARKED_TIMEOUT = Duration.ofHours(1);

    private final FileSystem fs;
    private final Clock clock;

    StagingJanitor(FileSystem fs, Clock clock) {
        this.fs = fs;
        this.clock = clock;
    }

    static String stagingPrefix(Path target) {
        return "." + target.getName() + ".staging-";
    }

    static String failedPrefix(Path target) {
        return target.getName() + ".failed-";
    }

    /** Removes the target's abandoned staging folders and returns them; live ones (a fresh heartbeat) are kept. */
    List<Path> removeAbandonedStaging(Path target) throws IOException {
        List<Path> removed = new ArrayList<>();
        Instant now = clock.instant();
        for (FileStatus folder : siblings(target, stagingPrefix(target))) {
            Optional<FileStatus> heartbeat = status(new Path(folder.getPath(), Heartbeat.FILE));
            Duration age = Duration.ofMillis(now.toEpochMilli() - heartbeat.orElse(folder).getModificationTime());
            Duration timeout = heartbeat.isPresent() ? HEARTBEAT_TIMEOUT : UNMARKED_TIMEOUT;
            if (age.compareTo(timeout) > 0 && delete(folder.getPath())) {
                LOG.warn("Removed the staging folder {} of a run that stopped without cleaning up ({} {} s ago)", folder.getPath(),
                        heartbeat.isPresent() ? "last heartbeat" : "no heartbeat; created", age.toSeconds());
                removed.add(folder.getPath());
            }
        }
        return removed;
    }

    /**
     * Keeps the newest {@code keep} failed folders of the target (newest by run id, which starts with the run's
     * start time) and removes the older ones; returns the removed.
     */
    List<Path> removeOldFailed(Path target, int keep) throws IOException {
        List<FileStatus> failed = new ArrayList<>(siblings(target, failedPrefix(target)));
        failed.sort(Comparator.comparing((FileStatus status) -> status.getPath().getName()).reversed());
        List<Path> removed = new ArrayList<>();
        for (FileStatus folder : failed.subList(Math.min(keep, failed.size()), failed.size())) {
            if (delete(folder.getPath())) {
                LOG.info("Removed the failed run's folder {} (output.keep-failed = {} newer ones are kept)", folder.getPath(), keep);
                removed.add(folder.getPath());
            }
        }
        return removed;
    }

    private List<FileStatus> siblings(Path target, String prefix) throws IOException {
        try {
            return Arrays.stream(fs.listStatus(target.getParent(), path -> path.getName().startsWith(prefix)))
                    .filter(FileStatus::isDirectory).toList();
        }
        catch (FileNotFoundException e) {
            return List.of();
        }
    }

    private Optional<FileStatus> status(Path path) throws IOException {
        try {
            return Optional.of(fs.getFileStatus(path));
        }
        catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private boolean delete(Path folder) {
        try {
            return fs.delete(folder, true);
        }
        catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", folder, e.getMessage());
            return false;
        }
    }
}
