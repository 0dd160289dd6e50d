package io.alignloss.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.summary.SummaryJson;
import io.alignloss.synth.SampleData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/** The benchmark's rows: synthetic sequences ({@link SampleData#sequences}) or Alpaca examples. */
final class LmRows {
    /** The rows: id, prompt, response, weight. */
    static Dataset<Row> rows(SparkSession spark, LmBenchmark.Settings settings) throws IOException {
        if (settings.data().isEmpty()) {
            int count = (int) (settings.rows() == 0 ? LmBenchmark.SYNTHETIC_ROWS : settings.rows());
            return spark.createDataFrame(SampleData.sequences(count, settings.seed()), SampleData.SEQUENCE_SCHEMA)
                    .select(col("id"), col("prompt"), col("response"), col("weight"));
        }
        List<String[]> examples = alpaca(settings.data().get());
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType).add("weight", DataTypes.DoubleType);
        long count = settings.rows() == 0 ? examples.size() : settings.rows();
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            String[] example = examples.get((int) (i % examples.size()));
            rows.add(RowFactory.create("a" + i, example[0], example[1], 1.0));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** Alpaca examples with an output: prompt = instruction (+ "\n\n" + input when there is one), response = output. */
    static List<String[]> alpaca(Path file) throws IOException {
        JsonNode rows = SummaryJson.mapper().readTree(Files.readString(file));
        List<String[]> examples = new ArrayList<>();
        for (JsonNode row : rows) {
            String input = row.path("input").asText("");
            String output = row.path("output").asText("");
            if (!output.isEmpty()) {
                examples.add(new String[] {row.path("instruction").asText("") + (input.isEmpty() ? "" : "\n\n" + input), output});
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(format("Cannot run bench lm: %s has no example with an output", file));
        }
        return examples;
    }


    private LmRows() {
    }
}
