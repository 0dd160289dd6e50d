package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.checkName;
import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.flag;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/**
 * The {@code inputs} block: {@code inputs.<name> { path, kind, position, cluster, allow-empty, format, table, version,
 * snapshot-id, as-of, filter }}, at least one.
 */
final class InputsBlock {
    static final List<String> KEYS = List.of("path", "kind", "position", "cluster", "allow-empty", "format", "table", "version",
            "snapshot-id", "as-of", "filter");

    private InputsBlock() {
    }

    /** The inputs by name, in sorted order of their names. */
    static Map<String, InputConfig> parse(Config config, String source) {
        Map<String, InputConfig> inputs = new LinkedHashMap<>();
        if (!config.hasPath("inputs")) {
            throw error(source, "Missing key 'inputs': configure at least one input as inputs.<name> { path, kind }");
        }
        ConfigObject inputsObject = object(config, "inputs", source);
        if (inputsObject.isEmpty()) {
            throw error(source, "Invalid 'inputs' (%s): configure at least one input as inputs.<name> { path, kind }",
                    where(inputsObject));
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            checkName(name, "inputs." + name, inputsObject.get(name), source);
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            String prefix = "inputs." + name;
            ConfigObject input = object(config, prefix, source);
            checkKeys(input, prefix + ".", KEYS, source);
            InputSource inputSource = source(config, prefix, source);
            String path = inputSource.table().isPresent() ? inputSource.table().get() : string(config, prefix + ".path", source);
            InputKind kind = choice(config, prefix + ".kind", prefix + ".kind", source, InputKind::fromConfig);
            Optional<String> position = config.hasPath(prefix + ".position")
                    ? Optional.of(string(config, prefix + ".position", source)) : Optional.empty();
            if (position.isPresent() && kind != InputKind.PREFERENCE) {
                throw error(source, "Invalid '%s.position' (%s): only preference inputs have a position column", prefix,
                        where(config.getValue(prefix + ".position")));
            }
            ClusterKey cluster = ClusterKey.DEFAULT;
            if (config.hasPath(prefix + ".cluster")) {
                String value = string(config, prefix + ".cluster", source);
                cluster = ClusterKey.of(value, where(config.getValue(prefix + ".cluster")));
            }
            boolean allowEmpty = config.hasPath(prefix + ".allow-empty") && flag(config, prefix + ".allow-empty", source);
            inputs.put(name, new InputConfig(name, path, kind, position, cluster, allowEmpty, inputSource));
        }
        return inputs;
    }

    /**
     * {@code format} (parquet by default), {@code table} (Iceberg only, instead of {@code path}), at most one of
     * {@code version} (Delta), {@code snapshot-id} (Iceberg) and {@code as-of} (both), and {@code filter}.
     */
    private static InputSource source(Config config, String prefix, String source) {
        TableFormat format = config.hasPath(prefix + ".format")
                ? choice(config, prefix + ".format", prefix + ".format", source, TableFormat::fromConfig) : TableFormat.PARQUET;
        Optional<String> table = optionalString(config, prefix + ".table", source);
        if (table.isPresent() && format != TableFormat.ICEBERG) {
            throw error(source, "Invalid '%s.table' (%s): only iceberg inputs name a catalog table; a %s input has a path", prefix,
                    where(config.getValue(prefix + ".table")), format.configName());
        }
        if (table.isPresent() && config.hasPath(prefix + ".path")) {
            throw error(source, "Invalid '%s.table' (%s): give either path (a Hadoop table) or table (<catalog>.<db>.<table>), not both",
                    prefix, where(config.getValue(prefix + ".table")));
        }
        if (table.isPresent() && table.get().split("\\.").length < 2) {
            throw error(source, "Invalid '%s.table' (%s): '%s' (expected <catalog>.<db>.<table>, the catalog set in the spark block)",
                    prefix, where(config.getValue(prefix + ".table")), table.get());
        }
        Optional<Long> version = versionNumber(config, prefix + ".version", source);
        Optional<Long> snapshotId = versionNumber(config, prefix + ".snapshot-id", source);
        if (version.isPresent() && format != TableFormat.DELTA) {
            throw error(source, "Invalid '%s.version' (%s): only delta inputs have versions%s", prefix,
                    where(config.getValue(prefix + ".version")), format == TableFormat.ICEBERG ? " (an iceberg input takes snapshot-id)" : "");
        }
        if (snapshotId.isPresent() && format != TableFormat.ICEBERG) {
            throw error(source, "Invalid '%s.snapshot-id' (%s): only iceberg inputs have snapshots%s", prefix,
                    where(config.getValue(prefix + ".snapshot-id")), format == TableFormat.DELTA ? " (a delta input takes version)" : "");
        }
        Optional<Instant> asOf = Optional.empty();
        if (config.hasPath(prefix + ".as-of")) {
            if (format == TableFormat.PARQUET) {
                throw error(source, "Invalid '%s.as-of' (%s): a parquet input has no versions (set format = delta or iceberg)", prefix,
                        where(config.getValue(prefix + ".as-of")));
            }
            if (version.isPresent() || snapshotId.isPresent()) {
                throw error(source, "Invalid '%s.as-of' (%s): give one of %s and as-of, not both", prefix,
                        where(config.getValue(prefix + ".as-of")), format == TableFormat.DELTA ? "version" : "snapshot-id");
            }
            asOf = Optional.of(instant(config, prefix + ".as-of", source));
        }
        Optional<String> filter = optionalString(config, prefix + ".filter", source);
        return new InputSource(format, table, version, snapshotId, asOf, filter, Optional.empty());
    }

    private static Optional<String> optionalString(Config config, String key, String source) {
        return config.hasPath(key) ? Optional.of(string(config, key, source)) : Optional.empty();
    }

    private static Optional<Long> versionNumber(Config config, String key, String source) {
        if (!config.hasPath(key)) {
            return Optional.empty();
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() == ConfigValueType.NUMBER && value.unwrapped() instanceof Number number
                && (number instanceof Integer || number instanceof Long) && number.longValue() >= 0) {
            return Optional.of(number.longValue());
        }
        if (value.valueType() == ConfigValueType.STRING && ((String) value.unwrapped()).matches("\\d{1,19}")) {
            try {
                return Optional.of(Long.parseLong((String) value.unwrapped()));
            }
            catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw error(source, "Invalid '%s' (%s): %s (expected a whole number >= 0)", key, where(value), value.render());
    }

    /**
     * An ISO-8601 instant: {@code 2026-12-01T06:00:00Z} or with an offset, a local date-time taken as UTC, or a date
     * (its start, UTC).
     */
    private static Instant instant(Config config, String key, String source) {
        String text = string(config, key, source);
        try {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                catch (DateTimeParseException notDate) {
                    throw error(source, "Invalid '%s' (%s): '%s' (expected an ISO timestamp such as 2026-12-01T06:00:00Z, or a date)",
                            key, where(config.getValue(key)), text);
                }
            }
        }
    }
}
