package io.alignloss.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.lang.String.format;

/**
 * Optimiser checkpoints in a folder on any Hadoop file system. Each checkpoint is a folder
 * {@code iteration-NNNNNNNN/} holding {@code state.json} (the scalars, the names and lengths of the
 * arrays, and the caller's metadata) and {@code arrays.bin} (the arrays as big-endian IEEE-754 doubles in
 * that order: x, gradient, the optimiser's own ({@code arrays} in {@code state.json}), then the caller's
 * ({@code extra_arrays}, e.g. the best iterate so far; absent in checkpoints written before they existed,
 * which read as none)). It is written under a temporary name and renamed into
 * place, so a checkpoint folder that exists is complete; older ones are deleted after a new one lands
 * (the newest {@link #KEEP} are kept).
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    public static final int KEEP = 2;
    private static final String PREFIX = "iteration-";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FileSystem fs;
    private final Path folder;

    public Checkpoints(String folder, Configuration conf) {
        try {
            Path path = new Path(folder);
            this.fs = path.getFileSystem(conf);
            this.folder = fs.makeQualified(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(format("Cannot open checkpoint folder %s: %s", folder, e.getMessage()), e);
        }
    }

    public Path folder() {
        return folder;
    }

    /** A saved state, the metadata and the caller's arrays stored with it. */
    public record Saved(OptimizerState state, JsonNode metadata, Map<String, double[]> extras, Path path) {
        public Saved {
            extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        }

        /** The caller's array of that name, if the checkpoint has one. */
        public Optional<double[]> extra(String name) {
            return Optional.ofNullable(extras.get(name)).map(double[]::clone);
        }
    }

    /** Writes a checkpoint atomically and deletes the older ones beyond {@link #KEEP}. */
    public Path save(OptimizerState state, Map<String, Object> metadata) {
        return save(state, Map.of(), metadata);
    }

    /**
     * Writes a checkpoint with arrays of the caller's besides the optimiser's (read back by
     * {@link Saved#extra}) atomically, and deletes the older ones beyond {@link #KEEP}.
     */
    public Path save(OptimizerState state, Map<String, double[]> extras, Map<String, Object> metadata) {
        Path target = new Path(folder, format("%s%08d", PREFIX, state.iteration()));
        Path temporary = new Path(folder, "_tmp-" + UUID.randomUUID());
        try {
            fs.mkdirs(temporary);
            write(temporary, Contents.of(state, extras, metadata));
            publish(temporary, target);
            for (Path old : list().stream().skip(KEEP).toList()) {
                fs.delete(old, true);
            }
            return target;
        }
        catch (IOException e) {
            try {
                fs.delete(temporary, true);
            }
            catch (IOException ignored) {
                LOG.debug("cannot delete {}", temporary, ignored);
            }
            throw new UncheckedIOException(format("Cannot write checkpoint %s: %s", target, e.getMessage()), e);
        }
    }

    /** A checkpoint's {@code state.json} and the arrays of {@code arrays.bin}, in the order the header lists them. */
    private record Contents(ObjectNode header, List<double[]> arrays) {
        static Contents of(OptimizerState state, Map<String, double[]> extras, Map<String, Object> metadata) {
            List<double[]> arrays = new ArrayList<>();
            ObjectNode header = MAPPER.createObjectNode();
            header.put("format", "alignloss-optimizer-checkpoint");
            header.put("format_version", 1);
            header.put("optimizer", state.optimizer());
            header.put("iteration", state.iteration());
            header.put("value", state.value());
            header.put("converged", state.converged());
            state.stopReason().ifPresent(reason -> header.put("stop_reason", reason));
            ObjectNode scalars = header.putObject("scalars");
            state.scalars().forEach(scalars::put);
            ObjectNode lengths = header.putObject("arrays");
            lengths.put("x", state.x().length);
            arrays.add(state.x());
            lengths.put("gradient", state.gradient().length);
            arrays.add(state.gradient());
            state.arrays().forEach((name, array) -> {
                lengths.put(name, array.length);
                arrays.add(array);
            });
            if (!extras.isEmpty()) {
                ObjectNode extraLengths = header.putObject("extra_arrays");
                extras.forEach((name, array) -> {
                    extraLengths.put(name, array.length);
                    arrays.add(array);
                });
            }
            header.set("metadata", MAPPER.valueToTree(metadata));
            return new Contents(header, arrays);
        }
    }

    private void write(Path temporary, Contents contents) throws IOException {
        try (FSDataOutputStream out = fs.create(new Path(temporary, "state.json"), false)) {
            out.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(contents.header()).getBytes(StandardCharsets.UTF_8));
        }
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(fs.create(new Path(temporary, "arrays.bin"), false), 1 << 16))) {
            for (double[] array : contents.arrays()) {
                for (double value : array) {
                    out.writeDouble(value);
                }
            }
        }
    }

    /** Renames the complete temporary folder into place (replacing a checkpoint of the same iteration): the commit. */
    private void publish(Path temporary, Path target) throws IOException {
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(temporary, target)) {
            throw new IOException(format("rename %s to %s failed", temporary, target));
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Saved> latest() {
        List<Path> checkpoints = list();
        if (checkpoints.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(read(checkpoints.get(0)));
    }

    /** Deletes the whole checkpoint folder (after a run has published its output). */
    public void deleteAll() {
        try {
            fs.delete(folder, true);
        }
        catch (IOException e) {
            LOG.warn("cannot delete checkpoint folder {}: {}", folder, e.getMessage());
        }
    }

    /** Complete checkpoints, newest first. */
    private List<Path> list() {
        try {
            if (!fs.exists(folder)) {
                return List.of();
            }
            return Arrays.stream(fs.listStatus(folder))
                    .filter(FileStatus::isDirectory)
                    .map(FileStatus::getPath)
                    .filter(path -> path.getName().startsWith(PREFIX))
                    .sorted(Comparator.comparing(Path::getName).reversed())
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(format("Cannot list checkpoints in %s: %s", folder, e.getMessage()), e);
        }
    }

    static Saved read(FileSystem fs, Path path) {
        try {
            JsonNode header;
            try (FSDataInputStream in = fs.open(new Path(path, "state.json"))) {
                header = MAPPER.readTree(in);
            }
            Map<String, double[]> arrays = new LinkedHashMap<>();
            Map<String, double[]> extras = new LinkedHashMap<>();
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(fs.open(new Path(path, "arrays.bin")), 1 << 16))) {
                readArrays(in, header.get("arrays"), arrays);
                if (header.has("extra_arrays")) {
                    readArrays(in, header.get("extra_arrays"), extras);
                }
            }
            Map<String, Double> scalars = new LinkedHashMap<>();
            header.get("scalars").fields().forEachRemaining(entry -> scalars.put(entry.getKey(), entry.getValue().asDouble()));
            double[] x = arrays.remove("x");
            double[] gradient = arrays.remove("gradient");
            Optional<String> stop = header.has("stop_reason") ? Optional.of(header.get("stop_reason").asText()) : Optional.empty();
            OptimizerState state = new OptimizerState(header.get("optimizer").asText(), header.get("iteration").asLong(), x,
                    header.get("value").asDouble(), gradient, arrays, scalars, stop, header.get("converged").asBoolean());
            return new Saved(state, header.get("metadata"), extras, path);
        }
        catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException(format("Cannot read checkpoint %s: %s", path, e.getMessage()), e));
        }
    }

    // the arrays named in lengths ({name: length}), in that order
    private static void readArrays(DataInputStream in, JsonNode lengths, Map<String, double[]> into) throws IOException {
        Iterator<Map.Entry<String, JsonNode>> entries = lengths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            double[] array = new double[entry.getValue().asInt()];
            for (int i = 0; i < array.length; i++) {
                array[i] = in.readDouble();
            }
            into.put(entry.getKey(), array);
        }
    }

    private Saved read(Path path) {
        return read(fs, path);
    }
}
