package io.alignloss.lm;

import io.alignloss.data.InputContract;
import io.alignloss.text.Tokens;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/** Tokenised training rows for the language model, built once and cached as {@link SequenceBlock}s. */
public final class LmData {
    private LmData() {
    }

    /** Blocks of the rows' prompt and response tokens, weights and {@code hash} (a stable row hash column). */
    public static JavaRDD<SequenceBlock> blocks(Dataset<Row> rows, Column hash) {
        return rows.select(col(InputContract.PROMPT), col(InputContract.RESPONSE), col(InputContract.WEIGHT).cast("double"), hash).javaRDD()
                .mapPartitions((Iterator<Row> partition) -> SequenceBlock.pack(map(partition, row -> new SequenceBlock.Row(
                        Tokens.encode(row.getString(0)), Tokens.encode(row.getString(1)), row.getDouble(2), row.getLong(3)))));
    }

    /** The rows of an iterator converted one by one, lazily. */
    private static <T> Iterator<T> map(Iterator<Row> rows, java.util.function.Function<Row, T> convert) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public T next() {
                return convert.apply(rows.next());
            }
        };
    }

    /**
     * Blocks of self-target rows (hash, weight, c′, z, target ids, …): the prompt is (c′, z) and the response the
     * target ŷ, held fixed.
     */
    public static JavaRDD<SequenceBlock> targetBlocks(Dataset<Row> targets) {
        return targets.javaRDD().mapPartitions((Iterator<Row> partition) -> SequenceBlock.pack(map(partition, row -> {
            List<Integer> ids = row.getList(4);
            return new SequenceBlock.Row(Tokens.encode(SelfTargets.prompt(row.getString(2), row.getString(3))),
                    ids.stream().mapToInt(Integer::intValue).toArray(), row.getDouble(1), row.getLong(0));
        })));
    }

    /** How often each id occurs in the blocks' sequences x ++ y ++ END. */
    public static Map<Integer, Long> counts(JavaRDD<SequenceBlock> blocks) {
        return blocks.mapPartitions((Iterator<SequenceBlock> partition) -> {
            Map<Integer, Long> counts = new HashMap<>();
            while (partition.hasNext()) {
                for (int token : partition.next().tokens) {
                    counts.merge(token, 1L, Long::sum);
                }
            }
            return List.of(counts).iterator();
        }).fold(new HashMap<>(), (a, b) -> {
            Map<Integer, Long> merged = new HashMap<>(a);
            b.forEach((token, count) -> merged.merge(token, count, Long::sum));
            return merged;
        });
    }
}
