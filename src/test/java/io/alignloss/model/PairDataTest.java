package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PairData#blocks} read from Spark's internal rows: every pair's Δf, sum, label, weight, offset and hash. */
class PairDataTest extends LocalSparkTest {
    private static final int DIMENSION = 5;
    private static final int PAIRS = 40;

    /** Rows of a preference input with embeddings of element type {@code element}, a margin column and the row hash. */
    private Dataset<Row> embeddingRows(DataType element, Random random) {
        StructType schema = new StructType()
                .add(InputContract.PROMPT, DataTypes.StringType)
                .add(InputContract.CHOSEN, DataTypes.StringType)
                .add(InputContract.REJECTED, DataTypes.StringType)
                .add(InputContract.LABEL, DataTypes.DoubleType)
                .add(InputContract.WEIGHT, DataTypes.DoubleType)
                .add("margin", DataTypes.DoubleType)
                .add(PairData.HASH, DataTypes.LongType)
                .add(FeatureSpec.CHOSEN_EMBEDDING, DataTypes.createArrayType(element, true))
                .add(FeatureSpec.REJECTED_EMBEDDING, DataTypes.createArrayType(element, true));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            rows.add(RowFactory.create("p" + i, "c" + i, "r" + i, random.nextDouble(), 0.5 + random.nextInt(3), random.nextGaussian(),
                    1000L + i, embedding(element, random), embedding(element, random)));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static List<Object> embedding(DataType element, Random random) {
        List<Object> values = new ArrayList<>();
        for (int j = 0; j < DIMENSION; j++) {
            double value = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            values.add(element == DataTypes.FloatType ? (Object) (float) value : (Object) value);
        }
        return values;
    }

    /** Pair blocks by row hash: (block, row in block). */
    private static Map<Long, Object[]> byHash(List<PairBlock> blocks) {
        Map<Long, Object[]> rows = new HashMap<>();
        for (PairBlock block : blocks) {
            for (int i = 0; i < block.size(); i++) {
                rows.put(block.hash(i), new Object[] {block, i});
            }
        }
        return rows;
    }

    private static double component(FeatureRows rows, int row, int j) {
        double[] unit = new double[DIMENSION];
        unit[j] = 1;
        return rows.dot(row, unit);
    }

    @ParameterizedTest(name = "element type {0}")
    @ValueSource(strings = {"double", "float"})
    void embeddingBlocksHoldEachPairsFloatDifferenceAndSum(String type) {
        DataType element = type.equals("double") ? DataTypes.DoubleType : DataTypes.FloatType;
        Dataset<Row> input = embeddingRows(element, new Random(7));
        Featurizer featurizer = Featurizer.create(FeatureSpec.of(FeatureType.EMBEDDING), DIMENSION);
        List<PairBlock> blocks = PairData.blocks(input, featurizer, Optional.of("margin"), true).collect();
        Map<Long, Object[]> built = byHash(blocks);
        assertThat(built).hasSize(PAIRS);
        for (Row row : input.collectAsList()) {
            Object[] found = built.get(row.getLong(6));
            PairBlock block = (PairBlock) found[0];
            int i = (Integer) found[1];
            assertThat(block.label(i)).isEqualTo(row.getDouble(3));
            assertThat(block.weight(i)).isEqualTo(row.getDouble(4));
            assertThat(block.offset(i)).isEqualTo(row.getDouble(5));
            List<Object> chosen = row.getList(7);
            List<Object> rejected = row.getList(8);
            for (int j = 0; j < DIMENSION; j++) {
                // each embedding is rounded to float, then Δf and the sum are taken and rounded to float
                float c = ((Number) chosen.get(j)).floatValue();
                float r = ((Number) rejected.get(j)).floatValue();
                assertThat(component(block.delta(), i, j)).as("Δf_%d", j).isEqualTo((double) (float) ((double) c - r));
                assertThat(component(block.sum(), i, j)).as("sum_%d", j).isEqualTo((double) (float) ((double) c + r));
            }
        }
    }

    @Test
    void textHashBlocksReadTheTextsOfEachRow() {
        Featurizer featurizer = Featurizer.create(new FeatureSpec(FeatureType.TEXT_HASH, 10, 2, 4, FeatureSpec.PROMPT_RESPONSE), 0);
        StructType schema = new StructType()
                .add(InputContract.PROMPT, DataTypes.StringType)
                .add(InputContract.CHOSEN, DataTypes.StringType)
                .add(InputContract.REJECTED, DataTypes.StringType)
                .add(InputContract.LABEL, DataTypes.DoubleType)
                .add(InputContract.WEIGHT, DataTypes.DoubleType)
                .add(PairData.HASH, DataTypes.LongType);
        String[][] texts = {{"What is 2 + 2?", "It is 4.", "It is 5."}, {"Grüße — ¿qué tal? 你好", "Très bien, 谢谢!", "Mal."},
                {"", "an empty prompt", "still a pair"}};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            rows.add(RowFactory.create(texts[i][0], texts[i][1], texts[i][2], 1.0, 1.0, (long) i));
        }
        List<PairBlock> blocks = PairData.blocks(spark.createDataFrame(rows, schema), featurizer, Optional.empty(), false).collect();
        Map<Long, Object[]> built = byHash(blocks);
        double[] weights = new Random(3).doubles(featurizer.dimension(), -1, 1).toArray();
        for (int i = 0; i < texts.length; i++) {
            Object[] found = built.get((long) i);
            FeatureVector chosen = featurizer.features(texts[i][0], texts[i][1], null);
            FeatureVector rejected = featurizer.features(texts[i][0], texts[i][2], null);
            // φ·Δf of the block's row against φ·f_w − φ·f_l of the texts featurized here
            assertThat(((PairBlock) found[0]).delta().dot((Integer) found[1], weights))
                    .isCloseTo(chosen.dot(weights) - rejected.dot(weights), org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    @Test
    void aNullEmbeddingElementIsRefusedNotReadAsZero() {
        StructType schema = new StructType()
                .add(InputContract.LABEL, DataTypes.DoubleType)
                .add(InputContract.WEIGHT, DataTypes.DoubleType)
                .add(PairData.HASH, DataTypes.LongType)
                .add(FeatureSpec.CHOSEN_EMBEDDING, DataTypes.createArrayType(DataTypes.DoubleType, true))
                .add(FeatureSpec.REJECTED_EMBEDDING, DataTypes.createArrayType(DataTypes.DoubleType, true));
        List<Object> withNull = new ArrayList<>(List.of(1.0, 2.0));
        withNull.add(null);
        Dataset<Row> input = spark.createDataFrame(List.of(RowFactory.create(1.0, 1.0, 1L, List.of(1.0, 2.0, 3.0), withNull)), schema);
        Featurizer featurizer = Featurizer.create(FeatureSpec.of(FeatureType.EMBEDDING), 3);
        assertThatThrownBy(() -> PairData.blocks(input, featurizer, Optional.empty(), false).collect())
                .hasStackTraceContaining("element 2 of an accepted embedding is null");
    }
}
