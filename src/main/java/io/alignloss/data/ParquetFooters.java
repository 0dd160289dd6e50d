package io.alignloss.data;

import io.alignloss.config.InputConfig;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.error.Failures;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.String.format;

/**
 * Checks every file of a Parquet input against the schema Spark reads the input with, from the files' footers
 * only (no data page is read). Spark takes the schema from one footer (or a {@code _common_metadata} summary)
 * and reads a column that a file lacks as null, which would reject every row of that file as a bad row, and
 * fails mid-scan on a column whose file type it cannot read as the schema's type. Here both fail at once with
 * exit 2, naming the column and the file, as does a file that is not Parquet at all (e.g. truncated or
 * empty: Spark skips a 0-byte file without a word).
 *
 * <p>With {@code spark.sql.files.ignoreCorruptFiles = true} a file whose footer cannot be read is skipped, as
 * Spark skips it. Cost: one footer read per file (the schema only, row-group metadata skipped), {@value #THREADS} at a time.
 */
final class ParquetFooters {
    static final int THREADS = 8;

    private ParquetFooters() {
    }

    /** A file's footer schema, as Spark types; or how reading it failed. */
    private record Footer(String file, Optional<StructType> schema, Optional<Throwable> failure) {
    }

    /**
     * @param columns the columns the job reads (they are in {@code raw}'s schema); partition columns are not checked
     * @throws AlignLossException (exit 2) for the first file, in path order, that is not Parquet, lacks one of
     *                            {@code columns} or has one of a type that cannot be read as the schema's
     */
    static void check(SparkSession spark, InputConfig input, Dataset<Row> raw, Collection<String> columns) {
        List<String> files = new ArrayList<>(Arrays.asList(raw.inputFiles()));
        files.sort(null);
        Configuration conf = spark.sessionState().newHadoopConf();
        boolean caseSensitive = spark.sessionState().conf().caseSensitiveAnalysis();
        boolean ignoreCorrupt = spark.sessionState().conf().ignoreCorruptFiles();
        String what = format("input '%s'", input.name());
        ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(spark.sessionState().conf());
        List<String> inFiles = columns.stream().filter(column -> field(partitionSchema(raw), column, caseSensitive).isEmpty()).toList();
        for (Footer footer : footers(files, conf, converter)) {
            if (footer.failure().isPresent()) {
                if (ignoreCorrupt) {
                    continue; // the user asked Spark to skip unreadable files
                }
                throw Failures.reading(what, footer.file(), footer.failure().get());
            }
            StructType fileSchema = footer.schema().orElseThrow();
            for (String column : inFiles) {
                StructField expected = field(raw.schema(), column, caseSensitive).orElseThrow();
                Optional<StructField> actual = field(fileSchema, column, caseSensitive);
                if (actual.isEmpty()) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                            "Cannot read %s: column '%s' is in the input's schema (%s) but not in file %s", what, column,
                            expected.dataType().simpleString(), footer.file()));
                }
                if (!readable(actual.get().dataType(), expected.dataType())) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                            "Cannot read %s: column '%s' is %s in file %s but %s in the input's schema", what, column,
                            actual.get().dataType().simpleString(), footer.file(), expected.dataType().simpleString()));
                }
            }
        }
    }

    /**
     * Whether Spark can read a file column of type {@code file} as {@code schema}: the same type; numbers as
     * numbers (Spark widens, or fails mid-scan with a message {@link Failures} maps); string and binary as
     * either; arrays and maps by their elements; structs are not compared field by field.
     */
    static boolean readable(DataType file, DataType schema) {
        if (file.sameType(schema)) {
            return true;
        }
        if (file instanceof NumericType && schema instanceof NumericType) {
            return true;
        }
        if ((file instanceof StringType || file instanceof BinaryType) && (schema instanceof StringType || schema instanceof BinaryType)) {
            return true;
        }
        if (file instanceof ArrayType fileArray && schema instanceof ArrayType schemaArray) {
            return readable(fileArray.elementType(), schemaArray.elementType());
        }
        if (file instanceof MapType fileMap && schema instanceof MapType schemaMap) {
            return readable(fileMap.keyType(), schemaMap.keyType()) && readable(fileMap.valueType(), schemaMap.valueType());
        }
        return file instanceof StructType && schema instanceof StructType;
    }

    /** The partition columns ({@code language=en/} folders): they are in Spark's schema, never in the files. */
    private static StructType partitionSchema(Dataset<Row> raw) {
        if (raw.queryExecution().analyzed() instanceof LogicalRelation logical && logical.relation() instanceof HadoopFsRelation files) {
            return files.partitionSchema();
        }
        return new StructType();
    }

    private static Optional<StructField> field(StructType schema, String name, boolean caseSensitive) {
        return Arrays.stream(schema.fields())
                .filter(field -> caseSensitive ? field.name().equals(name) : field.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    private static List<Footer> footers(List<String> files, Configuration conf, ParquetToSparkSchemaConverter converter) {
        if (files.size() == 1) {
            return List.of(footer(files.get(0), conf, converter));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, files.size()), runnable -> {
            Thread thread = new Thread(runnable, "alignloss-footers");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Footer>> pending = new ArrayList<>();
            for (String file : files) {
                pending.add(pool.submit(() -> footer(file, conf, converter)));
            }
            List<Footer> footers = new ArrayList<>();
            for (Future<Footer> future : pending) {
                footers.add(future.get());
            }
            return footers;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlignLossException(ErrorCode.INTERNAL, "Cannot check the input's Parquet footers: interrupted", e);
        }
        catch (ExecutionException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, "Cannot check the input's Parquet footers: " + e.getCause(), e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static Footer footer(String file, Configuration conf, ParquetToSparkSchemaConverter converter) {
        Path path = new Path(file);
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf),
                HadoopReadOptions.builder(conf, path).withMetadataFilter(ParquetMetadataConverter.SKIP_ROW_GROUPS).build())) {
            MessageType schema = reader.getFileMetaData().getSchema();
            return new Footer(path.toString(), Optional.of(converter.convert(schema)), Optional.empty());
        }
        catch (Exception e) { // IOException, and Parquet's RuntimeException "… is not a Parquet file"
            return new Footer(path.toString(), Optional.empty(), Optional.of(e));
        }
    }
}
