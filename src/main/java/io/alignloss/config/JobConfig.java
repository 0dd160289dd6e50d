package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A validated job configuration.
 *
 * @param inputs      inputs by name, in config order
 * @param objectives  objectives in config order
 * @param groups      group columns for per-group figures
 * @param outputPath  where the run publishes; empty when neither output.path nor --out gave one
 * @param perExample  whether per-example Parquet is written ({@code output.per-example})
 * @param keepFailed  how many failed-run folders {@code <out>.failed-<id>} are kept per output, newest first
 *                    ({@code output.keep-failed}, at least 1)
 * @param diagnostics dataset-bias diagnostics settings
 * @param features    the top-level {@code features} block (an objective's own block takes precedence)
 * @param train       the {@code train} block, with defaults
 * @param source      where the config came from (file name), for messages
 * @param resolved    the resolved configuration (real values: what the job uses)
 * @param redaction   what of it may be shown: {@link #shownConfig()} is echoed into summary.json, and messages and
 *                    paths shown pass through {@link Redaction#text}
 * @param spark       the {@code spark} block: Spark properties by name, applied when the job builds its session
 * @param perExampleTable {@code output.per-example-table}: the tables the per-example figures also go to
 */
public record JobConfig(
        Map<String, InputConfig> inputs,
        List<ObjectiveConfig> objectives,
        List<String> groups,
        Optional<String> outputPath,
        boolean perExample,
        int keepFailed,
        DiagnosticsConfig diagnostics,
        Optional<FeatureSpec> features,
        TrainConfig train,
        String source,
        Config resolved,
        Redaction redaction,
        Map<String, String> spark,
        Optional<PerExampleTable> perExampleTable) {
    public JobConfig {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(inputs, "inputs is null")));
        objectives = List.copyOf(requireNonNull(objectives, "objectives is null"));
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        requireNonNull(outputPath, "outputPath is null");
        requireNonNull(diagnostics, "diagnostics is null");
        requireNonNull(features, "features is null");
        requireNonNull(train, "train is null");
        requireNonNull(source, "source is null");
        requireNonNull(resolved, "resolved is null");
        requireNonNull(redaction, "redaction is null");
        spark = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(spark, "spark is null")));
        requireNonNull(perExampleTable, "perExampleTable is null");
    }

    /** Without a {@code spark} block and table outputs. */
    public JobConfig(Map<String, InputConfig> inputs, List<ObjectiveConfig> objectives, List<String> groups, Optional<String> outputPath,
            boolean perExample, int keepFailed, DiagnosticsConfig diagnostics, Optional<FeatureSpec> features, TrainConfig train,
            String source, Config resolved, Redaction redaction) {
        this(inputs, objectives, groups, outputPath, perExample, keepFailed, diagnostics, features, train, source, resolved, redaction,
                Map.of(), Optional.empty());
    }

    /** What messages call a config given to {@link #parse} as text. */
    public static final String PARSED_SOURCE = "(config text)";

    /**
     * Parses and validates a job config given as HOCON (or JSON) text, as {@code --config} does with a file (no
     * {@code --set} overrides, no {@code --out}; substitutions it does not define come from the process environment).
     * Relative {@code include}s are not resolved (there is no file to be relative to). A bad config throws an
     * {@link AlignLossException} with {@link ErrorCode#CONFIG} (the CLI's exit 2).
     */
    public static JobConfig parse(String hocon) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(requireNonNull(hocon, "hocon is null"));
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.CONFIG, String.format("Cannot parse config %s: %s (quote URIs in HOCON: // starts a comment)",
                    PARSED_SOURCE, e.getMessage()), e);
        }
        return ConfigLoader.fromConfig(parsed, PARSED_SOURCE, List.of(), Optional.empty());
    }

    /** The resolved configuration as it may be shown (secrets masked). */
    public Config shownConfig() {
        return redaction.config(resolved);
    }

    /** The objectives that read the given input, in config order. */
    public List<ObjectiveConfig> objectivesOn(String input) {
        return objectives.stream().filter(objective -> objective.input().equals(input)).toList();
    }
}
