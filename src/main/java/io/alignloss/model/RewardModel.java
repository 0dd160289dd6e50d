package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.output.ModelFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A linear reward model {@code r_φ(x, y) = φ·f(x, y)} and its folder format:
 * <ul>
 *   <li>{@code model.json}: {@code format} ("alignloss-reward-model"), {@code format_version} (1),
 *       {@code model} ("linear"), {@code features} (the feature spec), {@code dimension}, and the training
 *       metadata (objective and options, data path and rows, final objective, iterations, version);</li>
 *   <li>{@code weights.f64}: the {@code dimension} weights as little-endian IEEE-754 doubles
 *       ({@code numpy.fromfile(path, "<f8")}).</li>
 * </ul>
 */
public record RewardModel(FeatureSpec features, double[] weights, Map<String, Object> metadata) {
    public static final String FORMAT = "alignloss-reward-model";
    public static final int FORMAT_VERSION = 1;
    public RewardModel {
        requireNonNull(features, "features is null");
        requireNonNull(weights, "weights is null");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(metadata, "metadata is null")));
    }

    public int dimension() {
        return weights.length;
    }

    public Featurizer featurizer() {
        return Featurizer.create(features, weights.length);
    }

    // r_φ(x, y) = φ·f(x, y)
    public double reward(FeatureVector f) {
        return f.dot(weights);
    }

    /** Writes {@code model.json} and {@code weights.f64} into {@code folder} (created). */
    public void save(Path folder, Configuration conf) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("format_version", FORMAT_VERSION);
        header.put("model", "linear");
        header.put("features", features.describe());
        header.put("dimension", weights.length);
        header.put("weights_file", "weights.f64");
        header.putAll(metadata);
        ModelFiles.writeFolder(folder, conf, "model", fs -> {
            ModelFiles.writeHeader(fs, folder, header);
            ModelFiles.writeDoubles(fs, new Path(folder, "weights.f64"), weights);
        });
    }

    /** Reads a model folder; a missing, foreign or malformed folder is a config error (exit 2) naming the path. */
    public static RewardModel load(String path, Configuration conf) {
        return ModelFiles.readFolder(path, conf, "model", (fs, folder) -> {
            Map<String, Object> header = ModelFiles.readHeader(fs, folder, FORMAT, "model");
            int dimension = ((Number) header.get("dimension")).intValue();
            @SuppressWarnings("unchecked")
            FeatureSpec features = FeatureSpec.fromDescription((Map<String, Object>) header.get("features"));
            double[] weights = ModelFiles.readDoubles(fs, new Path(folder, "weights.f64"), dimension);
            Map<String, Object> metadata = new LinkedHashMap<>(header);
            for (String key : new String[] {"format", "format_version", "model", "features", "dimension", "weights_file"}) {
                metadata.remove(key);
            }
            return new RewardModel(features, weights, metadata);
        });
    }
}
