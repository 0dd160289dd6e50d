package io.alignloss.compare;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

import static java.lang.String.format;

/**
 * One finished run compare reads: its folder, its summary.json (typed) and where each objective's per-example rows
 * are ({@code per_example/<objective>/}).
 *
 * @param side   "a" or "b", for messages
 * @param folder the run's output folder
 */
record RunFolder(String side, String folder, RunSummary summary, FileSystem fs) {
    static RunFolder read(String side, String folder, Configuration conf) {
        try {
            Path path = new Path(folder);
            FileSystem fs = path.getFileSystem(conf);
            Path summary = new Path(path, "summary.json");
            if (!fs.isFile(summary)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot compare run %s: %s has no summary.json "
                        + "(not a finished evaluate or train run)", side, folder));
            }
            try (FSDataInputStream in = fs.open(summary)) {
                return new RunFolder(side, folder, SummaryJson.read(in, summary.toString()), fs);
            }
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read run %s at %s: %s", side, folder, e.getMessage()), e);
        }
    }

    /** The per-example folder of an objective; exit 2 when the run wrote none (output.per-example = false, or no rows). */
    String perExample(String objective) {
        Path path = new Path(new Path(folder, "per_example"), objective);
        try {
            if (!fs.isDirectory(path)) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot compare objective '%s': run %s (%s) has no "
                        + "per_example/%s (evaluate it with output.per-example = true)", objective, side, folder, objective));
            }
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read run %s at %s: %s", side, folder, e.getMessage()), e);
        }
        return path.toString();
    }
}
