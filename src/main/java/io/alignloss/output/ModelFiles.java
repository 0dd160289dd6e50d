package io.alignloss.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static java.lang.String.format;

/**
 * The files of a model folder, shared by the reward model and the language model: {@code model.json} (a header
 * with a {@code format} name) and little-endian binary arrays, on any Hadoop file system.
 */
public final class ModelFiles {
    public static final String HEADER = "model.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    /** What writes a model folder's files on its file system. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(FileSystem fs) throws IOException;
    }

    /**
     * Creates {@code folder} and has {@code writer} write its files; an I/O error is unchecked, "Cannot write {@code what}
     * to {@code folder}: …".
     */
    public static void writeFolder(Path folder, Configuration conf, String what, FolderWriter writer) {
        try {
            FileSystem fs = folder.getFileSystem(conf);
            fs.mkdirs(folder);
            writer.write(fs);
        }
        catch (IOException e) {
            throw new UncheckedIOException(format("Cannot write %s to %s: %s", what, folder, e.getMessage()), e);
        }
    }

    /** What reads a model folder's files on its file system. */
    @FunctionalInterface
    public interface FolderReader<T> {
        T read(FileSystem fs, Path folder) throws IOException;
    }

    /**
     * Has {@code reader} read the model folder at {@code path}; whatever makes it unreadable (no header, another
     * format, malformed JSON, a missing or mistyped header field, a short binary file) is a config error (exit 2),
     * "Cannot read {@code what} {@code path}: …", as the folder is named by the user's configuration.
     */
    public static <T> T readFolder(String path, Configuration conf, String what, FolderReader<T> reader) {
        Path folder = new Path(path);
        try {
            return reader.read(folder.getFileSystem(conf), folder);
        }
        catch (AlignLossException e) {
            throw e;
        }
        catch (IOException | RuntimeException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read %s %s: %s", what, path, e.getMessage()), e);
        }
    }

    public static void writeHeader(FileSystem fs, Path folder, Map<String, Object> header) throws IOException {
        try (FSDataOutputStream out = fs.create(new Path(folder, HEADER), true)) {
            out.write(MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The header of a model folder of {@code expectedFormat}; a missing header or another format is a config error
     * (exit 2) naming the path and {@code what} the folder should hold.
     */
    public static Map<String, Object> readHeader(FileSystem fs, Path folder, String expectedFormat, String what) throws IOException {
        Path json = new Path(folder, HEADER);
        if (!fs.exists(json)) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Cannot read %s %s: no model.json there (a model folder is <train output>/model)", what, folder));
        }
        Map<String, Object> header;
        try (FSDataInputStream in = fs.open(json)) {
            header = MAPPER.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() { });
        }
        if (!expectedFormat.equals(header.get("format"))) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read %s %s: format '%s', expected '%s'", what, folder,
                    header.get("format"), expectedFormat));
        }
        return header;
    }

    /** The {@code format} a folder's header names, or null when there is no readable header. */
    public static String formatOf(FileSystem fs, Path folder) {
        try (FSDataInputStream in = fs.open(new Path(folder, HEADER))) {
            Object name = MAPPER.readValue(in, new TypeReference<Map<String, Object>>() { }).get("format");
            return name == null ? null : name.toString();
        }
        catch (IOException e) {
            return null;
        }
    }

    public static void writeDoubles(FileSystem fs, Path file, double[] values) throws IOException {
        write(fs, file, Double.BYTES * values.length, buffer -> buffer.asDoubleBuffer().put(values));
    }

    public static double[] readDoubles(FileSystem fs, Path file, int count) throws IOException {
        double[] values = new double[count];
        read(fs, file, Double.BYTES * count).asDoubleBuffer().get(values);
        return values;
    }

    public static void writeInts(FileSystem fs, Path file, int[] values) throws IOException {
        write(fs, file, Integer.BYTES * values.length, buffer -> buffer.asIntBuffer().put(values));
    }

    public static int[] readInts(FileSystem fs, Path file, int count) throws IOException {
        int[] values = new int[count];
        read(fs, file, Integer.BYTES * count).asIntBuffer().get(values);
        return values;
    }

    /** Writes {@code length} bytes that {@code fill} puts into a little-endian buffer (the folder format's byte order). */
    private static void write(FileSystem fs, Path file, int length, Consumer<ByteBuffer> fill) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buffer);
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(buffer.array());
        }
    }

    /** The first {@code length} bytes of {@code file}, as a little-endian buffer. */
    private static ByteBuffer read(FileSystem fs, Path file, int length) throws IOException {
        byte[] bytes = new byte[length];
        try (FSDataInputStream in = fs.open(file)) {
            in.readFully(bytes);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
