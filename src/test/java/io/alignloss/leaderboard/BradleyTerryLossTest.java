package io.alignloss.leaderboard;

import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.testing.Configs;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The leaderboard's loss is evaluate's Bradley-Terry loss on the same margins, labels and weights. */
class BradleyTerryLossTest extends LocalSparkTest {
    private static final double[] MARGINS = {0, 1e-300, -1e-300, 0.3, -0.3, 2.5, -2.5, 40, -40, 800, -800, 1e6, -1e6};
    private static final double[] LABELS = {0, 0.5, 1};

    /** One battle outcome per (margin, label): models 2k and 2k + 1 with θ_2k − θ_2k+1 = margin, counts 1, 2, 3 in turn. */
    private record Battles(Comparisons data, double[] theta, List<Row> rows) {
        static Battles of() {
            int size = MARGINS.length * LABELS.length;
            List<String> models = new ArrayList<>();
            int[] a = new int[size];
            int[] b = new int[size];
            double[] y = new double[size];
            double[] count = new double[size];
            double[] theta = new double[2 * size];
            List<Row> rows = new ArrayList<>();
            double total = 0;
            int k = 0;
            for (double margin : MARGINS) {
                for (double label : LABELS) {
                    models.add("model " + 2 * k);
                    models.add("model " + (2 * k + 1));
                    a[k] = 2 * k;
                    b[k] = 2 * k + 1;
                    theta[2 * k] = margin;
                    y[k] = label;
                    count[k] = 1 + k % 3;
                    total += count[k];
                    rows.add(RowFactory.create(margin, 0.0, label, count[k]));
                    k++;
                }
            }
            return new Battles(new Comparisons(models, a, b, y, count, total), theta, rows);
        }
    }

    @Test
    void leaderboardLossEqualsTheColumnFormOnTheSameMargins() {
        Battles battles = Battles.of();
        StructType schema = new StructType().add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
        Column loss = new BradleyTerryObjective(Configs.objective("preference", "{ name = bt, type = bradley-terry, input = in }"))
                .perExample().get("loss");
        Row sums = spark.createDataFrame(battles.rows(), schema).agg(sum(col("weight").multiply(loss)), sum("weight")).first();
        double columnMean = sums.getDouble(0) / sums.getDouble(1);
        double leaderboard = new BradleyTerryLoss(battles.data(), 0).value(battles.theta());
        assertThat(leaderboard).isCloseTo(columnMean, within(1e-12 * columnMean));

        // battle by battle: one outcome between two models at θ = (margin, 0)
        List<Row> perBattle = spark.createDataFrame(battles.rows(), schema).select(loss).collectAsList();
        for (int k = 0; k < battles.rows().size(); k++) {
            Row row = battles.rows().get(k);
            Comparisons one = new Comparisons(List.of("a", "b"), new int[] {0}, new int[] {1}, new double[] {row.getDouble(2)},
                    new double[] {row.getDouble(3)}, row.getDouble(3));
            double value = new BradleyTerryLoss(one, 0).value(new double[] {row.getDouble(0), 0});
            double column = perBattle.get(k).getDouble(0);
            assertThat(value).as("margin %s, label %s", row.getDouble(0), row.getDouble(2))
                    .isCloseTo(column, within(1e-12 * Math.abs(column) + Double.MIN_NORMAL));
        }
    }

    @Test
    void extremeStrengthsGiveFiniteValueGradientAndHessian() {
        Battles battles = Battles.of();
        BradleyTerryLoss loss = new BradleyTerryLoss(battles.data(), 0.01);
        assertThat(Double.isFinite(loss.value(battles.theta()))).isTrue();
        assertThat(Arrays.stream(loss.gradient(battles.theta())).allMatch(Double::isFinite)).isTrue();
        for (double[] row : loss.hessian(battles.theta())) {
            assertThat(Arrays.stream(row).allMatch(Double::isFinite)).isTrue();
        }
    }
}
