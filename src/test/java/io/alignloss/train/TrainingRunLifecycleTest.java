package io.alignloss.train;

import io.alignloss.config.JobConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.optim.OptimizerState;
import io.alignloss.output.Overwrite;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link TrainingRun} owns around a trainer: the blocks it cached (alive through the evaluation, released
 * after it or after a failure), the checkpoints (kept when training fails, deleted once the evaluation
 * succeeds, refused without --resume) and the staging folder of an unpublished output.
 */
class TrainingRunLifecycleTest extends LocalSparkTest {
    private static final JobConfig CONFIG = Configs.parse("inputs.in { path = \"unused\", kind = preference }\n"
            + "objectives = [ { name = rm, type = bradley-terry, input = in } ]");
    private static final RunHooks.IterationListener NO_LISTENER = state -> { };

    @TempDir
    Path temp;

    private RunHooks hooks() {
        return new RunHooks("test", () -> 0L, () -> 0L, (spark, input, path) -> Map.of(), NO_LISTENER);
    }

    private TrainingRun open(Path out, boolean resume) {
        return TrainingRun.open(spark, new RunSettings(CONFIG, out.toString(), Overwrite.fromFlag(true), 0.01, 42, resume), hooks());
    }

    private static OptimizerState state(long iteration) {
        return new OptimizerState("lbfgs", iteration, new double[] {1.0, 2.0}, 0.5, new double[] {0.0, 0.0}, Map.of(), Map.of(),
                Optional.empty(), false);
    }

    /** Caches blocks and rows through the run, checkpoints once, and records what it cached; fails when told to. */
    private final class CachingTrainer implements Trainer {
        final List<JavaRDD<?>> blocks = new ArrayList<>();
        final List<Dataset<?>> rows = new ArrayList<>();
        private final boolean fail;

        CachingTrainer(boolean fail) {
            this.fail = fail;
        }

        @Override
        public Trained train(TrainingRun run) {
            JavaRDD<Integer> cached = run.persist(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3)),
                    "test blocks");
            blocks.add(cached);
            assertThat(cached.count()).isEqualTo(3);
            JavaRDD<Integer> released = run.persist(cached.map(x -> x * 2), "test blocks released early");
            run.release(released);
            blocks.add(released);
            Dataset<Row> targets = run.persist(spark.range(5).toDF());
            rows.add(targets);
            run.saveCheckpoint(state(3), Map.of("objective", "rm"), List.of(), Double.POSITIVE_INFINITY, 0, null);
            if (fail) {
                throw new IllegalStateException("training failed");
            }
            return new Trained(Map.of("objective", "rm"), Map.of(), Map.of());
        }
    }

    @Test
    void blocksStayCachedThroughTheEvaluationAndAreReleasedAfterItWithTheCheckpoints() {
        Path out = temp.resolve("out");
        CachingTrainer trainer = new CachingTrainer(false);
        String result = open(out, false).train(trainer, (committer, trained, warnings) -> {
            assertThat(trainer.blocks.get(0).getStorageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
            assertThat(trainer.blocks.get(1).getStorageLevel()).isEqualTo(StorageLevel.NONE());
            assertThat(trainer.rows.get(0).storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
            assertThat(Path.of(TrainingRun.checkpointFolder(out.toString()))).isDirectory();
            return "evaluated " + trained.block().get("objective");
        });
        assertThat(result).isEqualTo("evaluated rm");
        assertThat(trainer.blocks.get(0).getStorageLevel()).isEqualTo(StorageLevel.NONE());
        assertThat(trainer.rows.get(0).storageLevel()).isEqualTo(StorageLevel.NONE());
        assertThat(spark.sparkContext().getPersistentRDDs().isEmpty()).isTrue();
        assertThat(Files.exists(Path.of(TrainingRun.checkpointFolder(out.toString()), "iteration-00000003"))).isFalse();
    }

    @Test
    void aFailedTrainingReleasesItsBlocksKeepsItsCheckpointsAndPublishesNothing() throws Exception {
        Path out = temp.resolve("failed");
        CachingTrainer trainer = new CachingTrainer(true);
        assertThatThrownBy(() -> open(out, false).train(trainer, (committer, trained, warnings) -> "never"))
                .isInstanceOf(IllegalStateException.class).hasMessage("training failed");
        assertThat(trainer.blocks.get(0).getStorageLevel()).isEqualTo(StorageLevel.NONE());
        assertThat(trainer.rows.get(0).storageLevel()).isEqualTo(StorageLevel.NONE());
        assertThat(spark.sparkContext().getPersistentRDDs().isEmpty()).isTrue();
        assertThat(out).doesNotExist();
        try (var siblings = Files.list(temp)) {
            // only the checkpoints are left beside the output: no staging folder
            assertThat(siblings.map(path -> path.getFileName().toString()).toList()).containsExactly("failed.checkpoints");
        }

        // the checkpoint of the failed run is refused without --resume and offered with it
        assertThatThrownBy(() -> open(out, false))
                .isInstanceOf(AlignLossException.class)
                .satisfies(e -> assertThat(((AlignLossException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageStartingWith("Cannot train into " + out + ": checkpoints of an earlier run are in ");
        TrainingRun resumed = open(out, true);
        assertThat(resumed.saved()).hasValueSatisfying(saved -> {
            assertThat(saved.state().iteration()).isEqualTo(3);
            assertThat(saved.state().x()).containsExactly(1.0, 2.0);
            assertThat(saved.metadata().get("fingerprint").toString()).isEqualTo("{\"objective\":\"rm\"}");
        });
        resumed.train(run -> new Trained(Map.of(), Map.of(), Map.of()), (committer, trained, warnings) -> "done");
        assertThat(Path.of(TrainingRun.checkpointFolder(out.toString()), "iteration-00000003")).doesNotExist();
    }
}
