package io.alignloss.error;

import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure-message rows of issue 14, run in-process through {@link Main}: each asserts the exit status, the
 * one line on stderr (naming the file and the cause) and that an earlier output at {@code --out} (replaced only
 * by a successful run, {@code --overwrite}) and its folder are unchanged.
 */
class FailuresTest extends LocalSparkTest {
    private static final String SAMPLE = "data-samples/preferences.parquet";

    @TempDir
    Path temp;

    private Path good;
    private Path out;
    private Map<String, String> before;
    private final StringWriter err = new StringWriter();

    /** One single-file copy of the sample preferences; the cases build their folders from it. */
    @BeforeAll
    void writeOneFile(@TempDir Path shared) throws IOException {
        Path folder = shared.resolve("one");
        spark.read().parquet(SAMPLE).coalesce(1).write().parquet(folder.toString());
        try (Stream<Path> files = Files.list(folder)) {
            good = files.filter(file -> file.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    /** An earlier output the failing run must leave alone. */
    @BeforeEach
    void earlierOutput() throws IOException {
        err.getBuffer().setLength(0);
        out = temp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), "{\"command\" : \"evaluate\"}\n");
        Files.writeString(out.resolve("_SUCCESS"), "");
        before = snapshot(temp);
    }

    private Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).filter(path -> path.startsWith(out) || path.getParent().equals(root)).toList()) {
                files.put(root.relativize(path).toString(), Files.readString(path));
            }
        }
        try (Stream<Path> siblings = Files.list(root)) {
            siblings.forEach(path -> files.putIfAbsent(root.relativize(path) + "/", ""));
        }
        return files;
    }

    private int evaluate(String inputPath, String... extra) throws IOException {
        Path config = temp.resolve("job.conf");
        Files.writeString(config, """
                inputs.prefs { path = "%s", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                """.formatted(inputPath));
        before = snapshot(temp);
        return Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                Stream.concat(Stream.of("evaluate", "--config", config.toString(), "--out", out.toString(), "--overwrite"),
                        Stream.of(extra)).toArray(String[]::new));
    }

    /** The single line on stderr; asserts that there is one and that nothing at --out changed. */
    private String oneLine() throws IOException {
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as(err.toString()).hasSize(1);
        assertThat(snapshot(temp)).isEqualTo(before);
        return lines.get(0);
    }

    /** A folder of Parquet files: {@code part-00000.parquet} a good copy, plus the named ones. */
    private Path folder(String name) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        Files.copy(good, folder.resolve("part-00000.parquet"));
        return folder;
    }

    private static String uri(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri()).toString();
    }

    @Test
    void aTruncatedFileIsNotParquetExit2() throws Exception {
        Path folder = folder("truncated");
        Path broken = folder.resolve("part-00003.parquet");
        Files.write(broken, Files.readAllBytes(good), java.nio.file.StandardOpenOption.CREATE_NEW);
        try (RandomAccessFile file = new RandomAccessFile(broken.toFile(), "rw")) {
            file.setLength(file.length() / 3);
        }
        assertThat(evaluate(folder.toString())).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': " + uri(broken)
                + " is not a Parquet file (too short, or another format: no footer at its end)");
    }

    @Test
    void anEmptyFileIsNotParquetExit2InsteadOfBeingSkipped() throws Exception {
        Path folder = folder("empty");
        Path empty = Files.createFile(folder.resolve("part-00003.parquet"));
        assertThat(evaluate(folder.toString())).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': " + uri(empty) + " is not a Parquet file (too short)");
    }

    @Test
    void aCorruptDataPageWithItsFooterIntactExit2NamingFileAndCause() throws Exception {
        Path folder = folder("corrupt");
        Path broken = folder.resolve("part-00003.parquet");
        Files.copy(good, broken);
        long start;
        long size;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(broken.toUri()),
                new Configuration()))) {
            ColumnChunkMetaData chosen = reader.getFooter().getBlocks().get(0).getColumns().stream()
                    .filter(column -> column.getPath().toDotString().equals("chosen")).findFirst().orElseThrow();
            start = chosen.getStartingPos();
            size = chosen.getTotalSize();
        }
        byte[] bytes = Files.readAllBytes(broken);
        for (long i = start + size / 2; i < start + size / 2 + 64; i++) {
            bytes[(int) i] ^= (byte) 0xFF;
        }
        Files.write(broken, bytes);
        // the footer still reads: only the scan finds the damage
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(broken.toUri()),
                new Configuration()))) {
            assertThat(reader.getRecordCount()).isEqualTo(spark.read().parquet(good.toString()).count());
        }

        assertThat(evaluate(folder.toString())).isEqualTo(2);
        assertThat(oneLine()).startsWith("alignloss: Cannot read input 'prefs': " + uri(broken) + " is corrupt: ")
                .contains("chosen");
    }

    @Test
    void aTransientIoErrorExit1InOneLineSoSchedulersRetry() throws Exception {
        spark.sparkContext().hadoopConfiguration().set("fs.flaky.impl", LostDatanodeFileSystem.class.getName());
        spark.sparkContext().hadoopConfiguration().setBoolean("fs.flaky.impl.disable.cache", true);
        Path folder = folder("flaky");
        Path lost = folder.resolve("part-00003.parquet");
        Files.copy(good, lost);
        assertThat(evaluate("flaky://" + folder)).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': flaky:" + lost
                + " could not be read (an I/O error; a retry may succeed): Could not obtain block: lost datanode (simulated)");
    }

    @Test
    void aStringColumnWhereTheSchemaSaysDoubleExit2NamingColumnFileAndTypes() throws Exception {
        Path folder = folder("typed");
        Files.copy(good, folder.resolve("_common_metadata")); // Spark takes the schema from here: chosen_score double
        Path strings = temp.resolve("strings");
        spark.read().parquet(good.toString()).withColumn("chosen_score", col("chosen_score").cast("string")).coalesce(1)
                .write().parquet(strings.toString());
        Path broken = folder.resolve("part-00003.parquet");
        Files.copy(single(strings), broken);
        assertThat(evaluate(folder.toString())).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': column 'chosen_score' is string in file " + uri(broken)
                + " but double in the input's schema");
    }

    @Test
    void aColumnAbsentFromOneFileExit2InsteadOfRejectingItsRows() throws Exception {
        Path folder = folder("absent");
        Files.copy(good, folder.resolve("_common_metadata"));
        Path without = temp.resolve("without");
        spark.read().parquet(good.toString()).drop("chosen").coalesce(1).write().parquet(without.toString());
        Path broken = folder.resolve("part-00003.parquet");
        Files.copy(single(without), broken);
        assertThat(evaluate(folder.toString())).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': column 'chosen' is in the input's schema (string) but not in file "
                + uri(broken));
    }

    @Test
    void aNonexistentPathExit2InOneLine() throws Exception {
        Path absent = temp.resolve("absent.parquet");
        assertThat(evaluate(absent.toString())).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read input 'prefs': " + uri(absent) + " does not exist");
    }

    @Test
    void withVerboseTheTraceFollowsTheLine() throws Exception {
        Path absent = temp.resolve("absent.parquet");
        assertThat(evaluate(absent.toString(), "--verbose")).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("alignloss: Cannot read input 'prefs': " + uri(absent) + " does not exist");
        assertThat(lines).anyMatch(line -> line.startsWith("Caused by: org.apache.spark.sql.AnalysisException: [PATH_NOT_FOUND]"))
                .anyMatch(line -> line.startsWith("\tat org.apache.spark."));
    }

    @Test
    void aLeaderboardOnANonParquetFileExit2InOneLine() throws Exception {
        Path csv = temp.resolve("battles.csv");
        Files.writeString(csv, "model_a,model_b,winner\nalpha,bravo,model_a\n");
        before = snapshot(temp);
        int status = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "leaderboard", "--battles", csv.toString(), "--out", out.toString(), "--overwrite", "--bootstrap", "0");
        assertThat(status).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read battles: " + uri(csv)
                + " is not a Parquet file (too short, or another format: no footer at its end)");
    }

    /** No footer check on this path: Spark's mid-scan FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH is mapped. */
    @Test
    void aTypeTheScanCannotConvertExit2NamingColumnFileAndBothTypes() throws Exception {
        StructType strings = new StructType().add("model_a", DataTypes.StringType).add("model_b", DataTypes.StringType)
                .add("winner", DataTypes.StringType);
        StructType numbers = new StructType().add("model_a", DataTypes.IntegerType).add("model_b", DataTypes.StringType)
                .add("winner", DataTypes.StringType);
        Path good = temp.resolve("strings");
        Path bad = temp.resolve("numbers");
        spark.createDataFrame(List.of(RowFactory.create("alpha", "bravo", "model_a")), strings).coalesce(1).write().parquet(good.toString());
        spark.createDataFrame(List.of(RowFactory.create(7, "bravo", "model_a")), numbers).coalesce(1).write().parquet(bad.toString());
        Path battles = Files.createDirectories(temp.resolve("battles"));
        Files.copy(single(good), battles.resolve("_common_metadata")); // Spark's schema: model_a string
        Files.copy(single(good), battles.resolve("part-00000.parquet"));
        Path broken = Files.copy(single(bad), battles.resolve("part-00001.parquet"));
        before = snapshot(temp);
        int status = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "leaderboard", "--battles", battles.toString(), "--out", out.toString(), "--overwrite", "--bootstrap", "0");
        assertThat(status).isEqualTo(2);
        assertThat(oneLine()).isEqualTo("alignloss: Cannot read battles: " + uri(broken)
                + " has column 'model_a' of type INT32, which cannot be read as string, its type in the input's schema");
    }

    @Test
    void anIoErrorOutsideAReadIsExit1WithoutNamingAnInputAndAnythingElseIsAnUnexpectedError() {
        AlignLossException write = Failures.describe(new java.io.UncheckedIOException(new IOException("No space left on device")));
        assertThat(write.code().exitStatus()).isEqualTo(1);
        assertThat(write.getMessage()).isEqualTo("I/O error (a retry may succeed): No space left on device");
        AlignLossException bug = Failures.describe(new IllegalStateException("boom\n\tat somewhere"));
        assertThat(bug.code().exitStatus()).isEqualTo(1);
        assertThat(bug.getMessage()).isEqualTo("unexpected error: java.lang.IllegalStateException: boom");
        AlignLossException known = new AlignLossException(ErrorCode.CONFIG, "Cannot run: reasons");
        assertThat(Failures.describe(new RuntimeException(known))).isSameAs(known);
    }

    private static Path single(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    /** The local file system under the scheme {@code flaky:}, where opening {@code part-00003} fails as on a lost datanode. */
    public static final class LostDatanodeFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("flaky:///");
        }

        @Override
        public String getScheme() {
            return "flaky";
        }

        @Override
        public FSDataInputStream open(org.apache.hadoop.fs.Path path, int bufferSize) throws IOException {
            if (path.getName().startsWith("part-00003")) {
                throw new IOException("Could not obtain block: lost datanode (simulated)");
            }
            return super.open(path, bufferSize);
        }
    }
}
