package io.alignloss.synth;

import io.alignloss.testing.LocalSparkTest;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The committed battle sample {@code data-samples/battles.parquet} (the golden leaderboard run's input) is what
 * {@link SampleData#battles} writes, and its battles follow the generator's stated model: ties at 15%, model_a
 * winning a decided battle with probability σ(θ_a − θ_b). {@code -Dalignloss.golden.update=true} rewrites the file.
 */
class SampleBattlesTest extends LocalSparkTest {
    static final Path FILE = Path.of("data-samples/battles.parquet");
    static final int BATTLES = 400;
    /** The sample command's seed (42) plus 11, after the other samples' offsets 0–10. */
    static final long SEED = 53;

    @TempDir
    Path temp;

    @Test
    void theCommittedFileHoldsTheGeneratorsRows() throws Exception {
        List<Row> rows = SampleData.battles(BATTLES, SEED);
        if (Boolean.getBoolean("alignloss.golden.update")) {
            write(rows);
        }
        List<Row> committed = spark.read().parquet(FILE.toString()).collectAsList();
        assertThat(spark.read().parquet(FILE.toString()).schema()).isEqualTo(SampleData.BATTLE_SCHEMA);
        assertThat(committed).containsExactlyElementsOf(rows);
    }

    @Test
    void battlesFollowTheBradleyTerryModelWithTies() {
        List<Row> rows = SampleData.battles(20_000, 7);
        Map<String, Double> theta = Map.of("atlas-7b", 0.1, "borealis-13b", 0.4, "cirrus-8x7b", 0.2, "dune-70b", 0.8, "ember-3b", -1.5);
        assertThat(theta.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(0, within(1e-12));
        // the last three rows are the rejects, one per reason
        List<Row> bad = rows.subList(rows.size() - 3, rows.size());
        assertThat(bad.get(0).get(0)).isNull();
        assertThat(bad.get(1).get(0)).isEqualTo(bad.get(1).get(1));
        assertThat(bad.get(2).getString(2)).isEqualTo("draw");
        double ties = 0;
        double bothBad = 0;
        double expectedWins = 0;
        double wins = 0;
        double decided = 0;
        Map<String, Integer> appearances = new HashMap<>();
        for (Row row : rows.subList(0, rows.size() - 3)) {
            String a = row.getString(0);
            String b = row.getString(1);
            assertThat(a).isNotEqualTo(b);
            appearances.merge(a, 1, Integer::sum);
            appearances.merge(b, 1, Integer::sum);
            switch (row.getString(2)) {
                case "tie" -> ties++;
                case "tie (bothbad)" -> {
                    ties++;
                    bothBad++;
                }
                default -> {
                    decided++;
                    expectedWins += 1 / (1 + Math.exp(-(theta.get(a) - theta.get(b))));
                    wins += row.getString(2).equals("model_a") ? 1 : 0;
                }
            }
        }
        int n = rows.size() - 3;
        // binomial standard errors at n = 20,000: tie share ±0.0025, win share ±0.0038; 4 σ bands
        assertThat(ties / n).isCloseTo(0.15, within(0.01));
        assertThat(bothBad / ties).isCloseTo(0.25, within(0.04));
        assertThat(wins / decided).isCloseTo(expectedWins / decided, within(0.015));
        // each model in 2/5 of the battles
        appearances.values().forEach(count -> assertThat(count / (double) n).isCloseTo(0.4, within(0.02)));
        assertThat(appearances).hasSize(5);
    }

    /** One zstd Parquet file, as the sample command writes the others: Spark's single part file moved out. */
    private void write(List<Row> rows) throws Exception {
        Path folder = temp.resolve("battles");
        spark.createDataFrame(rows, SampleData.BATTLE_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .option("compression", "zstd").parquet(folder.toString());
        FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
        FileStatus[] parts = fs.globStatus(new org.apache.hadoop.fs.Path(folder.toString(), "part-*.parquet"));
        assertThat(parts).hasSize(1);
        Files.move(Path.of(parts[0].getPath().toUri()), FILE, StandardCopyOption.REPLACE_EXISTING);
    }
}
