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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed sample {@code data-samples/battles-style.parquet} (battles with response texts, for
 * {@code leaderboard --style}) is what {@link SampleData#styledBattles} writes; {@code -Dalignloss.golden.update=true}
 * rewrites it (and only it).
 */
class SampleStyledBattlesTest extends LocalSparkTest {
    static final Path FILE = Path.of("data-samples/battles-style.parquet");
    static final int BATTLES = 600;
    /** The sample command's seed (42) plus 12, after the battle sample's 11. */
    static final long SEED = 54;

    @TempDir
    Path temp;

    @Test
    void theCommittedFileHoldsTheGeneratorsRows() throws Exception {
        List<Row> rows = SampleData.styledBattles(BATTLES, SEED);
        if (Boolean.getBoolean("alignloss.golden.update")) {
            write(rows);
        }
        assertThat(spark.read().parquet(FILE.toString()).schema()).isEqualTo(SampleData.STYLED_BATTLE_SCHEMA);
        assertThat(spark.read().parquet(FILE.toString()).collectAsList()).containsExactlyElementsOf(rows);
    }

    /** One zstd Parquet file, as the sample command writes the others: Spark's single part file moved out. */
    private void write(List<Row> rows) throws Exception {
        Path folder = temp.resolve("battles-style");
        spark.createDataFrame(rows, SampleData.STYLED_BATTLE_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .option("compression", "zstd").parquet(folder.toString());
        FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
        FileStatus[] parts = fs.globStatus(new org.apache.hadoop.fs.Path(folder.toString(), "part-*.parquet"));
        assertThat(parts).hasSize(1);
        Files.move(Path.of(parts[0].getPath().toUri()), FILE, StandardCopyOption.REPLACE_EXISTING);
    }
}
