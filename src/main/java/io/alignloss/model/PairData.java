package io.alignloss.model;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** Turns accepted preference rows into cached {@link PairBlock}s of a featurizer's Δf. */
public final class PairData {
    /** Pairs per block: large enough to amortise per-block work, small enough to stay in cache lines. */
    public static final int BLOCK_ROWS = 4096;
    static final String HASH = "_alignloss_hash";
    static final String OFFSET = "_alignloss_offset";

    private PairData() {
    }

    /**
     * The blocks of {@code rows} (accepted rows of a preference input, with {@link #HASH} added).
     *
     * @param marginColumn TRL's margin column, subtracted from r_w − r_l inside the loss, when configured
     */
    public static JavaRDD<PairBlock> blocks(Dataset<Row> rows, Featurizer featurizer, Optional<String> marginColumn, boolean centred) {
        List<Column> columns = new ArrayList<>(List.of(col(InputContract.PROMPT), col(InputContract.CHOSEN),
                col(InputContract.REJECTED), col(InputContract.LABEL), col(InputContract.WEIGHT),
                marginColumn.map(PreparedInput::column).orElse(lit(0.0)).cast("double").as(OFFSET), col(HASH)));
        boolean embedded = featurizer.spec().type() == FeatureType.EMBEDDING;
        if (embedded) {
            columns.add(col(FeatureSpec.CHOSEN_EMBEDDING));
            columns.add(col(FeatureSpec.REJECTED_EMBEDDING));
        }
        int dimension = featurizer.dimension();
        boolean dense = featurizer.spec().type() != FeatureType.TEXT_HASH;
        return rows.select(columns.toArray(Column[]::new)).javaRDD().mapPartitions(partition -> {
            List<PairBlock> blocks = new ArrayList<>();
            PairBlock.Builder builder = new PairBlock.Builder(dimension, dense, centred);
            while (partition.hasNext()) {
                Row row = partition.next();
                String prompt = row.getString(0);
                FeatureVector chosen = featurizer.features(prompt, row.getString(1), embedded ? doubles(row, 7) : null);
                FeatureVector rejected = featurizer.features(prompt, row.getString(2), embedded ? doubles(row, 8) : null);
                builder.add(chosen, rejected, row.getDouble(3), row.getDouble(4), row.getDouble(5), row.getLong(6));
                if (builder.size() == BLOCK_ROWS) {
                    blocks.add(builder.build());
                    builder = new PairBlock.Builder(dimension, dense, centred);
                }
            }
            if (builder.size() > 0) {
                blocks.add(builder.build());
            }
            Iterator<PairBlock> iterator = blocks.iterator();
            return iterator;
        });
    }

    /** Adds the stable row hash the mini-batches and the validation split use. */
    public static Dataset<Row> withHash(PreparedInput input, long seed) {
        return input.rows().withColumn(HASH, input.rowHash(seed));
    }

    static double[] doubles(Row row, int index) {
        List<Object> values = row.getList(index);
        double[] result = new double[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ((Number) values.get(i)).doubleValue();
        }
        return result;
    }
}
