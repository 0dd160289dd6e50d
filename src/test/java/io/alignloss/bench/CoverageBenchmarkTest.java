package io.alignloss.bench;

import io.alignloss.testing.LocalSparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reduced coverage harness: every interval type the jobs report, over 50 seeded replicates drawn from
 * populations with a known truth and run through the real evaluate and leaderboard jobs, covers inside the
 * exact 99.9% binomial band around 0.95 (41–50 of 50), so a change that breaks an interval fails here.
 */
class CoverageBenchmarkTest extends LocalSparkTest {
    static final int REPLICATES = 50;
    static final double LEVEL = 0.999;

    @TempDir
    Path temp;

    @Test
    void aReplicateAloneGetsTheFiguresItGetsInTheBatch() {
        String folder = temp.resolve("data").toUri().toString();
        Replicates.write(spark, new PreferenceCoverage.Data(600), 3, 7, folder);
        String objective = "{ name = bt_%1$s, type = bradley-terry, input = %1$s }";
        String extra = "groups = [ language, domain ]\n" + PreferenceCoverage.target(PreferenceCoverage.raked(), true);
        Map<String, Object> batch = Replicates.evaluate(spark, folder, List.of(0, 1, 2), "preference", List.of(objective), extra,
                temp.resolve("batch").toUri().toString(), 11);
        Map<String, Object> alone = Replicates.evaluate(spark, folder, List.of(1), "preference", List.of(objective), extra,
                temp.resolve("alone").toUri().toString(), 11);
        Object inBatch = Replicates.at(batch, "objectives", "bt_r001");
        Object single = Replicates.at(alone, "objectives", "bt_r001");
        assertThat(Replicates.interval(single, "ci")).isNotNull();
        assertThat(Replicates.interval(single, "target", "reweighted_ci")).isNotNull();
        assertThat(Replicates.interval(single, "group_gaps", "language", "ci")).isNotNull();
        assertThat(inBatch).isEqualTo(single);
        // and the replicates differ from one another (each input reads its own replicate)
        assertThat(Replicates.at(batch, "objectives", "bt_r000", "loss")).isNotEqualTo(Replicates.at(single, "loss"));
    }

    @Test
    void everyIntervalCoversInsideItsBand() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        // the shift case needs the subsample-cap hook of the covariate-shift fix to run at 20k vs 5k rows: not here
        CoverageBenchmark.Settings settings = new CoverageBenchmark.Settings(REPLICATES, 2026,
                List.of("preference", "sequence", "leaderboard", "drift", "clustered"), 0.5, 20_000);
        CoverageBenchmark.Report report = CoverageBenchmark.run(spark, settings, temp.resolve("work"), out);
        CoverageBenchmark.print(report, out);
        System.out.println(text);

        assertThat(report.coverages()).hasSizeGreaterThan(25);
        for (Coverage coverage : report.coverages()) {
            if (coverage.type().startsWith("clustered: row bootstrap") || coverage.replicates() == 0) {
                continue;
            }
            BinomialBand band = BinomialBand.of(coverage.replicates(), 0.95, LEVEL);
            assertThat(coverage.missing()).as(coverage.type() + ": replicates without an interval").isZero();
            assertThat(coverage.hits()).as(coverage.type() + ": hits out of " + coverage.replicates())
                    .isBetween(band.lower(), band.upper());
            assertThat(coverage.oneSided(LEVEL)).as(coverage.type() + ": misses all on one side").isFalse();
        }
        // the harness sees a broken interval: the row bootstrap on clustered data is below the band
        Coverage row = CoverageBenchmark.find(report, "clustered: row bootstrap ci").orElseThrow();
        assertThat(row.hits()).isLessThan(BinomialBand.of(row.replicates(), 0.95, LEVEL).lower());
    }
}
