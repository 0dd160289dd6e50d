package io.alignloss.output;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.RewardModel;
import io.alignloss.lm.LanguageModelFolder;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a model folder: whatever makes it unreadable is a config error (exit 2) naming the folder. */
class ModelFilesTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    private Path rewardModel() {
        Path folder = dir.resolve("model");
        new RewardModel(FeatureSpec.of(FeatureType.EMBEDDING), new double[] {0.5, -1.0, 2.0}, Map.of())
                .save(new org.apache.hadoop.fs.Path(folder.toUri()), CONF);
        return folder;
    }

    /** Replaces a file the local Hadoop file system wrote, with its checksum file, which would fail the read otherwise. */
    private static void rewrite(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        Files.write(file, content);
    }

    private static void assertConfigError(Runnable load, String message) {
        assertThatThrownBy(load::run).isInstanceOfSatisfying(AlignLossException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG)).hasMessageContaining(message);
    }

    @Test
    void aWellFormedRewardModelReadsBack() {
        Path folder = rewardModel();
        assertThat(RewardModel.load(folder.toString(), CONF).weights()).containsExactly(0.5, -1.0, 2.0);
    }

    @Test
    void aRewardModelHeaderWithoutItsDimensionIsAConfigError() throws IOException {
        Path folder = rewardModel();
        Path header = folder.resolve(ModelFiles.HEADER);
        rewrite(header, Files.readString(header).replaceAll("\"dimension\"\\s*:\\s*3\\s*,?", "").getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(header)).doesNotContain("dimension");
        // was a NullPointerException (exit 1) before the loaders shared readFolder
        assertConfigError(() -> RewardModel.load(folder.toString(), CONF), "Cannot read model " + folder);
    }

    @Test
    void malformedJsonAndShortWeightsAreConfigErrors() throws IOException {
        Path folder = rewardModel();
        rewrite(folder.resolve("weights.f64"), new byte[12]);
        assertConfigError(() -> RewardModel.load(folder.toString(), CONF), "Cannot read model " + folder);
        rewrite(folder.resolve(ModelFiles.HEADER), "{\"format\": ".getBytes(StandardCharsets.UTF_8));
        assertConfigError(() -> RewardModel.load(folder.toString(), CONF), "Cannot read model " + folder);
    }

    @Test
    void aLanguageModelHeaderWithoutItsShapeIsAConfigError() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("lm"));
        Files.writeString(folder.resolve(ModelFiles.HEADER), "{\"format\": \"alignloss-language-model\", \"format_version\": 1}");
        assertConfigError(() -> LanguageModelFolder.load(folder.toString(), CONF), "Cannot read language model " + folder);
    }

    @Test
    void anErrorTheReaderAlreadyWordedPassesThroughUnchanged() {
        AlignLossException worded = new AlignLossException(ErrorCode.CONFIG, "Cannot read model x: format 'y', expected 'z'");
        assertThatThrownBy(() -> ModelFiles.readFolder(dir.toString(), CONF, "model", (fs, folder) -> {
            throw worded;
        })).isSameAs(worded);
    }
}
