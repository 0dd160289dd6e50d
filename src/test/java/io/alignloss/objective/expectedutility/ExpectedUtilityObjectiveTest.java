package io.alignloss.objective.expectedutility;

import io.alignloss.error.AlignLossException;
import io.alignloss.stats.LossStats;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExpectedUtilityObjectiveTest extends LocalSparkTest {
    private final ExpectedUtilityObjective objective = new ExpectedUtilityObjective(Configs.objective("sequence",
            "{ name = eu, type = expected-utility, input = in, utility { helpfulness = 0.8, harmfulness = -0.2 } }"));

    @Test
    void utilityIsTheConfiguredCombinationAndLossItsNegative() {
        StructType schema = new StructType().add("helpfulness", DataTypes.DoubleType).add("harmfulness", DataTypes.DoubleType)
                .add("weight", DataTypes.DoubleType);
        List<Row> rows = spark.createDataFrame(List.of(RowFactory.create(5.0, 2.0, 1.0), RowFactory.create(1.0, 9.0, 1.0)), schema)
                .select(objective.perExample().get("utility"), objective.perExample().get("loss")).collectAsList();
        assertThat(rows.get(0).getDouble(0)).isCloseTo(3.6, within(1e-12));      // 0.8·5 − 0.2·2
        assertThat(rows.get(0).getDouble(1)).isCloseTo(-3.6, within(1e-12));
        assertThat(rows.get(1).getDouble(0)).isCloseTo(-1.0, within(1e-12));     // 0.8·1 − 0.2·9
        assertThat(objective.formula()).isEqualTo("0.8*helpfulness - 0.2*harmfulness");
    }

    @Test
    void scoreColumnsWithDotsInTheirNamesAreReadAsColumns() {
        ExpectedUtilityObjective dotted = new ExpectedUtilityObjective(Configs.objective("sequence",
                "{ name = eu, type = expected-utility, input = in, utility { \"scores.helpful\" = 2 } }"));
        StructType schema = new StructType().add("scores.helpful", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        Row row = spark.createDataFrame(List.of(RowFactory.create(1.5, 1.0)), schema)
                .select(dotted.perExample().get("utility"), dotted.rules().get(0).failsWhen()).first();
        assertThat(row.getDouble(0)).isEqualTo(3.0);
        assertThat(row.getBoolean(1)).isFalse();
    }

    /**
     * Through the objective's own columns and sums, as the scan uses them: rows (helpfulness, harmfulness, weight) =
     * (5, 2, 1), (1, 9, 3), (7, 0, 0.5): U = 3.6, −1.0, 5.6 by hand, so mean_utility = (3.6 − 3 + 2.8) / 4.5 = 3.4/4.5
     * and loss = −3.4/4.5.
     */
    @Test
    void meanUtilityIsTheWeightedMeanOfTheConfiguredCombination() {
        StructType schema = new StructType().add("helpfulness", DataTypes.DoubleType).add("harmfulness", DataTypes.DoubleType)
                .add("weight", DataTypes.DoubleType);
        List<Row> rows = spark.createDataFrame(List.of(RowFactory.create(5.0, 2.0, 1.0), RowFactory.create(1.0, 9.0, 3.0),
                        RowFactory.create(7.0, 0.0, 0.5)), schema)
                .select(objective.lossNumerator(), org.apache.spark.sql.functions.col("weight")).collectAsList();
        LossStats stats = LossStats.empty();
        for (Row row : rows) {
            stats.add(row.getDouble(1), row.getDouble(0), 1);
        }
        assertThat((Double) objective.figures(stats).get("mean_utility")).isCloseTo(3.4 / 4.5, within(1e-12));
        assertThat(stats.loss().getAsDouble()).isCloseTo(-3.4 / 4.5, within(1e-12));
    }

    @Test
    void utilityMustBeANonEmptyMapOfNumbers() {
        assertThatThrownBy(() -> new ExpectedUtilityObjective(Configs.objective("sequence",
                "{ name = eu, type = expected-utility, input = in }")))
                .isInstanceOf(AlignLossException.class).hasMessageContaining("Missing key 'objectives.eu.utility'");
        assertThatThrownBy(() -> new ExpectedUtilityObjective(Configs.objective("sequence",
                "{ name = eu, type = expected-utility, input = in, utility { helpfulness = high } }")))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Invalid objectives.eu.utility.helpfulness").hasMessageContaining("expected a finite number");
    }
}
