package io.alignloss.job;

import io.alignloss.cli.Main;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.testing.LocalSparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run that fails mid-way leaves the previous output untouched and no half-written folder behind. */
class AtomicPublicationTest extends LocalSparkTest {
    @TempDir
    Path temp;

    private EvaluateJob job(Path out, boolean overwrite, EvaluateJob.StageListener listener) {
        JobConfig config = ConfigLoader.load(new File("conf/samples.conf"), List.of(), Optional.of(out.toString()));
        return new EvaluateJob(new EvaluateJob.Settings(config, out.toString(), overwrite, 0.01, 42, EvaluateJob.Mode.EVALUATE),
                listener);
    }

    private List<String> siblings() throws Exception {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void failureMidwayKeepsThePreviousOutputAndCleansUp() throws Exception {
        Path out = temp.resolve("run");
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", out.toString())).isEqualTo(0);
        String before = Files.readString(out.resolve("summary.json"));

        EvaluateJob failing = job(out, true, stage -> {
            if (stage.startsWith("write per-example figures of objective lm")) {
                throw new IllegalStateException("injected failure at " + stage);
            }
        });
        assertThatThrownBy(() -> failing.run(spark)).hasMessageContaining("injected failure");

        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(before);
        assertThat(out.resolve("_SUCCESS")).exists();
        assertThat(siblings()).containsExactly("run");
    }

    @Test
    void overwriteReplacesTheOutputAndLeavesNothingAside() throws Exception {
        Path out = temp.resolve("run");
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", out.toString())).isEqualTo(0);
        Files.writeString(out.resolve("stale-marker"), "old");
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", out.toString(), "--overwrite")).isEqualTo(0);
        assertThat(out.resolve("stale-marker")).doesNotExist();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(siblings()).containsExactly("run");
    }

    @Test
    void existingOutputWithoutOverwriteIsExit2AndUntouched() throws Exception {
        Path out = temp.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep"), "x");
        assertThat(Main.execute("evaluate", "--config", "conf/samples.conf", "--out", out.toString())).isEqualTo(2);
        assertThat(out.resolve("keep")).exists();
        assertThat(siblings()).containsExactly("run");
    }
}
