package io.alignloss.diagnostics;

import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

/** The scan's Java bucket equals the Spark SQL bucket expression, and buckets are evenly filled. */
class ResamplingTest extends LocalSparkTest {
    @Test
    void javaBucketEqualsSqlBucket() {
        Random random = new Random(3);
        String[] pieces = {"a", "é", "Ω", "日本", "🙂", " ", "\n", "answer ", "0123456789"};
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create((String) null));
        rows.add(RowFactory.create(""));
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(120);
            for (int k = 0; k < length; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            rows.add(RowFactory.create(text.toString()));
        }
        Dataset<Row> texts = spark.createDataFrame(rows, new StructType().add("text", DataTypes.StringType));
        for (long seed : new long[]{0, 42, -7}) {
            List<Row> sql = texts.select(col("text"), Resampling.bucket(xxhash64(lit(seed), col("text")))).collectAsList();
            int[] counts = new int[Resampling.BUCKETS];
            for (Row row : sql) {
                String text = row.isNullAt(0) ? null : row.getString(0);
                int bucket = Resampling.bucketOf(text == null ? null : UTF8String.fromString(text), seed);
                assertThat(bucket).as("seed %d, text %s", seed, text).isEqualTo(row.getInt(1));
                counts[bucket]++;
            }
            // 3,002 keys in 100 buckets: every bucket is used, none holds more than twice its share
            assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isPositive();
            assertThat(java.util.Arrays.stream(counts).max().getAsInt()).isLessThanOrEqualTo(60);
        }
    }
}
