package io.alignloss.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A model's weights file ({@code *.f64}: little-endian doubles; or {@code *.i32} ints) as JSON for a golden file, read with plain
 * {@link ByteBuffer}s rather than the model classes. Up to {@link #ALL} values are listed whole; a larger vector
 * (a hashed language model) is summarised by its size, the count of non-zero entries, Σθ, Σ|θ|, √Σθ² and
 * {@link #SAMPLED} non-zero entries at evenly spaced ranks among the non-zero ones, keyed by their index (so a
 * changed sparsity pattern shows up as a changed key set).
 */
public final class WeightsDigest {
    /** Vectors up to this size are stored whole. */
    public static final int ALL = 256;
    /** How many non-zero entries a larger vector's digest keeps. */
    public static final int SAMPLED = 64;

    private WeightsDigest() {
    }

    public static double[] read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % Double.BYTES != 0) {
            throw new IOException(file + " holds " + bytes.length + " bytes, not a whole number of doubles");
        }
        double[] values = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    /** A file of little-endian ints ({@code *.i32}), as doubles (exact below 2^53). */
    public static double[] readInts(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % Integer.BYTES != 0) {
            throw new IOException(file + " holds " + bytes.length + " bytes, not a whole number of ints");
        }
        int[] ints = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(ints);
        return Arrays.stream(ints).asDoubleStream().toArray();
    }

    public static JsonNode of(double[] values) {
        ObjectNode digest = JsonNodeFactory.instance.objectNode();
        digest.put("size", values.length);
        if (values.length <= ALL) {
            values(digest.putArray("values"), values);
            return digest;
        }
        int[] nonZero = IntStream.range(0, values.length).filter(i -> values[i] != 0).toArray();
        double sum = 0;
        double absolute = 0;
        double squares = 0;
        for (double value : values) {
            sum += value;
            absolute += Math.abs(value);
            squares += value * value;
        }
        digest.put("non_zero", nonZero.length);
        digest.put("sum", sum);
        digest.put("l1", absolute);
        digest.put("l2", Math.sqrt(squares));
        ObjectNode sample = digest.putObject("sample");
        int taken = Math.min(SAMPLED, nonZero.length);
        for (int k = 0; k < taken; k++) {
            int index = nonZero[(int) ((long) k * nonZero.length / taken)];
            sample.put(Integer.toString(index), values[index]);
        }
        return digest;
    }

    private static void values(ArrayNode into, double[] values) {
        for (double value : values) {
            into.add(value);
        }
    }
}
