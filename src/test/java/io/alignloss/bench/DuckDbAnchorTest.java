package io.alignloss.bench;

import com.typesafe.config.ConfigFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.summary.RunSummary;
import io.alignloss.testing.LocalSparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * DuckDB (an independent engine and SQL) computes the same figures as the evaluate job on the same Parquet, and the
 * bench's check fails when they differ.
 */
class DuckDbAnchorTest extends LocalSparkTest {
    private static final Path BAD_PREFERENCES = Path.of("data-samples/bad-preferences.parquet");

    @TempDir
    Path work;

    /** Weights, tie and soft labels, and every preference reject reason (one row fails two rules). */
    @Test
    void agreesWithEvaluateOnTheBadRowSample() throws Exception {
        JobConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString(String.format("""
                inputs.prefs { path = "%s", kind = preference, cluster = none }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                groups = [ language ]
                output.per-example = false
                """, BAD_PREFERENCES)), "test", List.of("preference-biases=false", "bootstrap=0"), Optional.empty());
        RunSummary summary = EvaluateBenchmark.evaluate(spark, config, work.resolve("out").toUri().toString(), 42);

        AnchorFigures figures;
        try (DuckDbAnchor anchor = DuckDbAnchor.open(2)) {
            figures = anchor.figures(DuckDbAnchor.parquetFiles(BAD_PREFERENCES), "language", "prompt");
        }

        AnchorFigures.Agreement agreement = figures.compare(summary, "prefs", "bt", "language", true);
        assertThat(agreement.differences()).isEmpty();
        assertThat(agreement.largestGap()).isLessThan(AnchorFigures.TOLERANCE);
        // what the file holds: 211 rows, 10 rejected, bad-011 with an empty text and an infinite score
        assertThat(figures.rows()).isEqualTo(211);
        assertThat(figures.rejected()).isEqualTo(10);
        assertThat(figures.byReason()).containsOnly(entry("missing_text", 3L), entry("bad_score", 4L), entry("bad_weight", 2L),
                entry("bad_label", 2L));
        assertThat(figures.groups()).containsOnlyKeys("de", "en", "es", "fr", "ja");
        assertThat(figures.total().stderr()).isPositive();
        assertThat(figures.total().weightSum()).isNotEqualTo((double) figures.total().count());

        // the comparison sees a figure off by more than the tolerance, and nothing within it
        AnchorFigures.LossFigures total = figures.total();
        double loss = total.loss();
        AnchorFigures within = withTotal(figures, new AnchorFigures.LossFigures(total.count(), total.weightSum(),
                loss * (1 + 1e-12), total.stderr(), total.accuracy(), total.meanMargin()));
        AnchorFigures off = withTotal(figures, new AnchorFigures.LossFigures(total.count(), total.weightSum(),
                loss * (1 + 1e-7), total.stderr(), total.accuracy(), total.meanMargin()));
        assertThat(within.compare(summary, "prefs", "bt", "language", true).agrees()).isTrue();
        AnchorFigures.Agreement offAgreement = off.compare(summary, "prefs", "bt", "language", true);
        assertThat(offAgreement.differences()).singleElement().asString().startsWith("bt loss:");
        assertThat(offAgreement.largestGap()).isGreaterThan(9e-8);
    }

    /** The bench's own data and configs: the check passes on the same files and fails loudly on another file. */
    @Test
    void benchCheckPassesOnTheSameFilesAndFailsOnAnotherFile() throws Exception {
        Path data = work.resolve("preferences");
        EvaluateBenchmark.generate(spark, 3_000, 2, 7, data.toUri().toString());
        EvaluateBenchmark.Evaluations evaluations = EvaluateBenchmark.Evaluations.on(data.toUri().toString());
        RunSummary clustered = EvaluateBenchmark.evaluate(spark, evaluations.bootstrap(), work.resolve("out-c").toUri().toString(), 42);
        RunSummary rowLevel = EvaluateBenchmark.evaluate(spark, evaluations.noBootstrap(), work.resolve("out-r").toUri().toString(), 42);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);

        try (DuckDbRow same = DuckDbRow.open(spark, data, out).orElseThrow();
             DuckDbRow different = DuckDbRow.open(spark, BAD_PREFERENCES, out).orElseThrow()) {
            assertThat(same.time()).isPositive();
            same.check(clustered, rowLevel, out);
            assertThat(text.toString()).contains("2 threads").contains("DuckDB agrees with alignloss").contains("for 5 values of language");
            assertThatThrownBy(() -> different.check(clustered, rowLevel, out)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("DuckDB and alignloss disagree").hasMessageContaining("bt loss:");
        }
    }

    /** The report prints DuckDB's row and both ratios with issue 16's goals, and says when DuckDB was skipped. */
    @Test
    void reportPrintsTheDuckDbRatioBesideTheSqlOne() {
        List<EvaluateBenchmark.Timing> timings = List.of(new EvaluateBenchmark.Timing("baseline SQL aggregate", new double[]{2, 2, 2}),
                new EvaluateBenchmark.Timing("evaluate (summary only)", new double[]{3, 3, 3}),
                new EvaluateBenchmark.Timing("baseline grouped (context)", new double[]{2, 2, 2}),
                new EvaluateBenchmark.Timing("evaluate, bootstrap 0", new double[]{3, 3, 3}),
                new EvaluateBenchmark.Timing("evaluate + bias scans", new double[]{4, 4, 4}));
        EvaluateBenchmark.BootstrapCost cost = new EvaluateBenchmark.BootstrapCost(new double[]{1.05, 1.05}, new double[]{1.05, 1.05});
        StringWriter with = new StringWriter();
        EvaluateBenchmark.report(new EvaluateBenchmark.Results(timings, cost,
                Optional.of(new EvaluateBenchmark.Timing("DuckDB, 2 threads (anchor)", new double[]{1.0, 1.5, 1.2}))), 1000, new PrintWriter(with));
        StringWriter without = new StringWriter();
        EvaluateBenchmark.report(new EvaluateBenchmark.Results(timings, cost, Optional.empty()), 1000, new PrintWriter(without));

        // 3 / 2 against the SQL aggregate, 3 / 1.2 (the median) against DuckDB
        assertThat(with.toString()).contains("DuckDB, 2 threads (anchor)").contains("ratio evaluate / baseline: 1.50 (goal <= 1.00)")
                .contains("evaluate / DuckDB: 2.50 (goal <= 2.00)");
        assertThat(without.toString()).doesNotContain("DuckDB, 2 threads").contains("evaluate / DuckDB: skipped (no DuckDB driver)");
    }

    private static AnchorFigures withTotal(AnchorFigures figures, AnchorFigures.LossFigures total) {
        return new AnchorFigures(figures.rows(), figures.rejected(), Map.copyOf(figures.byReason()), total, figures.groups());
    }
}
