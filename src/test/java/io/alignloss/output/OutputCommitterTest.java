package io.alignloss.output;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The output folder's lifecycle on the local Hadoop file system: marker, overwrite guard, heartbeat, leftovers. */
class OutputCommitterTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path temp;

    private String out() {
        return temp.resolve("run").toString();
    }

    private List<String> siblings() throws Exception {
        try (Stream<java.nio.file.Path> files = Files.list(temp)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> !name.endsWith(".crc")).sorted().toList();
        }
    }

    private void publish(String command, Overwrite overwrite, String file) {
        OutputCommitter committer = OutputCommitter.begin(out(), overwrite, command, CONF);
        try {
            committer.writeText(file, "{\"command\": \"" + command + "\"}\n");
            committer.commit();
        }
        finally {
            committer.abort();
        }
    }

    private void userFolder() throws Exception {
        Files.createDirectories(temp.resolve("run"));
        Files.writeString(temp.resolve("run/notes.txt"), "mine");
    }

    @Test
    void commitPublishesTheMarkerWithTheCommandAndNoHeartbeat() throws Exception {
        publish("score", Overwrite.NEVER, "part.txt");
        java.nio.file.Path run = temp.resolve("run");
        assertThat(Files.readString(run.resolve("_ALIGNLOSS"))).startsWith("command=score\nrun=");
        assertThat(run.resolve("_SUCCESS")).exists();
        assertThat(run.resolve("_RUNNING")).doesNotExist();
        assertThat(siblings()).containsExactly("run");
    }

    @Test
    void overwriteRefusesAFolderAlignlossDidNotWriteAndLeavesItAsItWas() throws Exception {
        userFolder();
        assertThatThrownBy(() -> publish("evaluate", Overwrite.ALIGNLOSS_OUTPUT, "summary.json"))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS))
                .hasMessageContaining("Cannot overwrite ").hasMessageContaining("run: not an alignloss output")
                .hasMessageContaining("--force-overwrite");
        assertThat(Files.readString(temp.resolve("run/notes.txt"))).isEqualTo("mine");
        try (Stream<java.nio.file.Path> files = Files.list(temp.resolve("run"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("notes.txt");
        }
        assertThat(siblings()).containsExactly("run");
    }

    @Test
    void forceOverwriteReplacesAnyFolder() throws Exception {
        userFolder();
        publish("evaluate", Overwrite.ANY, "summary.json");
        assertThat(temp.resolve("run/notes.txt")).doesNotExist();
        assertThat(temp.resolve("run/_ALIGNLOSS")).exists();
        assertThat(siblings()).containsExactly("run");
    }

    @Test
    void olderOutputsAreRecognisedBySummaryOrLeaderboardJson() throws Exception {
        for (String file : new String[] {"summary.json", "leaderboard.json", "_ALIGNLOSS"}) {
            Files.createDirectories(temp.resolve("run"));
            Files.writeString(temp.resolve("run/" + file), "{}");
            publish("evaluate", Overwrite.ALIGNLOSS_OUTPUT, "new.txt");
            assertThat(temp.resolve("run/new.txt")).as(file).exists();
            assertThat(siblings()).containsExactly("run");
            FileSystem.getLocal(CONF).delete(new Path(temp.resolve("run").toString()), true);
        }
    }

    @Test
    void withoutOverwriteAnExistingFolderIsExit2() throws Exception {
        publish("evaluate", Overwrite.NEVER, "summary.json");
        assertThatThrownBy(() -> publish("evaluate", Overwrite.NEVER, "summary.json"))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code().exitStatus()).isEqualTo(2))
                .hasMessageContaining("it exists (pass --overwrite to replace it)");
    }

    @Test
    void validateNeverReplacesAnotherCommandsOutputButReplacesItsOwn() throws Exception {
        publish("evaluate", Overwrite.NEVER, "summary.json");
        String before = Files.readString(temp.resolve("run/_ALIGNLOSS"));
        for (Overwrite overwrite : new Overwrite[] {Overwrite.ALIGNLOSS_OUTPUT, Overwrite.ANY}) {
            assertThatThrownBy(() -> publish("validate", overwrite, "summary.json"))
                    .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS))
                    .hasMessageContaining("it holds the output of 'evaluate', which validate never replaces");
        }
        assertThat(Files.readString(temp.resolve("run/_ALIGNLOSS"))).isEqualTo(before);

        FileSystem.getLocal(CONF).delete(new Path(temp.resolve("run").toString()), true);
        publish("validate", Overwrite.NEVER, "summary.json");
        publish("validate", Overwrite.ALIGNLOSS_OUTPUT, "summary.json");
        assertThat(Files.readString(temp.resolve("run/_ALIGNLOSS"))).startsWith("command=validate\n");
    }

    @Test
    void theHeartbeatIsRewrittenWhileTheRunGoesAndGoneAfterAbort() throws Exception {
        OutputCommitter committer = OutputCommitter.begin(out(), Overwrite.NEVER, "evaluate", CONF, Clock.systemUTC(),
                Duration.ofMillis(20));
        FileSystem fs = FileSystem.getLocal(CONF);
        Path heartbeat = new Path(committer.staging(), Heartbeat.FILE);
        try {
            assertThat(fs.exists(heartbeat)).as("written before begin returns").isTrue();
            fs.setTimes(heartbeat, 0, -1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fs.getFileStatus(heartbeat).getModificationTime() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(fs.getFileStatus(heartbeat).getModificationTime()).isGreaterThan(0);
        }
        finally {
            committer.abort();
        }
        assertThat(siblings()).isEmpty();
    }

    @Test
    void beginRemovesAbandonedStagingBesideTheTargetAndKeepsLiveOnes() throws Exception {
        FileSystem fs = FileSystem.getLocal(CONF);
        Path parent = fs.makeQualified(new Path(temp.toString()));
        Path dead = new Path(parent, ".run.staging-20261201-100000-aaaaaaaa");
        Path live = new Path(parent, ".run.staging-20261201-100500-bbbbbbbb");
        for (Path folder : new Path[] {dead, live}) {
            fs.create(new Path(folder, Heartbeat.FILE), true).close();
        }
        long now = System.currentTimeMillis();
        fs.setTimes(new Path(dead, Heartbeat.FILE), now - Duration.ofMinutes(15).toMillis(), -1);
        fs.setTimes(new Path(live, Heartbeat.FILE), now - Duration.ofMinutes(2).toMillis(), -1);

        publish("evaluate", Overwrite.NEVER, "summary.json");

        assertThat(fs.exists(dead)).isFalse();
        assertThat(fs.exists(live)).isTrue();
        assertThat(siblings()).containsExactly(live.getName(), "run");
    }

    @Test
    void keepFailedKeepsTheNewestFailedFolders() throws Exception {
        java.nio.file.Path[] older = {temp.resolve("run.failed-20200101-000000-aaaaaaaa"), temp.resolve("run.failed-20200102-000000-bbbbbbbb")};
        for (java.nio.file.Path folder : older) {
            Files.createDirectories(folder);
        }
        OutputCommitter committer = OutputCommitter.begin(out(), Overwrite.NEVER, "evaluate", CONF);
        Path kept;
        try {
            committer.writeText("summary.json", "{}");
            kept = committer.keepFailed(2);
        }
        finally {
            committer.abort();
        }
        assertThat(siblings()).containsExactly(older[1].getFileName().toString(), kept.getName());
        assertThat(temp.resolve(kept.getName()).resolve("summary.json")).exists();
        assertThat(temp.resolve(kept.getName()).resolve("_RUNNING")).doesNotExist();
    }
}
