package io.alignloss.objective.bradleyterry;

import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BradleyTerryObjectiveTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType()
            .add("chosen_score", DataTypes.DoubleType)
            .add("rejected_score", DataTypes.DoubleType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType);

    private final BradleyTerryObjective objective = new BradleyTerryObjective(
            Configs.objective("preference", "{ name = bt, type = bradley-terry, input = in }"));

    private List<Row> evaluate(Row... rows) {
        return spark.createDataFrame(List.of(rows), SCHEMA)
                .select(objective.perExample().get("margin"), objective.perExample().get("loss"),
                        objective.perExample().get("correct"))
                .collectAsList();
    }

    @Test
    void lossEqualsHandComputedValues() {
        // (chosen, rejected, label) -> -(label·log σ(m) + (1-label)·log σ(-m)), computed by hand
        List<Row> rows = evaluate(
                RowFactory.create(0.0, 0.0, 1.0, 1.0),      // log 2
                RowFactory.create(1.5, 0.5, 1.0, 1.0),      // log(1 + e^-1)
                RowFactory.create(0.5, 1.5, 1.0, 1.0),      // log(1 + e)
                RowFactory.create(3.0, 1.0, 0.5, 1.0),      // (softplus(-2) + softplus(2)) / 2
                RowFactory.create(1.0, 0.0, 0.7, 1.0),      // 0.7·log(1+e^-1) + 0.3·log(1+e)
                RowFactory.create(0.0, 1.0, 0.0, 1.0));     // label 0, m = -1: log(1 + e^-1)
        assertThat(rows.get(0).getDouble(1)).isCloseTo(0.6931471805599453, within(1e-15));
        assertThat(rows.get(1).getDouble(1)).isCloseTo(0.31326168751822286, within(1e-15));
        assertThat(rows.get(2).getDouble(1)).isCloseTo(1.3132616875182228, within(1e-15));
        assertThat(rows.get(3).getDouble(1)).isCloseTo(1.1269280110429726, within(1e-15));
        assertThat(rows.get(4).getDouble(1)).isCloseTo(0.6132616875182228, within(1e-15));
        assertThat(rows.get(5).getDouble(1)).isCloseTo(0.31326168751822286, within(1e-15));
    }

    @Test
    void extremeMarginsGiveFiniteCorrectLosses() {
        List<Row> rows = evaluate(
                RowFactory.create(50.0, 0.0, 1.0, 1.0),
                RowFactory.create(0.0, 50.0, 1.0, 1.0),
                RowFactory.create(1000.0, 0.0, 1.0, 1.0),
                RowFactory.create(0.0, 1000.0, 1.0, 1.0),
                RowFactory.create(1000.0, 0.0, 0.0, 1.0),
                RowFactory.create(-1000.0, 0.0, 0.5, 1.0));
        // log(1 + e^-50) = e^-50 to double precision
        assertThat(rows.get(0).getDouble(1)).isCloseTo(1.9287498479639178e-22, within(1e-36));
        assertThat(rows.get(1).getDouble(1)).isCloseTo(50.0, within(1e-12));
        assertThat(rows.get(2).getDouble(1)).isEqualTo(0.0);
        assertThat(rows.get(3).getDouble(1)).isEqualTo(1000.0);
        assertThat(rows.get(4).getDouble(1)).isEqualTo(1000.0);
        assertThat(rows.get(5).getDouble(1)).isEqualTo(500.0);
        rows.forEach(row -> assertThat(Double.isFinite(row.getDouble(1))).isTrue());
    }

    @Test
    void correctFollowsTheMajorityLabelAndLeavesTiesOut() {
        List<Row> rows = evaluate(
                RowFactory.create(2.0, 1.0, 1.0, 1.0),
                RowFactory.create(1.0, 2.0, 1.0, 1.0),
                RowFactory.create(1.0, 2.0, 0.2, 1.0),
                RowFactory.create(1.0, 2.0, 0.5, 1.0),
                RowFactory.create(1.0, 1.0, 1.0, 1.0));
        assertThat(rows.get(0).getBoolean(2)).isTrue();
        assertThat(rows.get(1).getBoolean(2)).isFalse();
        assertThat(rows.get(2).getBoolean(2)).isTrue();
        assertThat(rows.get(3).isNullAt(2)).isTrue();
        assertThat(rows.get(4).getBoolean(2)).isFalse();
    }
}
