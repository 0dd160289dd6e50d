package io.alignloss.bench;

import io.alignloss.summary.RunSummary;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.String.format;

/**
 * {@code bench evaluate}'s DuckDB row: the {@link DuckDbAnchor} over the benchmark's Parquet files with as many threads
 * as Spark's local cores, timed like the other rows, and checked against the evaluate job's summaries.
 */
final class DuckDbRow implements AutoCloseable {
    /** The benchmark's input, objective and group column ({@link EvaluateBenchmark.Evaluations}). */
    static final String INPUT = "prefs";
    static final String OBJECTIVE = "bt";
    static final String GROUP = "language";
    /** The default cluster of a preference input without {@code prompt_id}: the bucket key. */
    static final String CLUSTER = "prompt";

    private final DuckDbAnchor anchor;
    private final List<Path> files;
    private AnchorFigures last;

    private DuckDbRow(DuckDbAnchor anchor, List<Path> files) {
        this.anchor = anchor;
        this.files = files;
    }

    /**
     * The row over the Parquet files of {@code data}, with DuckDB limited to Spark's default parallelism (the local
     * cores); empty, with one line on {@code out}, when no DuckDB driver is on the classpath.
     */
    static Optional<DuckDbRow> open(SparkSession spark, Path data, PrintWriter out) throws SQLException, IOException {
        if (!DuckDbAnchor.driverPresent()) {
            out.printf("DuckDB: no JDBC driver on the classpath (%s; jobs/alignloss adds it for bench): its row is skipped%n",
                    DuckDbAnchor.ARTIFACT);
            out.flush();
            return Optional.empty();
        }
        DuckDbAnchor anchor = DuckDbAnchor.open(spark.sparkContext().defaultParallelism());
        out.printf("DuckDB %s in-process, %d threads (Spark's local cores), over the same %d Parquet files%n", anchor.version(),
                anchor.threads(), DuckDbAnchor.parquetFiles(data).size());
        out.flush();
        return Optional.of(new DuckDbRow(anchor, DuckDbAnchor.parquetFiles(data)));
    }

    String name() {
        return format("DuckDB, %d threads (anchor)", anchor.threads());
    }

    /** Seconds of one DuckDB pass computing every figure (the SQL's result read to its end). */
    double time() throws SQLException {
        long start = System.nanoTime();
        last = anchor.figures(files, GROUP, CLUSTER);
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Fails loudly unless DuckDB's last figures agree with alignloss's: every figure of the row-level run
     * ({@code cluster = none}: its stderr is the row-level one), and the clustered run's figures but its stderr.
     */
    void check(RunSummary clustered, RunSummary rowLevel, PrintWriter out) throws SQLException {
        if (last == null) {
            time();
        }
        AnchorFigures.Agreement rowLevelAgreement = last.compare(rowLevel, INPUT, OBJECTIVE, GROUP, true);
        AnchorFigures.Agreement clusteredAgreement = last.compare(clustered, INPUT, OBJECTIVE, GROUP, false);
        List<String> differences = new ArrayList<>(rowLevelAgreement.differences());
        clusteredAgreement.differences().forEach(difference -> differences.add("(clustered run) " + difference));
        if (!differences.isEmpty()) {
            throw new IllegalStateException(format("DuckDB and alignloss disagree on %d figure(s) (tolerance %.0e relative):%n  %s",
                    differences.size(), AnchorFigures.TOLERANCE, String.join(format("%n  "), differences)));
        }
        out.printf("DuckDB agrees with alignloss within %.0e relative (largest gap %.1e): rows, rejects per rule, count, weight sum, "
                + "loss, stderr, accuracy and mean margin, in total and for %d values of %s (bucket figures not compared: no XXH64 "
                + "in DuckDB)%n", AnchorFigures.TOLERANCE, Math.max(rowLevelAgreement.largestGap(), clusteredAgreement.largestGap()),
                last.groups().size(), GROUP);
        out.flush();
    }

    @Override
    public void close() throws SQLException {
        anchor.close();
    }
}
