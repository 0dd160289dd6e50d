package io.alignloss.error;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.execution.datasources.SchemaColumnConvertNotSupportedException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.String.format;

/**
 * The one place that turns what Spark, Hadoop and Parquet throw while reading data into an
 * {@link AlignLossException} with a one-line message {@code Cannot read <what>: <file> <why>}. It walks the
 * cause chain (Spark wraps a task's failure in a job abort, the job abort in {@code FAILED_READ_FILE}, that
 * around Parquet's exception):
 * <ul>
 *   <li>a path that does not exist ({@code PATH_NOT_FOUND}), a file that is not Parquet (Parquet's
 *       {@code "… is not a Parquet file"}), a page Parquet cannot decode ({@link ParquetDecodingException},
 *       {@code "could not read page"}, a failed decompression or checksum) and a column whose file type the
 *       schema's type cannot be read as ({@link SchemaColumnConvertNotSupportedException}) are
 *       {@link ErrorCode#INPUT_SCHEMA} (exit 2: retrying cannot help);</li>
 *   <li>any other {@link AnalysisException} while reading a named path (e.g. an empty folder) is
 *       {@link ErrorCode#INPUT_SCHEMA};</li>
 *   <li>any other {@link IOException} (a lost datanode, a refused connection) is {@link ErrorCode#INTERNAL}
 *       (exit 1), so that a scheduler retries: {@code Cannot read … could not be read (an I/O error; …)} when
 *       a file being read is named, else {@code I/O error (a retry may succeed): …} (e.g. writing the output);</li>
 *   <li>anything else is a bug: {@link ErrorCode#INTERNAL}, {@code unexpected error: <class>: <first line>}.</li>
 * </ul>
 * The full trace is not in the message: the command line logs it (see {@code cli.Main}).
 */
public final class Failures {
    /** Spark's message of the {@code FAILED_READ_FILE} error class names the file. */
    private static final Pattern FAILED_READ_FILE = Pattern.compile("while reading file (\\S+?)\\.?(\\s|$)");
    private static final Pattern NOT_PARQUET = Pattern.compile("^(\\S+) is not a Parquet file");
    /** Parquet's page description ({@code Page [bytes.size=…, valueCount=…]}) says nothing to a reader of the alert. */
    private static final Pattern PAGE_DETAILS = Pattern.compile("Page \\[[^\\]]*\\] ");
    private static final String[] CORRUPT_PAGE = {"could not read page", "FAILED_TO_UNCOMPRESS", "CRC checksum", "Checksum error",
            "Can not read value at", "can not read class org.apache.parquet.format"};
    private static final int MAX_WHY = 400;

    private Failures() {
    }

    /** What the cause chain says: the category, the file when one is named, and the reason in a few words. */
    public record ReadFailure(ErrorCode code, Optional<String> file, String why) {
        /** {@code <file> <why>}, or the reason alone when no file is named. */
        String describe() {
            return file.map(name -> name + " " + why).orElse(why);
        }
    }

    /**
     * The failure as {@code Cannot read <what>: …} when its chain is a read failure, an
     * {@link AlignLossException} in the chain as it is, else {@code INTERNAL} with the first line of the error.
     *
     * @param what what was being read, e.g. {@code input 'prefs'} or {@code battles}
     */
    public static AlignLossException reading(String what, Throwable error) {
        return reading(what, Optional.empty(), error);
    }

    /** As {@link #reading(String, Throwable)}, for a failure reading {@code file} (named when the chain names none). */
    public static AlignLossException reading(String what, String file, Throwable error) {
        return reading(what, Optional.of(file), error);
    }

    private static AlignLossException reading(String what, Optional<String> file, Throwable error) {
        Optional<AlignLossException> known = find(error, AlignLossException.class);
        if (known.isPresent()) {
            return known.get();
        }
        return classify(error, file)
                .map(failure -> new AlignLossException(failure.code(), format("Cannot read %s: %s", what, failure.describe()), error))
                .orElseGet(() -> unexpected(error));
    }

    /**
     * A failure of a whole run: when it is a read failure of a file under one of {@code inputs} (name → configured
     * path), {@code Cannot read input '<name>': …}; otherwise as {@link #describe(Throwable)}.
     */
    public static AlignLossException duringRun(Throwable error, Map<String, String> inputs, Configuration conf) {
        Optional<AlignLossException> known = find(error, AlignLossException.class);
        if (known.isPresent()) {
            return known.get();
        }
        Optional<ReadFailure> failure = classify(error);
        if (failure.isEmpty()) {
            return unexpected(error);
        }
        String what = failure.get().file().flatMap(file -> inputOf(file, inputs, conf)).map(name -> "input '" + name + "'")
                .orElse("input");
        return new AlignLossException(failure.get().code(), format("Cannot read %s: %s", what, failure.get().describe()), error);
    }

    /** Any failure with a one-line message: read failures as {@code Cannot read input: <file> <why>}. */
    public static AlignLossException describe(Throwable error) {
        return reading("input", error);
    }

    /** The read failure the chain describes, if it is one. */
    public static Optional<ReadFailure> classify(Throwable error) {
        return classify(error, Optional.empty());
    }

