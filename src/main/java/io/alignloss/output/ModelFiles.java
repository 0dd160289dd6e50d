package io.alignloss.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

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
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        write(fs, file, buffer.array());
    }

    public static double[] readDoubles(FileSystem fs, Path file, int count) throws IOException {
        double[] values = new double[count];
        ByteBuffer.wrap(read(fs, file, 8 * count)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    public static void writeInts(FileSystem fs, Path file, int[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        write(fs, file, buffer.array());
    }

    public static int[] readInts(FileSystem fs, Path file, int count) throws IOException {
        int[] values = new int[count];
        ByteBuffer.wrap(read(fs, file, 4 * count)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }

    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    private static byte[] read(FileSystem fs, Path file, int length) throws IOException {
        byte[] bytes = new byte[length];
        try (FSDataInputStream in = fs.open(file)) {
            in.readFully(bytes);
        }
        return bytes;
    }
}
