package io.alignloss.train;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.optim.Checkpoints;
import io.alignloss.optim.OptimizerState;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spark-free parts of a training run: where checkpoints live, which ones resume, and the package's place below job. */
class TrainingRunTest {
    private static Checkpoints.Saved savedWith(String metadataJson) throws IOException {
        OptimizerState state = new OptimizerState("lbfgs", 4, new double[] {1.0}, 0.5, new double[] {0.0}, Map.of(), Map.of(),
                Optional.empty(), false);
        return new Checkpoints.Saved(state, SummaryJson.mapper().readTree(metadataJson), Map.of(), new Path("/ckpt/iteration-00000004"));
    }

    private static Map<String, Object> fingerprint(Object l2) {
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("objective", "rm");
        fingerprint.put("dimension", 8);
        fingerprint.put("l2", l2);
        return fingerprint;
    }

    @Test
    void checkpointsLiveBesideTheOutputWhetherOrNotItEndsInASlash() {
        assertThat(TrainingRun.checkpointFolder("runs/out")).isEqualTo("runs/out.checkpoints");
        assertThat(TrainingRun.checkpointFolder("runs/out/")).isEqualTo("runs/out.checkpoints");
        assertThat(TrainingRun.checkpointFolder("hdfs://127.0.0.1:9000/runs/out/")).isEqualTo("hdfs://127.0.0.1:9000/runs/out.checkpoints");
    }

    @Test
    void aCheckpointWithTheSameFingerprintResumes() throws IOException {
        Checkpoints.Saved saved = savedWith("{\"fingerprint\":{\"objective\":\"rm\",\"dimension\":8,\"l2\":1.0E-4},\"history\":[]}");
        assertThatCode(() -> TrainingRun.checkFingerprint(saved, fingerprint(1e-4))).doesNotThrowAnyException();
    }

    @Test
    void aCheckpointOfAnotherRunIsRefusedWithBothFingerprints() throws IOException {
        Checkpoints.Saved saved = savedWith("{\"fingerprint\":{\"objective\":\"rm\",\"dimension\":8,\"l2\":1.0E-4},\"history\":[]}");
        assertThatThrownBy(() -> TrainingRun.checkFingerprint(saved, fingerprint(1e-3)))
                .isInstanceOf(AlignLossException.class)
                .satisfies(e -> assertThat(((AlignLossException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("Cannot resume from /ckpt/iteration-00000004: it was written by a run with another objective, features, "
                        + "model, optimiser or data ({\"objective\":\"rm\",\"dimension\":8,\"l2\":1.0E-4}, now "
                        + "{\"objective\":\"rm\",\"dimension\":8,\"l2\":0.001}); delete the checkpoints to start again");
    }

    @Test
    void aCheckpointWithoutAFingerprintIsRefused() throws IOException {
        Checkpoints.Saved saved = savedWith("{\"history\":[]}");
        assertThatThrownBy(() -> TrainingRun.checkFingerprint(saved, fingerprint(1e-4)))
                .isInstanceOf(AlignLossException.class)
                .hasMessageStartingWith("Cannot resume from /ckpt/iteration-00000004: it was written by a run with another objective")
                .hasMessageContaining("(null, now {\"objective\":\"rm\"");
    }

    @Test
    void theFingerprintIsComparedAsWrittenSoAnIntegerDimensionDoesNotMatchADoubleOne() throws IOException {
        // checkpoints store the fingerprint's JSON text: 8 and 8.0 are different runs' fingerprints
        Checkpoints.Saved saved = savedWith("{\"fingerprint\":{\"objective\":\"rm\",\"dimension\":8.0,\"l2\":1.0E-4}}");
        assertThatThrownBy(() -> TrainingRun.checkFingerprint(saved, fingerprint(1e-4))).isInstanceOf(AlignLossException.class);
    }

    @Test
    void theTrainPackageImportsNothingFromTheJobsAboveIt() throws IOException {
        java.nio.file.Path folder = java.nio.file.Path.of("src", "main", "java", "io", "alignloss", "train");
        List<String> upward;
        try (Stream<java.nio.file.Path> files = Files.list(folder)) {
            upward = files.filter(file -> file.toString().endsWith(".java")).flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream()
                            .filter(line -> line.matches("import (static )?io\\.alignloss\\.(job|cli)\\..*"))
                            .map(line -> file.getFileName() + ": " + line);
                }
                catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(folder.resolve("TrainingRun.java")).exists();
        assertThat(upward).isEmpty();
    }
}
