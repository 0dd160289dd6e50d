package io.alignloss.job;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

import static java.lang.String.format;

/**
 * The nightly evaluation's folders: each date's run is published at {@code <output.path>/run_date=YYYY-MM-DD/}
 * (a Hive-style partition), and a date's run compares with the newest earlier date that finished
 * ({@code _SUCCESS} present).
 */
public final class NightlyRuns {
    public static final String PREFIX = "run_date=";
    /** A path that never exists: drift against it reports "first run: nothing to compare with". */
    public static final String NO_PREVIOUS = "_no_previous_run";

    private NightlyRuns() {
    }

    /** The date, strictly YYYY-MM-DD. */
    public static LocalDate parseDate(String text) {
        try {
            if (!text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new DateTimeParseException("not YYYY-MM-DD", text, 0);
            }
            return LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --date '%s': expected YYYY-MM-DD", text));
        }
    }

    /** The run folder of a date. */
    public static String runFolder(String outputPath, LocalDate date) {
        return trim(outputPath) + "/" + PREFIX + date;
    }

    /** The newest finished run folder strictly before {@code date}. */
    public static Optional<Path> previous(String outputPath, LocalDate date, Configuration conf) {
        Path root = new Path(trim(outputPath));
        try {
            FileSystem fs = root.getFileSystem(conf);
            if (!fs.exists(root)) {
                return Optional.empty();
            }
            return Arrays.stream(fs.listStatus(root))
                    .filter(FileStatus::isDirectory)
                    .map(FileStatus::getPath)
                    .filter(path -> path.getName().startsWith(PREFIX))
                    .filter(path -> {
                        try {
                            LocalDate runDate = LocalDate.parse(path.getName().substring(PREFIX.length()));
                            return runDate.isBefore(date) && fs.exists(new Path(path, "_SUCCESS"));
                        }
                        catch (DateTimeParseException | IOException e) {
                            return false;
                        }
                    })
                    .max(Comparator.comparing(Path::getName));
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INTERNAL, format("Cannot list earlier runs in %s: %s", root, e.getMessage()), e);
        }
    }

    private static String trim(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
