package io.alignloss.diagnostics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.Json;
import io.alignloss.summary.SummaryJson;
import org.apache.commons.math3.special.Erf;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Change of each objective against the previous run's summary.json: the loss change with a two-sample
 * z-test, and how far the mix of each group column moved (total variation distance of the weight shares).
 *
 * <p>The z-test treats the two runs' losses as independent estimates, each with its reported standard
 * error. That holds for disjoint samples; when the two runs share rows (e.g. a growing dataset), the true
 * standard error of the change is smaller and the test is conservative.
 */
public final class Drift {
    /** The summary file of a run folder. */
    public static final String SUMMARY_FILE = "summary.json";

    private Drift() {
    }

    /**
     * @param currentObjectives the {@code "objectives"} map of the current run, as the evaluate job builds it
     * @param previousSummary   the previous run's whole summary.json ({@link #readPrevious}), empty on a first run
     * @return {@code status} = {@code no_previous} (with {@code message}) or {@code compared} (with
     *         {@code previous_started}, {@code objectives}, {@code missing}, {@code exceeded})
     */
    public static Map<String, Object> compare(Map<String, Object> currentObjectives, Optional<JsonNode> previousSummary,
            DriftThresholds thresholds) {
        requireNonNull(currentObjectives, "currentObjectives is null");
        requireNonNull(previousSummary, "previousSummary is null");
        requireNonNull(thresholds, "thresholds is null");
        Map<String, Object> drift = new LinkedHashMap<>();
        if (previousSummary.isEmpty()) {
            drift.put("status", "no_previous");
            drift.put("message", "first run: nothing to compare with");
            return drift;
        }
        JsonNode previous = previousSummary.get();
        JsonNode current = SummaryJson.mapper().valueToTree(currentObjectives);
        JsonNode previousObjectives = previous.path("objectives");

        Map<String, Object> objectives = new LinkedHashMap<>();
        List<String> exceeded = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : current.properties()) {
            JsonNode before = previousObjectives.path(entry.getKey());
            objectives.put(entry.getKey(), before.isObject()
                    ? objective(entry.getKey(), entry.getValue(), before, thresholds, exceeded)
                    : Map.of("status", "new"));
        }
        List<String> missing = new ArrayList<>();
        previousObjectives.fieldNames().forEachRemaining(name -> {
            if (!current.has(name)) {
                missing.add(name);
            }
        });

