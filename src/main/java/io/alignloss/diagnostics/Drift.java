package io.alignloss.diagnostics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.DriftSummary;
import io.alignloss.summary.GroupSummary;
import io.alignloss.summary.Json;
import io.alignloss.summary.ObjectiveDrift;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RunSummary;
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
     * @param currentObjectives the objectives of the current run, as the evaluate job builds them
     * @param previousSummary   the previous run's summary.json ({@link #readPrevious}), empty on a first run
     * @return {@code no_previous} (with a message) or {@code compared}: each current objective against the previous
     *         run's, the objectives only the previous run had, and the thresholds exceeded
     */
    public static DriftSummary compare(Map<String, ObjectiveSummary> currentObjectives, Optional<RunSummary> previousSummary,
            DriftThresholds thresholds) {
        requireNonNull(currentObjectives, "currentObjectives is null");
        requireNonNull(previousSummary, "previousSummary is null");
        requireNonNull(thresholds, "thresholds is null");
        if (previousSummary.isEmpty()) {
            return new DriftSummary.NoPrevious("first run: nothing to compare with", null);
        }
        RunSummary previous = previousSummary.get();
        Map<String, ObjectiveSummary> previousObjectives = previous.objectivesOrEmpty();

        Map<String, ObjectiveDrift> objectives = new LinkedHashMap<>();
        List<String> exceeded = new ArrayList<>();
        currentObjectives.forEach((name, current) -> {
            ObjectiveSummary before = previousObjectives.get(name);
            objectives.put(name, before != null ? objective(name, current, before, thresholds, exceeded) : new ObjectiveDrift.New());
        });
        List<String> missing = new ArrayList<>();
        for (String name : previousObjectives.keySet()) {
            if (!currentObjectives.containsKey(name)) {
                missing.add(name);
            }
        }
        return new DriftSummary.Compared(previous.started(), objectives, missing, exceeded, null);
    }

    /**
     * Reads a previous run's summary.json, given the file or the run folder, on any Hadoop file system.
     *
     * @return empty when nothing exists at {@code path} (a first run)
     * @throws AlignLossException (INPUT_SCHEMA) naming the path when it exists but cannot be read, is not a JSON
     *                            object, or is a folder without summary.json
     */
    public static Optional<RunSummary> readPrevious(String path, Configuration conf) {
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
            return Optional.of(SummaryJson.fromTree(summary, file.toString()));
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

    private static ObjectiveDrift objective(String name, ObjectiveSummary current, ObjectiveSummary previous, DriftThresholds thresholds,
            List<String> exceeded) {
        if (differ(current.type(), previous.type()) || differ(current.description(), previous.description())) {
            // a different type, mode or utility: the losses measure different things
            return new ObjectiveDrift.Redefined(current.description(), previous.description());
        }

        OptionalDouble loss = number(current.loss());
        OptionalDouble previousLoss = number(previous.loss());
        OptionalDouble change = loss.isPresent() && previousLoss.isPresent()
                ? OptionalDouble.of(loss.getAsDouble() - previousLoss.getAsDouble())
                : OptionalDouble.empty();
        OptionalDouble z = zScore(change, number(current.stderr()), number(previous.stderr()));
        if (change.isPresent() && thresholds.maxLossChange().isPresent()
                && Math.abs(change.getAsDouble()) > thresholds.maxLossChange().getAsDouble()) {
            exceeded.add(format("objective '%s': loss changed by %+.6g (%.6g -> %.6g), more than the max loss change %s",
                    name, change.getAsDouble(), previousLoss.getAsDouble(), loss.getAsDouble(), thresholds.maxLossChange().getAsDouble()));
        }

        Map<String, Map<String, GroupSummary>> groups = current.groupsOrEmpty();
        Map<String, Map<String, GroupSummary>> previousGroups = previous.groupsOrEmpty();
        Map<String, Double> mix = new LinkedHashMap<>();
        List<String> newColumns = new ArrayList<>();
        for (Map.Entry<String, Map<String, GroupSummary>> column : groups.entrySet()) {
            Map<String, GroupSummary> before = previousGroups.get(column.getKey());
            if (before == null) {
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
        for (String column : previousGroups.keySet()) {
            if (!groups.containsKey(column)) {
                missingColumns.add(column);
            }
        }
        return new ObjectiveDrift.Compared(Json.number(loss), Json.number(previousLoss), Json.number(change), Json.number(z),
                z.isPresent() ? Json.number(twoSidedPValue(z.getAsDouble())) : null, mix, newColumns, missingColumns);
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
    static OptionalDouble totalVariationDistance(Map<String, GroupSummary> current, Map<String, GroupSummary> previous) {
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
    private static Optional<Map<String, Double>> shares(Map<String, GroupSummary> values) {
        Map<String, Double> weights = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, GroupSummary> value : values.entrySet()) {
            OptionalDouble weight = number(value.getValue().weightSum());
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

    /** A figure read from a summary: present when a finite number. */
    private static OptionalDouble number(Double value) {
        return value != null && Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    /** Both known and different (a figure missing on one side cannot tell). */
    private static boolean differ(String current, String previous) {
        return current != null && previous != null && !current.equals(previous);
    }
}
