package io.alignloss.data;

import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-file footer check: what it lets through (partition columns, types Spark reads across). */
class ParquetFootersTest extends LocalSparkTest {
    @TempDir
    Path temp;

    @Test
    void aPartitionColumnIsInSparksSchemaButNotInTheFilesAndPasses() throws Exception {
        Path input = temp.resolve("by-language");
        spark.read().parquet("data-samples/preferences.parquet").write().partitionBy("language").parquet(input.toString());
        Path config = temp.resolve("job.conf");
        Files.writeString(config, """
                inputs.prefs { path = "%s", kind = preference }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                groups = [ language ]
                """.formatted(input));
        StringWriter err = new StringWriter();
        Path out = temp.resolve("out");
        int status = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "evaluate", "--config", config.toString(), "--out", out.toString());
        assertThat(status).as(err.toString()).isEqualTo(0);
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"language\"");
    }

    @Test
    void typesSparkReadsAcrossAreReadableOthersAreNot() {
        assertThat(ParquetFooters.readable(DataTypes.StringType, DataTypes.DoubleType)).isFalse();
        assertThat(ParquetFooters.readable(DataTypes.DoubleType, DataTypes.StringType)).isFalse();
        assertThat(ParquetFooters.readable(DataTypes.IntegerType, DataTypes.DoubleType)).isTrue();
        assertThat(ParquetFooters.readable(DataTypes.BinaryType, DataTypes.StringType)).isTrue();
        assertThat(ParquetFooters.readable(DataTypes.createArrayType(DataTypes.FloatType), DataTypes.createArrayType(DataTypes.DoubleType))).isTrue();
        assertThat(ParquetFooters.readable(DataTypes.createArrayType(DataTypes.StringType), DataTypes.createArrayType(DataTypes.DoubleType))).isFalse();
        assertThat(ParquetFooters.readable(DataTypes.createArrayType(DataTypes.DoubleType), DataTypes.DoubleType)).isFalse();
    }
}
