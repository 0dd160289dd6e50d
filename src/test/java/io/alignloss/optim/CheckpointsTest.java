package io.alignloss.optim;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller's arrays stored next to the optimiser state (the best iterate of early stopping). */
class CheckpointsTest {
    private static OptimizerState state() {
        return new OptimizerState("lbfgs", 3, new double[] {1.5, -2.0}, 0.25, new double[] {0.1, 0.2},
                Map.of("s0", new double[] {3.0, 4.0}), Map.of("count", 1.0), Optional.empty(), false);
    }

    @Test
    void callerArraysComeBackExactlyAndApartFromTheOptimisersOwn(@TempDir Path dir) throws IOException {
        Checkpoints checkpoints = new Checkpoints(dir.toString(), new Configuration());
        double[] best = {Math.PI, -Double.MIN_VALUE, 1e300};
        checkpoints.save(state(), Map.of("best_x", best), Map.of("run", "test"));

        Checkpoints.Saved saved = checkpoints.latest().orElseThrow();
        assertThat(saved.extra("best_x")).hasValueSatisfying(x -> assertThat(x).containsExactly(best));
        assertThat(saved.extra("other")).isEmpty();
        assertThat(saved.state().arrays()).containsOnlyKeys("s0");
        assertThat(saved.state().x()).containsExactly(1.5, -2.0);
        assertThat(saved.state().arrays().get("s0")).containsExactly(3.0, 4.0);
        assertThat(saved.metadata().get("run").asText()).isEqualTo("test");

        // the file layout: x, gradient, the optimiser's arrays, then the caller's, as big-endian doubles
        double[] expected = {1.5, -2.0, 0.1, 0.2, 3.0, 4.0, Math.PI, -Double.MIN_VALUE, 1e300};
        Path bin = dir.resolve("iteration-00000003/arrays.bin");
        assertThat(Files.size(bin)).isEqualTo(8L * expected.length);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(bin))) {
            for (double value : expected) {
                assertThat(in.readDouble()).isEqualTo(value);
            }
        }
    }

    @Test
    void aCheckpointWithoutCallerArraysReadsAsHavingNone(@TempDir Path dir) throws IOException {
        Checkpoints checkpoints = new Checkpoints(dir.toString(), new Configuration());
        checkpoints.save(state(), Map.of("run", "test"));
        assertThat(Files.readString(dir.resolve("iteration-00000003/state.json"))).doesNotContain("extra_arrays");
        Checkpoints.Saved saved = checkpoints.latest().orElseThrow();
        assertThat(saved.extras()).isEmpty();
        assertThat(saved.extra("best_x")).isEmpty();
        assertThat(saved.state().arrays().get("s0")).containsExactly(3.0, 4.0);
    }
}
