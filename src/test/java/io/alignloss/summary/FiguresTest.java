package io.alignloss.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Figures#read} and {@link OpenFigures}: typed keys by snake-case name, the open part in file order. */
class FiguresTest {
    private static Map<String, JsonNode> object(String json) throws Exception {
        ObjectNode tree = (ObjectNode) SummaryJson.mapper().readTree(json);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        tree.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        return fields;
    }

    @Test
    void takesEachComponentBySnakeCaseNameAndKeepsTheRestInFileOrder() throws Exception {
        GroupSummary group = Figures.read(GroupSummary.class, object(
                "{\"zeta\": 1, \"loss\": 0.5, \"accuracy\": 0.9, \"weight_sum\": 2.5, \"joint\": null, \"count\": 3,"
                        + " \"stderr\": null, \"ci\": [0.1, 0.9]}"));

        assertThat(group).isEqualTo(new GroupSummary(0.5, 3L, 2.5, null, null, List.of(0.1, 0.9), group.figures()));
        assertThat(group.figures().keySet()).containsExactly("zeta", "accuracy", "joint");
        assertThat(group.figure("accuracy").asDouble()).isEqualTo(0.9);
        assertThat(group.figure("joint").isNull()).isTrue();
        assertThat(group.figure("absent").isMissingNode()).isTrue();
    }

    @Test
    void writesTheInheritedAnyGetterWhereThePropertyOrderNamesFigures() throws Exception {
        GroupSummary group = Figures.read(GroupSummary.class, object(
                "{\"loss\": 0.5, \"accuracy\": 0.9, \"count\": 3, \"joint\": 0.25}"));

        JsonNode written = SummaryJson.mapper().valueToTree(group);

        assertThat(written.fieldNames()).toIterable()
                .containsExactly("loss", "count", "weight_sum", "stderr", "accuracy", "joint", "share", "ci");
        assertThat(written.get("joint").asDouble()).isEqualTo(0.25);
        assertThat(written.has("figures")).isFalse();
    }

    @Test
    void nullReadsAsAllAbsent() {
        TrainSummary train = Figures.read(TrainSummary.class, null);

        assertThat(train).isEqualTo(new TrainSummary(null, null, Map.of()));
    }

    record Closed(Double loss, Long count) {
    }

    @Test
    void refusesARecordWithoutAnOpenLastComponent() {
        assertThatThrownBy(() -> Figures.read(Closed.class, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Closed");
    }
}
