package io.alignloss.output;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Which leftovers beside an output the janitor removes, with ages set on the files against a fixed clock. */
class StagingJanitorTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    java.nio.file.Path temp;

    private FileSystem fs;
    private Path target;
    private StagingJanitor janitor;

    @BeforeEach
    void setUp() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
        target = fs.makeQualified(new Path(temp.resolve("run").toString()));
        janitor = new StagingJanitor(fs, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A folder beside the target, its modification time {@code folderAge} before NOW; with _RUNNING {@code heartbeatAge} old. */
    private Path folder(String name, Duration folderAge, Duration heartbeatAge) throws Exception {
        Path folder = new Path(target.getParent(), name);
        fs.mkdirs(folder);
        if (heartbeatAge != null) {
            Path heartbeat = new Path(folder, Heartbeat.FILE);
            fs.create(heartbeat, true).close();
            fs.setTimes(heartbeat, NOW.minus(heartbeatAge).toEpochMilli(), -1);
        }
        fs.setTimes(folder, NOW.minus(folderAge).toEpochMilli(), -1);
        return folder;
    }

    @Test
    void removesStagingWhoseHeartbeatStoppedAndKeepsLiveOnes() throws Exception {
        Path dead = folder(".run.staging-20261201-100000-aaaaaaaa", Duration.ofHours(2), Duration.ofMinutes(11));
        // the folder is old but its heartbeat is fresh: a long run that is still going
        Path live = folder(".run.staging-20261201-090000-bbbbbbbb", Duration.ofHours(3), Duration.ofSeconds(30));
        Path justUnderTimeout = folder(".run.staging-20261201-113000-cccccccc", Duration.ofMinutes(30), Duration.ofMinutes(9));

        assertThat(janitor.removeAbandonedStaging(target)).containsExactly(dead);
        assertThat(fs.exists(dead)).isFalse();
        assertThat(fs.exists(live)).isTrue();
        assertThat(fs.exists(justUnderTimeout)).isTrue();
    }

    @Test
    void stagingWithoutAHeartbeatIsRemovedOnlyAfterAnHour() throws Exception {
        Path old = folder(".run.staging-20261201-100000-aaaaaaaa", Duration.ofMinutes(61), null);
        Path recent = folder(".run.staging-20261201-113000-bbbbbbbb", Duration.ofMinutes(59), null);

        assertThat(janitor.removeAbandonedStaging(target)).containsExactly(old);
        assertThat(fs.exists(recent)).isTrue();
    }

    @Test
    void touchesNothingOfOtherOutputsNorTheTargetItself() throws Exception {
        Path other = folder(".run2.staging-20261201-100000-aaaaaaaa", Duration.ofDays(2), Duration.ofDays(2));
        Path targetFolder = folder("run", Duration.ofDays(2), null);
        Path failed = folder("run.failed-20261130-100000-aaaaaaaa", Duration.ofDays(2), null);

        assertThat(janitor.removeAbandonedStaging(target)).isEmpty();
        assertThat(fs.exists(other)).isTrue();
        assertThat(fs.exists(targetFolder)).isTrue();
        assertThat(fs.exists(failed)).isTrue();
    }

    @Test
    void noParentFolderIsNothingToRemove() throws Exception {
        Path nested = fs.makeQualified(new Path(temp.resolve("missing/run").toString()));
        assertThat(janitor.removeAbandonedStaging(nested)).isEmpty();
        assertThat(janitor.removeOldFailed(nested, 1)).isEmpty();
    }

    @Test
    void keepsTheNewestFailedFoldersByRunId() throws Exception {
        String[] ids = {"20261129-230000-aaaaaaaa", "20261130-010000-bbbbbbbb", "20261130-090000-cccccccc",
                "20261201-080000-dddddddd", "20261201-110000-eeeeeeee"};
        for (String id : ids) {
            // modification times in the opposite order: the run id decides, not the folder's time
            folder("run.failed-" + id, Duration.ofMinutes(Integer.parseInt(id.substring(9, 11)) + 1), null);
        }
        Path otherOutput = folder("run2.failed-20261101-000000-ffffffff", Duration.ofDays(30), null);

        assertThat(janitor.removeOldFailed(target, 3)).containsExactlyInAnyOrder(
                new Path(target.getParent(), "run.failed-" + ids[0]), new Path(target.getParent(), "run.failed-" + ids[1]));
        try (var names = Files.list(temp)) {
            assertThat(names.map(path -> path.getFileName().toString()).filter(name -> !name.startsWith(".")))
                    .containsExactlyInAnyOrder("run.failed-" + ids[2], "run.failed-" + ids[3], "run.failed-" + ids[4],
                            otherOutput.getName());
        }
    }
}