        drift.put("status", "compared");
        drift.put("previous_started", text(previous.get("started")));
        drift.put("objectives", objectives);
        drift.put("missing", missing);
        drift.put("exceeded", exceeded);
        return drift;
    }

    /** True when a {@link #compare} result lists exceeded thresholds. */
    public static boolean exceeded(Map<String, Object> drift) {
        return drift.get("exceeded") instanceof Collection<?> entries && !entries.isEmpty();
    }

    /**
     * Reads a previous run's summary.json, given the file or the run folder, on any Hadoop file system.
     *
     * @return empty when nothing exists at {@code path} (a first run)
     * @throws AlignLossException (INPUT_SCHEMA) naming the path when it exists but cannot be read, is not a JSON
     *                            object, or is a folder without summary.json
     */
    public static Optional<JsonNode> readPrevious(String path, Configuration conf) {
        requireNonNull(path, "path is null");
        requireNonNull(conf, "conf is null");
        Path given = new Path(path);
        Path file = given;
        try {
            FileSystem fs = given.getFileSystem(conf);
            file = fs.makeQualified(given);
            FileStatus status;
            try {
                status = fs.getFileStatus(file);
            }
            catch (FileNotFoundException e) {
                return Optional.empty();
            }
            if (status.isDirectory()) {
                Path folder = file;
                file = new Path(folder, SUMMARY_FILE);
                if (!fs.exists(file)) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                            "Cannot read the previous summary: folder %s has no %s (not an alignloss run output)", folder, SUMMARY_FILE));
                }
            }
            JsonNode summary;
            try (FSDataInputStream in = fs.open(file)) {
                summary = SummaryJson.mapper().readTree(in);
            }
            if (summary == null || !summary.isObject()) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot read the previous summary %s: not a JSON object", file));
            }
            JsonNode objectives = summary.get("objectives");
            if (objectives != null && !objectives.isObject()) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot read the previous summary %s: \"objectives\" is not a JSON object", file));
            }
            return Optional.of(summary);
        }
        catch (JsonProcessingException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read the previous summary %s: invalid JSON (%s at line %d, column %d)",
                    file, e.getOriginalMessage(), e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr()), e);
        }
        catch (IOException e) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read the previous summary %s: %s", file, e.getMessage()), e);
        }
    }

    private static Map<String, Object> objective(String name, JsonNode current, JsonNode previous, DriftThresholds thresholds,
            List<String> exceeded) {
        Map<String, Object> figures = new LinkedHashMap<>();
        String description = text(current.get("description"));
        String previousDescription = text(previous.get("description"));
        if (differ(text(current.get("type")), text(previous.get("type"))) || differ(description, previousDescription)) {
            // a different type, mode or utility: the losses measure different things
            figures.put("status", "redefined");
            figures.put("description", description);
            figures.put("previous_description", previousDescription);
            return figures;
        }

        OptionalDouble loss = number(current, "loss");
        OptionalDouble previousLoss = number(previous, "loss");
        OptionalDouble change = loss.isPresent() && previousLoss.isPresent()
                ? OptionalDouble.of(loss.getAsDouble() - previousLoss.getAsDouble())
                : OptionalDouble.empty();
        OptionalDouble z = zScore(change, number(current, "stderr"), number(previous, "stderr"));
        figures.put("status", "compared");
        figures.put("loss", Json.number(loss));
        figures.put("previous_loss", Json.number(previousLoss));
        figures.put("loss_change", Json.number(change));
        figures.put("z", Json.number(z));
        figures.put("p_value", z.isPresent() ? Json.number(twoSidedPValue(z.getAsDouble())) : null);
        if (change.isPresent() && thresholds.maxLossChange().isPresent()
                && Math.abs(change.getAsDouble()) > thresholds.maxLossChange().getAsDouble()) {
            exceeded.add(format("objective '%s': loss changed by %+.6g (%.6g -> %.6g), more than the max loss change %s",
                    name, change.getAsDouble(), previousLoss.getAsDouble(), loss.getAsDouble(), thresholds.maxLossChange().getAsDouble()));
        }

        JsonNode groups = current.path("groups");
        JsonNode previousGroups = previous.path("groups");
        Map<String, Object> mix = new LinkedHashMap<>();
        List<String> newColumns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> column : groups.properties()) {
            JsonNode before = previousGroups.path(column.getKey());
            if (!before.isObject()) {
                newColumns.add(column.getKey());
                continue;
            }
            OptionalDouble tvd = totalVariationDistance(column.getValue(), before);
            mix.put(column.getKey(), Json.number(tvd));
            if (tvd.isPresent() && thresholds.maxMixChange().isPresent()
                    && tvd.getAsDouble() > thresholds.maxMixChange().getAsDouble()) {
                exceeded.add(format("objective '%s': mix of group column '%s' moved by %.6g (total variation distance), more than the max mix change %s",
                        name, column.getKey(), tvd.getAsDouble(), thresholds.maxMixChange().getAsDouble()));
            }
        }
        List<String> missingColumns = new ArrayList<>();
        previousGroups.fieldNames().forEachRemaining(column -> {
            if (!groups.has(column)) {
                missingColumns.add(column);
            }
        });
        figures.put("mix_tvd", mix);
        figures.put("new_group_columns", newColumns);
        figures.put("missing_group_columns", missingColumns);
        return figures;
    }

    // z = (L_cur − L_prev) / sqrt(se_cur² + se_prev²)  (two independent estimates)
    static OptionalDouble zScore(OptionalDouble change, OptionalDouble stderr, OptionalDouble previousStderr) {
        if (change.isEmpty() || stderr.isEmpty() || previousStderr.isEmpty()) {
            return OptionalDouble.empty();
        }
        double se = Math.hypot(stderr.getAsDouble(), previousStderr.getAsDouble());
        if (!(se > 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(change.getAsDouble() / se);
    }

    // p = Pr(|Z| ≥ |z|) = 2·(1 − Φ(|z|)) = erfc(|z|/√2): erfc keeps full relative precision in the tail, where 1 − Φ cancels to 0
    static double twoSidedPValue(double z) {
        return Erf.erfc(Math.abs(z) / Math.sqrt(2.0));
    }

    // TVD = ½·Σ_v |share_cur(v) − share_prev(v)| over the union of values, share(v) = weight_sum(v) / Σ weight_sum
    static OptionalDouble totalVariationDistance(JsonNode current, JsonNode previous) {
        Optional<Map<String, Double>> shares = shares(current);
        Optional<Map<String, Double>> previousShares = shares(previous);
        if (shares.isEmpty() || previousShares.isEmpty()) {
            return OptionalDouble.empty();
        }
        Set<String> values = new LinkedHashSet<>(shares.get().keySet());
        values.addAll(previousShares.get().keySet());
        double sum = 0;
        for (String value : values) {
            sum += Math.abs(shares.get().getOrDefault(value, 0.0) - previousShares.get().getOrDefault(value, 0.0));
        }
        return OptionalDouble.of(Math.min(1.0, sum / 2));
    }

    /** weight_sum shares of one group column's values; empty when a weight_sum is missing or the total is not positive. */
    private static Optional<Map<String, Double>> shares(JsonNode values) {
        Map<String, Double> weights = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, JsonNode> value : values.properties()) {
            OptionalDouble weight = number(value.getValue(), "weight_sum");
            if (weight.isEmpty() || weight.getAsDouble() < 0) {
                return Optional.empty();
            }
            weights.put(value.getKey(), weight.getAsDouble());
            total += weight.getAsDouble();
        }
        if (!(total > 0)) {
            return Optional.empty();
        }
        for (Map.Entry<String, Double> weight : weights.entrySet()) {
            weight.setValue(weight.getValue() / total);
        }
        return Optional.of(weights);
    }

    private static OptionalDouble number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() && Double.isFinite(value.asDouble())
                ? OptionalDouble.of(value.asDouble())
                : OptionalDouble.empty();
    }

    /** Both known and different (a figure missing on one side cannot tell). */
    private static boolean differ(String current, String previous) {
        return current != null && previous != null && !current.equals(previous);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
