package io.alignloss.job;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.EncoderFeatures;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static java.lang.String.format;

/**
 * The {@code embed} job: computes all-MiniLM-L6-v2 embeddings once, in the executors, and writes the input
 * rows with {@code chosen_embedding}/{@code rejected_embedding} (preference rows) or {@code embedding}
 * (sequence rows) to Parquet, so training and nightly evaluation read them instead of re-encoding.
 * A row with a null or blank response gets a null embedding (the contracts reject it later, with its reason).
 */
public final class EmbedJob {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedJob.class);
    private static final int BATCH = 32;

    private EmbedJob() {
    }

    /** A response the encoder can read: not blank (the encoder finds no token in blank text), with its prompt when it needs one. */
    private static boolean embeddable(String response, String prompt, String encoderInput) {
        return response != null && !response.isBlank() && (prompt != null || encoderInput.equals(FeatureSpec.RESPONSE));
    }

    /** Embeds {@code input} into the Parquet dataset {@code out}, published atomically; returns the row count. */
    public static long run(SparkSession spark, String input, String out, Overwrite overwrite, String encoderInput) {
        RowsToAnnotate read = RowsToAnnotate.read(spark, input, "embed");
        List<String> columns = read.columns();
        Embedded embedded = Embedded.of(read.preference());
        if (!columns.contains(InputContract.PROMPT) && encoderInput.equals(FeatureSpec.PROMPT_RESPONSE)) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot embed %s with --text prompt-response: no prompt "
                    + "column; columns present: %s", input, String.join(", ", columns)));
        }
        Dataset<Row> base = read.rows().drop(embedded.targets().toArray(String[]::new));
        StructType schema = base.schema();
        StructType outSchema = schema;
        for (String target : embedded.targets()) {
            outSchema = outSchema.add(target, DataTypes.createArrayType(DataTypes.FloatType, false), true);
        }
        int prompt = columns.contains(InputContract.PROMPT) ? schema.fieldIndex(InputContract.PROMPT) : -1;
        int[] responseIndex = embedded.responses().stream().mapToInt(schema::fieldIndex).toArray();
        RowLayout layout = new RowLayout(schema.size(), prompt, responseIndex, new FeatureSpec(FeatureType.ENCODER, 0, 0, 0, encoderInput));
        MapPartitionsFunction<Row, Row> embed = partition -> new EmbeddedRows(partition, layout);
        OutputCommitter committer = OutputCommitter.begin(out, overwrite, "embed", spark.sparkContext().hadoopConfiguration());
        try {
            long start = System.nanoTime();
            LOG.info("embedding {} of {} with all-MiniLM-L6-v2 ({} input) into {}", String.join(" and ", embedded.responses()), input,
                    encoderInput, out);
            base.mapPartitions(embed, Encoders.row(outSchema)).write().mode(SaveMode.Append).parquet(committer.staging().toString());
            committer.commit();
            long count = spark.read().parquet(committer.target().toString()).count();
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("embedded {} rows ({} texts/s) into {}", count, format("%.0f", count * embedded.responses().size() / seconds),
                    committer.target());
            return count;
        }
        finally {
            committer.abort();
        }
    }

    /** The response columns embedded and the columns their embeddings go to, in the same order. */
    private record Embedded(List<String> responses, List<String> targets) {
        static Embedded of(boolean preference) {
            return preference
                    ? new Embedded(List.of(InputContract.CHOSEN, InputContract.REJECTED),
                            List.of(FeatureSpec.CHOSEN_EMBEDDING, FeatureSpec.REJECTED_EMBEDDING))
                    : new Embedded(List.of(InputContract.RESPONSE), List.of("embedding"));
        }
    }

    /**
     * Where an input row's values are: its {@code width} columns, the prompt's index (-1 without one) and the
     * responses' indices; the output row is the input row followed by one embedding per response.
     */
    private record RowLayout(int width, int prompt, int[] responseIndex, FeatureSpec spec) implements Serializable {
        String prompt(Row row) {
            return prompt >= 0 ? row.getString(prompt) : null;
        }
    }

    /** A partition's rows with their embeddings, encoded {@link #BATCH} rows at a time. */
    private static final class EmbeddedRows implements Iterator<Row> {
        private final Iterator<Row> partition;
        private final RowLayout layout;
        private final List<Row> buffer = new ArrayList<>();
        private int next;

        EmbeddedRows(Iterator<Row> partition, RowLayout layout) {
            this.partition = partition;
            this.layout = layout;
        }

        @Override
        public boolean hasNext() {
            if (next < buffer.size()) {
                return true;
            }
            buffer.clear();
            next = 0;
            List<Row> batch = new ArrayList<>();
            while (batch.size() < BATCH && partition.hasNext()) {
                batch.add(partition.next());
            }
            if (batch.isEmpty()) {
                return false;
            }
            embed(batch);
            return true;
        }

        @Override
        public Row next() {
            return buffer.get(next++);
        }

        /** Encodes the batch's embeddable responses in one call and appends its rows, with their embeddings, to the buffer. */
        private void embed(List<Row> batch) {
            String encoderInput = layout.spec().encoderInput();
            List<String> texts = new ArrayList<>();
            for (Row row : batch) {
                for (int index : layout.responseIndex()) {
                    String response = row.getString(index);
                    String context = layout.prompt(row);
                    if (embeddable(response, context, encoderInput)) {
                        texts.add(EncoderFeatures.text(layout.spec(), context, response));
                    }
                }
            }
            Iterator<float[]> vectors = texts.isEmpty() ? List.<float[]>of().iterator() : EncoderFeatures.embedAll(texts).iterator();
            int width = layout.width();
            int[] responseIndex = layout.responseIndex();
            for (Row row : batch) {
                Object[] values = new Object[width + responseIndex.length];
                for (int i = 0; i < width; i++) {
                    values[i] = row.get(i);
                }
                for (int k = 0; k < responseIndex.length; k++) {
                    String response = row.getString(responseIndex[k]);
                    String context = layout.prompt(row);
                    values[width + k] = embeddable(response, context, encoderInput) ? vectors.next() : null;
                }
                buffer.add(RowFactory.create(values));
            }
        }
    }
}
