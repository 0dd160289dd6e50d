package io.alignloss.diagnostics;

import com.fasterxml.jackson.core.type.TypeReference;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.summary.DriftSummary;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.RunSummary;
import io.alignloss.summary.SummaryJson;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class DriftTest {
    @TempDir
    Path temp;

    /** Builds one objective's figures as the evaluate job does (no group "share": Drift derives it). */
    private static final class ObjectiveBuilder {
        private final Map<String, Object> figures = new LinkedHashMap<>();
        private final Map<String, Object> groups = new LinkedHashMap<>();

        ObjectiveBuilder(Double loss, Double stderr) {
            figures.put("type", "bradley-terry");
            figures.put("input", "prefs");
            figures.put("description", "Bradley-Terry loss");
            figures.put("loss", loss);
            figures.put("count", 100L);
            figures.put("weight_sum", 100.0);
            figures.put("stderr", stderr);
        }

        /** Group column with values and their weight sums, given as value, weight_sum, value, weight_sum, ... */
        ObjectiveBuilder group(String column, Object... valueWeights) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < valueWeights.length; i += 2) {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("loss", 0.5);
                value.put("count", 10L);
                value.put("weight_sum", valueWeights[i + 1]);
                value.put("stderr", 0.1);
                values.put((String) valueWeights[i], value);
            }
            groups.put(column, values);
            return this;
        }

        ObjectiveBuilder set(String key, Object value) {
            figures.put(key, value);
            return this;
        }

        Map<String, Object> build() {
            Map<String, Object> result = new LinkedHashMap<>(figures);
            result.put("groups", groups);
            return result;
        }
    }

    private static ObjectiveBuilder objective(Double loss, Double stderr) {
        return new ObjectiveBuilder(loss, stderr);
    }

    private static Map<String, ObjectiveSummary> objectives(Object... nameObjective) {
        Map<String, ObjectiveSummary> objectives = new LinkedHashMap<>();
        for (int i = 0; i < nameObjective.length; i += 2) {
            objectives.put((String) nameObjective[i], SummaryJson.convert(((ObjectiveBuilder) nameObjective[i + 1]).build(),
                    ObjectiveSummary.class));
        }
        return objectives;
    }

    /** A previous summary.json with these objectives, read as the drift check reads it. */
    private static RunSummary summary(Map<String, ObjectiveSummary> objectives) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("schema_version", SummaryJson.SCHEMA_VERSION);
        summary.put("command", "evaluate");
        summary.put("started", "2026-11-23T02:00:00Z");
        summary.put("objectives", objectives);
        return SummaryJson.fromTree(SummaryJson.mapper().valueToTree(summary), "previous");
    }

    /** The drift block as summary.json writes it (nested maps, in order). */
    private static Map<String, Object> compare(Map<String, ObjectiveSummary> current, Optional<RunSummary> previous,
            DriftThresholds thresholds) {
        return SummaryJson.convert(Drift.compare(current, previous, thresholds), new TypeReference<Map<String, Object>>() { });
    }

    /** Whether the drift block, read back, lists exceeded thresholds. */
    private static boolean exceeded(Map<String, Object> drift) {
        return !SummaryJson.convert(drift, DriftSummary.class).exceededOrEmpty().isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectiveDrift(Map<String, Object> drift, String name) {
        return (Map<String, Object>) ((Map<String, Object>) drift.get("objectives")).get(name);
    }

    @Test
    void firstRunHasNothingToCompare() {
        Map<String, Object> drift = compare(objectives("bt", objective(0.6, 0.01)), Optional.empty(), DriftThresholds.none());
        assertThat(drift).containsExactly(Map.entry("status", "no_previous"), Map.entry("message", "first run: nothing to compare with"));
        assertThat(exceeded(drift)).isFalse();
    }

    @Test
    void lossChangeZAndPValueMatchHandComputedValues() {
        // change = 0.698 − 0.600 = 0.098; se = sqrt(0.03² + 0.04²) = 0.05; z = 1.96; p = erfc(1.96/√2) = 0.04999579...
        Map<String, Object> drift = compare(objectives("bt", objective(0.698, 0.03)),
                Optional.of(summary(objectives("bt", objective(0.600, 0.04)))), DriftThresholds.none());

        assertThat(drift.keySet()).containsExactly("status", "previous_started", "objectives", "missing", "exceeded");
        assertThat(drift.get("status")).isEqualTo("compared");
        assertThat(drift.get("previous_started")).isEqualTo("2026-11-23T02:00:00Z");
        Map<String, Object> bt = objectiveDrift(drift, "bt");
        assertThat(bt.keySet()).containsExactly("status", "loss", "previous_loss", "loss_change", "z", "p_value", "mix_tvd",
                "new_group_columns", "missing_group_columns");
        assertThat(bt.get("status")).isEqualTo("compared");
        assertThat((Double) bt.get("loss_change")).isCloseTo(0.098, within(1e-15));
        assertThat((Double) bt.get("z")).isCloseTo(1.96, within(1e-12));
        assertThat((Double) bt.get("p_value")).isCloseTo(0.04999579029644087, within(1e-12));
        assertThat(drift.get("exceeded")).isEqualTo(List.of());
        assertThat(exceeded(drift)).isFalse();
    }

    @Test
    void pValueIsTwoSidedAndKeepsItsPrecisionInTheTail() {
        assertThat(Drift.twoSidedPValue(0.0)).isEqualTo(1.0);
        assertThat(Drift.twoSidedPValue(1.0)).isCloseTo(0.31731050786291415, within(1e-14));
        assertThat(Drift.twoSidedPValue(-3.0)).isCloseTo(0.0026997960632601913, within(1e-15));
        // 1 − Φ(10) is 0 in double; erfc keeps the tail: 2·Q(10) = 1.5239706048321186e-23
        assertThat(Drift.twoSidedPValue(10.0)).isCloseTo(1.5239706048321186e-23, withinPercentage(1e-8));
    }

    @Test
    void zIsUndefinedWithoutStandardErrors() {
        assertThat(Drift.zScore(OptionalDouble.of(0.1), OptionalDouble.of(0.0), OptionalDouble.of(0.0))).isEmpty();
        assertThat(Drift.zScore(OptionalDouble.of(0.1), OptionalDouble.empty(), OptionalDouble.of(0.1))).isEmpty();
        Map<String, Object> drift = compare(objectives("bt", objective(null, null)),
                Optional.of(summary(objectives("bt", objective(0.6, 0.04)))), new DriftThresholds(OptionalDouble.of(0.0), OptionalDouble.empty()));
        Map<String, Object> bt = objectiveDrift(drift, "bt");
        assertThat(bt.get("loss_change")).isNull();
        assertThat(bt.get("z")).isNull();
        assertThat(bt.get("p_value")).isNull();
        // an undefined loss change cannot exceed a threshold
        assertThat(exceeded(drift)).isFalse();
    }

    @Test
    void mixTvdComesFromWeightSumsOverTheUnionOfValues() {
        // shares now en .6, de .4; before en .5, de .3, fr .2: TVD = ½(.1 + .1 + .2) = 0.2
        Map<String, Object> drift = compare(
                objectives("bt", objective(0.6, 0.01).group("language", "en", 60.0, "de", 40.0).group("domain", "code", 7.0)),
                Optional.of(summary(objectives("bt", objective(0.6, 0.01).group("language", "en", 5.0, "de", 3.0, "fr", 2.0)
                        .group("domain", "code", 1.0)))),
                DriftThresholds.none());
        Map<String, Object> bt = objectiveDrift(drift, "bt");
        @SuppressWarnings("unchecked")
        Map<String, Object> mix = (Map<String, Object>) bt.get("mix_tvd");
        assertThat(mix.keySet()).containsExactly("language", "domain");
        assertThat((Double) mix.get("language")).isCloseTo(0.2, within(1e-15));
        assertThat((Double) mix.get("domain")).isEqualTo(0.0);
        assertThat((Double) bt.get("loss_change")).isEqualTo(0.0);
        assertThat((Double) bt.get("z")).isEqualTo(0.0);
        assertThat((Double) bt.get("p_value")).isEqualTo(1.0);
    }

    @Test
    void thresholdsProduceExceededEntries() {
        Map<String, ObjectiveSummary> current = objectives("bt", objective(0.698, 0.03).group("language", "en", 60.0, "de", 40.0));
        Optional<RunSummary> previous = Optional.of(summary(objectives("bt",
                objective(0.600, 0.04).group("language", "en", 5.0, "de", 3.0, "fr", 2.0))));

        Map<String, Object> drift = compare(current, previous, new DriftThresholds(OptionalDouble.of(0.05), OptionalDouble.of(0.1)));
        assertThat(drift.get("exceeded")).isEqualTo(List.of(
                "objective 'bt': loss changed by +0.0980000 (0.600000 -> 0.698000), more than the max loss change 0.05",
                "objective 'bt': mix of group column 'language' moved by 0.200000 (total variation distance), more than the max mix change 0.1"));
        assertThat(exceeded(drift)).isTrue();

        Map<String, Object> within = compare(current, previous, new DriftThresholds(OptionalDouble.of(0.1), OptionalDouble.of(0.25)));
        assertThat(within.get("exceeded")).isEqualTo(List.of());
        assertThat(exceeded(within)).isFalse();
    }

    @Test
    void objectivesAndGroupColumnsInOnlyOneRunAreReportedNotErrors() {
        Map<String, Object> drift = compare(
                objectives("bt", objective(0.6, 0.01).group("language", "en", 1.0).group("domain", "code", 1.0),
                        "fresh", objective(0.3, 0.01)),
                Optional.of(summary(objectives("bt", objective(0.6, 0.01).group("language", "en", 1.0).group("annotator", "a1", 1.0),
                        "retired", objective(0.2, 0.01)))),
                new DriftThresholds(OptionalDouble.of(0.0), OptionalDouble.of(0.0)));
        assertThat(objectiveDrift(drift, "fresh")).isEqualTo(Map.of("status", "new"));
        assertThat(drift.get("missing")).isEqualTo(List.of("retired"));
        Map<String, Object> bt = objectiveDrift(drift, "bt");
        assertThat(bt.get("mix_tvd")).isEqualTo(Map.of("language", 0.0));
        assertThat(bt.get("new_group_columns")).isEqualTo(List.of("domain"));
        assertThat(bt.get("missing_group_columns")).isEqualTo(List.of("annotator"));
        assertThat(exceeded(drift)).isFalse();
    }

    @Test
    void aRedefinedObjectiveIsNotCompared() {
        Map<String, Object> drift = compare(
                objectives("lm", objective(2.1, 0.01).set("type", "sequence-likelihood").set("description", "joint NLL")),
                Optional.of(summary(objectives("lm", objective(1.7, 0.01).set("type", "sequence-likelihood")
                        .set("description", "conditional NLL")))),
                new DriftThresholds(OptionalDouble.of(0.01), OptionalDouble.empty()));
        assertThat(objectiveDrift(drift, "lm")).containsExactly(Map.entry("status", "redefined"),
                Map.entry("description", "joint NLL"), Map.entry("previous_description", "conditional NLL"));
        assertThat(exceeded(drift)).isFalse();
    }

    @Test
    void thresholdsMustBeFiniteAndNonNegative() {
        assertThatThrownBy(() -> new DriftThresholds(OptionalDouble.of(-0.1), OptionalDouble.empty()))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("Invalid max loss change: -0.1 (must be a finite number >= 0)");
        assertThatThrownBy(() -> new DriftThresholds(OptionalDouble.empty(), OptionalDouble.of(Double.NaN)))
                .isInstanceOf(AlignLossException.class)
                .hasMessage("Invalid max mix change: NaN (must be a finite number >= 0)");
    }

    @Test
    void readsThePreviousSummaryFromItsRunFolderOrTheFile() throws Exception {
        Map<String, ObjectiveSummary> objectives = objectives("bt", objective(0.6, 0.02).group("language", "en", 3.0, "de", 1.0));
        Path run = Files.createDirectories(temp.resolve("run"));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("started", "2026-11-23T02:00:00Z");
        summary.put("objectives", objectives);
        Files.writeString(run.resolve("summary.json"), SummaryJson.render(summary));
        Configuration conf = new Configuration();

        Optional<RunSummary> fromFolder = Drift.readPrevious(run.toString(), conf);
        Optional<RunSummary> fromFile = Drift.readPrevious(run.resolve("summary.json").toUri().toString(), conf);
        assertThat(fromFolder).isPresent();
        assertThat(fromFile).isEqualTo(fromFolder);
        assertThat(fromFolder.get().objectives().get("bt").loss()).isEqualTo(0.6);

        Map<String, Object> drift = compare(objectives, fromFolder, DriftThresholds.none());
        Map<String, Object> bt = objectiveDrift(drift, "bt");
        assertThat(bt.get("loss_change")).isEqualTo(0.0);
        assertThat(bt.get("mix_tvd")).isEqualTo(Map.of("language", 0.0));
    }

    @Test
    void aMissingPreviousIsAFirstRun() {
        assertThat(Drift.readPrevious(temp.resolve("never-ran").toString(), new Configuration())).isEmpty();
        assertThat(Drift.readPrevious(temp.resolve("never-ran/summary.json").toString(), new Configuration())).isEmpty();
    }

    @Test
    void aCorruptOrForeignPreviousFailsNamingThePath() throws Exception {
        Path corrupt = Files.writeString(temp.resolve("corrupt.json"), "{ \"objectives\": { \"bt\": ");
        Path array = Files.writeString(temp.resolve("array.json"), "[1, 2]");
        Path empty = Files.writeString(temp.resolve("empty.json"), "");
        Path folder = Files.createDirectories(temp.resolve("not-a-run"));
        Configuration conf = new Configuration();

        assertThatThrownBy(() -> Drift.readPrevious(corrupt.toString(), conf))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SCHEMA))
                .hasMessageStartingWith("Cannot read the previous summary file:" + corrupt + ": invalid JSON (");
        assertThatThrownBy(() -> Drift.readPrevious(array.toString(), conf))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SCHEMA))
                .hasMessage("Cannot read the previous summary file:" + array + ": not a JSON object");
        assertThatThrownBy(() -> Drift.readPrevious(empty.toString(), conf))
                .isInstanceOf(AlignLossException.class)
                .hasMessage("Cannot read the previous summary file:" + empty + ": not a JSON object");
        assertThatThrownBy(() -> Drift.readPrevious(folder.toString(), conf))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SCHEMA))
                .hasMessage("Cannot read the previous summary: folder file:" + folder + " has no summary.json (not an alignloss run output)");
    }
}
