package io.alignloss.train;

import io.alignloss.data.PreparedInput;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.output.OutputCommitter;
import io.alignloss.summary.SummaryJson;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The reject check before anything is trained: too many rejects (above --max-reject-fraction) or no accepted row
 * fails the run and keeps its rejects and a summary of the input's counts for inspection.
 * {@code inputs.<name>.allow-empty} does not apply: training needs rows.
 */
final class InputRejects {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);

    private final SparkSession spark;
    private final RunSettings settings;
    private final RunHooks hooks;
    private final OutputCommitter committer;

    InputRejects(SparkSession spark, RunSettings settings, RunHooks hooks, OutputCommitter committer) {
        this.spark = spark;
        this.settings = settings;
        this.hooks = hooks;
        this.committer = committer;
    }

    /**
     * Counts the input's rows and rejects in one pass, fails (exit 3, rejects and summary kept) above
     * --max-reject-fraction or with no accepted row, and returns the accepted rows (at least one).
     */
    long check(PreparedInput input, Object dimension) {
        Row counts = input.rows().agg(count(lit(1)), sum(when(not(input.accepted()), 1).otherwise(0))).first();
        long rows = counts.getLong(0);
        long rejected = counts.isNullAt(1) ? 0 : counts.getLong(1);
        LOG.info("input {}: {} rows, {} rejected; {}", input.name(), rows, rejected,
                dimension instanceof Integer ? "feature dimension " + dimension : dimension);
        if (rows > 0 && (double) rejected / rows > settings.maxRejectFraction()) {
            org.apache.hadoop.fs.Path kept = keepFailed(input, rows, rejected);
            throw new AlignLossException(ErrorCode.REJECT_FRACTION_EXCEEDED, format(
                    "Reject fraction exceeded (--max-reject-fraction %s): input '%s': %d of %d rows rejected. Nothing was trained or "
                            + "published at %s; the rejects and summary are kept for inspection in %s",
                    settings.maxRejectFraction(), input.name(), rejected, rows, committer.target(), kept));
        }
        if (rows == rejected) {
            org.apache.hadoop.fs.Path kept = keepFailed(input, rows, rejected);
            throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format(
                    "Cannot train: input '%s' has no rows to train on (%s). Nothing was trained or published at %s; the summary is "
                            + "kept for inspection in %s", input.name(), rows == 0 ? "0 rows read" : rows + " rows read, all rejected",
                    committer.target(), kept));
        }
        return rows - rejected;
    }

    /** Writes the rejects (if any) and a summary of the input's counts, keeps the run's folder as failed and returns it. */
    private org.apache.hadoop.fs.Path keepFailed(PreparedInput input, long rows, long rejected) {
        Map<String, Long> reasons = rejected == 0 ? Map.of()
                : hooks.rejects().write(spark, input, committer.stagingPath("rejects/" + input.name()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("schema_version", SummaryJson.SCHEMA_VERSION);
        summary.put("alignloss_version", hooks.version());
        summary.put("command", "train");
        summary.put("inputs", Map.of(input.name(), Map.of("path", settings.config().redaction().text(input.config().path()),
                "rows", rows, "rejected", rejected, "reject_fraction", rows == 0 ? 0.0 : (double) rejected / rows)));
        summary.put("rejects", Map.of("total", rejected, "by_input", Map.of(input.name(), rejected), "by_reason", reasons));
        committer.writeText("summary.json", SummaryJson.render(summary));
        return committer.keepFailed(settings.config().keepFailed());
    }
}