    private static Optional<ReadFailure> classify(Throwable error, Optional<String> knownFile) {
        List<Throwable> chain = chain(error);
        Optional<String> file = file(chain).or(() -> knownFile);
        for (Throwable cause : chain) {
            if (cause instanceof SchemaColumnConvertNotSupportedException convert) {
                return Optional.of(new ReadFailure(ErrorCode.INPUT_SCHEMA, file, format(
                        "has column '%s' of type %s, which cannot be read as %s, its type in the input's schema",
                        convert.getColumn().replaceAll("^\\[|\\]$", ""), convert.getPhysicalType(), convert.getLogicalType())));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof SparkThrowable spark && "PATH_NOT_FOUND".equals(spark.getCondition())) {
                String path = String.valueOf(spark.getMessageParameters().get("path"));
                return Optional.of(new ReadFailure(ErrorCode.INPUT_SCHEMA, Optional.of(path), "does not exist"));
            }
        }
        for (Throwable cause : chain) {
            String message = String.valueOf(cause.getMessage());
            Matcher notParquet = NOT_PARQUET.matcher(message);
            if (notParquet.find()) {
                return Optional.of(new ReadFailure(ErrorCode.INPUT_SCHEMA, Optional.of(file.orElse(normalise(notParquet.group(1)))),
                        "is not a Parquet file (" + notParquetReason(message) + ")"));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof ParquetDecodingException || corruptPage(cause)) {
                return Optional.of(new ReadFailure(ErrorCode.INPUT_SCHEMA, file, "is corrupt: " + messages(chain, chain.indexOf(cause))));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof AnalysisException && file.isPresent()) { // reading a path: e.g. UNABLE_TO_INFER_SCHEMA of an empty folder
                return Optional.of(new ReadFailure(ErrorCode.INPUT_SCHEMA, file, "cannot be read: " + oneLine(firstLine(cause.getMessage()))));
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof IOException && file.isPresent()) {
                return Optional.of(new ReadFailure(ErrorCode.INTERNAL, file, "could not be read (an I/O error; a retry may succeed): "
                        + messages(chain, chain.indexOf(cause))));
            }
        }
        return Optional.empty();
    }

    /** A failure that is not a read failure: a bug, or something not foreseen here (exit 1). */
    private static AlignLossException unexpected(Throwable error) {
        List<Throwable> chain = chain(error);
        for (Throwable cause : chain) {
            if (cause instanceof IOException) { // not while reading a named file: e.g. writing the output
                return new AlignLossException(ErrorCode.INTERNAL, "I/O error (a retry may succeed): " + messages(chain, chain.indexOf(cause)), error);
            }
        }
        return new AlignLossException(ErrorCode.INTERNAL, "unexpected error: " + oneLine(error.getClass().getName() + ": "
                + firstLine(error.getMessage())), error);
    }

    /** The configured input whose (qualified) path is the file or a folder holding it. */
    private static Optional<String> inputOf(String file, Map<String, String> inputs, Configuration conf) {
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            try {
                Path path = new Path(input.getValue());
                String qualified = path.getFileSystem(conf).makeQualified(path).toString();
                if (file.equals(qualified) || file.startsWith(qualified.endsWith("/") ? qualified : qualified + "/")) {
                    return Optional.of(input.getKey());
                }
            }
            catch (IOException | IllegalArgumentException e) {
                // a path Hadoop cannot resolve is not the one that failed
            }
        }
        return Optional.empty();
    }

    private static boolean corruptPage(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        for (String text : CORRUPT_PAGE) {
            if (message.contains(text)) {
                return true;
            }
        }
        return cause.getClass().getName().equals("org.apache.hadoop.fs.ChecksumException")
                || cause.getClass().getName().startsWith("org.xerial.snappy.")
                || cause.getClass().getName().startsWith("com.github.luben.zstd.");
    }

    private static String notParquetReason(String message) {
        if (message.contains("length is too low")) {
            return "too short";
        }
        if (message.contains("magic number at tail")) {
            return "too short, or another format: no footer at its end";
        }
        return oneLine(message.substring(message.indexOf("is not a Parquet file") + "is not a Parquet file".length())
                .replaceAll("^[.:\\s]+", ""));
    }

    /** The file a FAILED_READ_FILE error or a Parquet message names, as Hadoop writes paths ({@code file:/…}). */
    private static Optional<String> file(List<Throwable> chain) {
        for (Throwable cause : chain) {
            Matcher matcher = FAILED_READ_FILE.matcher(String.valueOf(cause.getMessage()));
            if (matcher.find()) {
                return Optional.of(normalise(matcher.group(1)));
            }
        }
        return Optional.empty();
    }

    private static String normalise(String file) {
        try {
            return new Path(file).toString();
        }
        catch (IllegalArgumentException e) {
            return file;
        }
    }

    /** The messages from {@code from} to the end of the chain, without repeats (a wrapper often repeats its cause). */
    private static String messages(List<Throwable> chain, int from) {
        List<String> parts = new ArrayList<>();
        for (Throwable cause : chain.subList(from, chain.size())) {
            String message = PAGE_DETAILS.matcher(cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : firstLine(cause.getMessage())).replaceAll("");
            if (cause.getCause() != null && String.valueOf(cause.getMessage()).equals(String.valueOf(cause.getCause()))) {
                continue; // new RuntimeException(cause): the message is the cause's toString
            }
            if (parts.stream().noneMatch(part -> part.contains(message))) {
                parts.add(message);
            }
        }
        String joined = oneLine(String.join(": ", parts));
        return joined.length() > MAX_WHY ? joined.substring(0, MAX_WHY) + "…" : joined;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static List<Throwable> chain(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = error; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    private static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        return chain(error).stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
