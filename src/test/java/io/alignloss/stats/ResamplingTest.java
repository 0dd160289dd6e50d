package io.alignloss.stats;

import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/** The scan's Java bucket of a hash equals the Spark SQL bucket expression, negative hashes included. */
class ResamplingTest extends LocalSparkTest {
    @Test
    void javaBucketEqualsSqlBucket() {
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (long edge : new long[]{0, 1, -1, 99, 100, -100, -101, Long.MIN_VALUE, Long.MAX_VALUE}) {
            rows.add(RowFactory.create(edge));
        }
        for (int i = 0; i < 2000; i++) {
            rows.add(RowFactory.create(random.nextLong()));
        }
        List<Row> sql = spark.createDataFrame(rows, new StructType().add("h", DataTypes.LongType))
                .select(col("h"), Resampling.bucket(col("h"))).collectAsList();
        for (Row row : sql) {
            assertThat(Resampling.bucketOf(row.getLong(0))).as("hash %d", row.getLong(0)).isEqualTo(row.getInt(1));
        }
    }
}
