package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** Turns accepted preference rows into cached {@link PairBlock}s of a featurizer's Δf. */
public final class PairData {
    /** Pairs per block: large enough to amortise per-block work, small enough to stay in cache lines. */
    public static final int BLOCK_ROWS = 4096;
    /** The column of the stable row hash ({@link #withHash}) that {@link #blocks} reads. */
    public static final String HASH = "_alignloss_hash";
    static final String OFFSET = "_alignloss_offset";
    /** The embeddings' type as {@code ColumnType.DOUBLE_ARRAY} casts them (a no-op cast for prepared inputs). */
    private static final ArrayType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, true);

    private PairData() {
    }

    /**
     * The blocks of {@code rows} (accepted rows of a preference input, with {@link #HASH} added).
     *
     * <p>Rows are read as Spark's internal rows: an embedding is copied out of its array in one bulk copy
     * ({@code ArrayData.toDoubleArray}) rather than deserialised into a {@code Row} of boxed doubles, and the
     * texts are selected and decoded only when the featurizer reads them (not for embedding features).
     *
     * @param marginColumn TRL's margin column, subtracted from r_w − r_l inside the loss, when configured
     */
    public static JavaRDD<PairBlock> blocks(Dataset<Row> rows, Featurizer featurizer, Optional<String> marginColumn, boolean centred) {
        boolean embedded = featurizer.spec().type() == FeatureType.EMBEDDING;
        // label 0, weight 1, offset 2, hash 3 (casts that are no-ops on a prepared input: an internal row is read by type), then the chosen and rejected embeddings (4, 5) or the prompt and texts (4, 5, 6)
        List<Column> columns = new ArrayList<>(List.of(col(InputContract.LABEL).cast("double"),
                col(InputContract.WEIGHT).cast("double"), marginColumn.map(PreparedInput::column).orElse(lit(0.0)).cast("double").as(OFFSET),
                col(HASH).cast("long")));
        if (embedded) {
            columns.add(col(FeatureSpec.CHOSEN_EMBEDDING).cast(DOUBLES));
            columns.add(col(FeatureSpec.REJECTED_EMBEDDING).cast(DOUBLES));
        }
        else {
            columns.addAll(List.of(col(InputContract.PROMPT), col(InputContract.CHOSEN), col(InputContract.REJECTED)));
        }
        int dimension = featurizer.dimension();
        boolean dense = featurizer.spec().type() != FeatureType.TEXT_HASH;
        return rows.select(columns.toArray(Column[]::new)).queryExecution().toRdd().toJavaRDD().mapPartitions(partition -> {
            List<PairBlock> blocks = new ArrayList<>();
            PairBlock.Builder builder = new PairBlock.Builder(dimension, dense, centred);
            while (partition.hasNext()) {
                InternalRow row = partition.next();
                FeatureVector chosen;
                FeatureVector rejected;
                if (embedded) {
                    chosen = featurizer.features(null, null, doubles(row, 4));
                    rejected = featurizer.features(null, null, doubles(row, 5));
                }
                else {
                    String prompt = text(row, 4);
                    chosen = featurizer.features(prompt, text(row, 5), null);
                    rejected = featurizer.features(prompt, text(row, 6), null);
                }
                builder.add(chosen, rejected, row.getDouble(0), row.getDouble(1), row.getDouble(2), row.getLong(3));
                if (builder.size() == BLOCK_ROWS) {
                    blocks.add(builder.build());
                    builder = new PairBlock.Builder(dimension, dense, centred);
                }
            }
            if (builder.size() > 0) {
                blocks.add(builder.build());
            }
            return blocks.iterator();
        });
    }

    /** Adds the stable row hash the mini-batches and the validation split use. */
    public static Dataset<Row> withHash(PreparedInput input, long seed) {
        return input.rows().withColumn(HASH, input.rowHash(seed));
    }

    /**
     * Column {@code index}'s array of doubles, copied in one go. Accepted rows hold finite values only
     * ({@code Rules.badEmbedding}); a null element would read as 0 in the bulk copy, so it is refused instead.
     */
    static double[] doubles(InternalRow row, int index) {
        ArrayData array = row.getArray(index);
        for (int i = 0; i < array.numElements(); i++) {
            if (array.isNullAt(i)) {
                throw new IllegalStateException("Cannot build pair blocks: element " + i + " of an accepted embedding is null");
            }
        }
        return array.toDoubleArray();
    }

    /** Column {@code index}'s array of doubles, element by element (for a {@code Row}). */
    static double[] doubles(Row row, int index) {
        List<Object> values = row.getList(index);
        double[] result = new double[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ((Number) values.get(i)).doubleValue();
        }
        return result;
    }

    private static String text(InternalRow row, int index) {
        return row.isNullAt(index) ? null : row.getUTF8String(index).toString();
    }
}
