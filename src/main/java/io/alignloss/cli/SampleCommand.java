package io.alignloss.cli;

import io.alignloss.job.SparkSessions;
import io.alignloss.synth.SampleData;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes seeded sample Parquet files of each data contract, plus ones with bad rows of every kind. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        footer = {"", "Example (from the project root):", "  alignloss sample --out out/data-samples --rows 500"},
        description = "Write seeded sample Parquet files of each data contract (and ones with bad rows of every kind).")
final class SampleCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SampleCommand.class);

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "data-samples", description = "Folder to write (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "3000", description = "Rows per sample (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        try (SparkSessions session = SparkSessions.open("alignloss sample")) {
            SparkSession spark = session.spark();
            write(spark, SampleData.preferences(rows, seed), SampleData.PREFERENCE_SCHEMA, "preferences.parquet");
            write(spark, SampleData.sequences(rows, seed + 1), SampleData.SEQUENCE_SCHEMA, "sequences.parquet");
            write(spark, SampleData.badPreferences(200, seed + 2), SampleData.PREFERENCE_SCHEMA, "bad-preferences.parquet");
            write(spark, SampleData.badSequences(200, seed + 3), SampleData.SEQUENCE_SCHEMA, "bad-sequences.parquet");
            write(spark, SampleData.reference(rows, seed + 4), SampleData.REFERENCE_SCHEMA, "reference.parquet");
            write(spark, SampleData.embeddedPreferences(rows, seed + 5), SampleData.EMBEDDED_PREFERENCE_SCHEMA,
                    "preferences-embedded.parquet");
            write(spark, SampleData.candidates(Math.max(1, rows / 6), seed + 6), SampleData.CANDIDATE_SCHEMA, "candidates.parquet");
            write(spark, SampleData.logged(rows, seed + 7, seed + 6), SampleData.LOGGED_SCHEMA, "logged.parquet");
            write(spark, SampleData.loggedCandidates(Math.max(1, rows / 3), seed + 8, seed + 6), SampleData.LOGGED_CANDIDATE_SCHEMA,
                    "logged-candidates.parquet");
            write(spark, SampleData.selfTargets(Math.max(1, rows / 10), seed + 9), SampleData.SELF_TARGET_SCHEMA, "self-target.parquet");
            write(spark, SampleData.sequences(Math.max(1, rows / 6), seed + 10), SampleData.SEQUENCE_SCHEMA, "sequences-heldout.parquet");
            write(spark, SampleData.dpoPairs(rows, seed + 11), SampleData.DPO_SCHEMA, "dpo.parquet");
            write(spark, SampleData.loggedCandidatesWithEstimate(Math.max(1, rows / 6), seed + 11, seed + 6),
                    SampleData.LOGGED_CANDIDATE_ESTIMATE_SCHEMA, "logged-candidates-qhat.parquet");
        }
        return 0;
    }

    /** Writes one Parquet file {@code <out>/<name>} (Spark writes a folder; its single part file is moved out). */
    private void write(SparkSession spark, List<Row> rows, StructType schema, String name) throws IOException {
        Path target = new Path(out, name);
        Path temporary = new Path(out, "._" + name + ".tmp");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = target.getFileSystem(conf);
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
                .option("compression", "zstd").parquet(temporary.toString());
        FileStatus[] parts = fs.globStatus(new Path(temporary, "part-*.parquet"));
        if (parts == null || parts.length != 1) {
            throw new IOException("expected one part file in " + temporary);
        }
        fs.delete(target, true);
        if (!fs.rename(parts[0].getPath(), target)) {
            throw new IOException("rename failed: " + parts[0].getPath() + " -> " + target);
        }
        fs.delete(temporary, true);
        fs.delete(new Path(out, "." + name + ".crc"), false);
        LOG.info("wrote {} rows to {}", rows.size(), target);
    }
}
