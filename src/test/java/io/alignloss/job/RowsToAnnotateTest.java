package io.alignloss.job;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What embed and score read: preference rows by chosen and rejected, sequence rows by response, anything else refused. */
class RowsToAnnotateTest extends LocalSparkTest {
    @TempDir
    Path folder;

    private String write(String name, String... columns) {
        StructType schema = new StructType();
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            schema = schema.add(columns[i], DataTypes.StringType);
            values[i] = columns[i] + " text";
        }
        String path = folder.resolve(name).toString();
        spark.createDataFrame(List.of(RowFactory.create(values)), schema).write().parquet(path);
        return path;
    }

    @Test
    void chosenAndRejectedArePreferenceRows() {
        RowsToAnnotate rows = RowsToAnnotate.read(spark, write("pairs", "prompt", "chosen", "rejected", "response"), "score");
        assertThat(rows.preference()).isTrue();
        assertThat(rows.columns()).containsExactly("prompt", "chosen", "rejected", "response");
        assertThat(rows.rows().count()).isEqualTo(1);
    }

    @Test
    void responseAloneIsSequenceRows() {
        // chosen without rejected is not a pair: the response column makes them sequence rows
        assertThat(RowsToAnnotate.read(spark, write("sequences", "prompt", "chosen", "response"), "embed").preference()).isFalse();
    }

    @Test
    void neitherIsAnInputSchemaErrorNamingTheCommand() {
        String path = write("other", "prompt", "chosen");
        assertThatThrownBy(() -> RowsToAnnotate.read(spark, path, "embed"))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_SCHEMA))
                .hasMessage("Cannot embed " + path + ": it has neither chosen and rejected (preference rows) nor response (sequence rows); "
                        + "columns present: prompt, chosen");
    }

    @Test
    void aMissingInputIsAReadFailure() {
        String path = folder.resolve("missing").toString();
        assertThatThrownBy(() -> RowsToAnnotate.read(spark, path, "score")).isInstanceOf(AlignLossException.class).hasMessageContaining("missing");
    }
}
