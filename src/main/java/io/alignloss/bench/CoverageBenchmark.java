package io.alignloss.bench;

import io.alignloss.summary.SummaryJson;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.lang.String.format;

/**
 * {@code bench coverage}: draws replicate datasets from populations with a known expected loss, runs them
 * through the real {@code evaluate} and {@code leaderboard} jobs (Parquet in, the scan, the xxhash buckets,
 * the summary out) and reports, per interval type, the two-sided coverage of the nominal 95% interval, the
 * misses above and below the truth, and the median width, against the exact 99% binomial band for R.
 */
public final class CoverageBenchmark {
    /** The nominal level of every interval the jobs report by default. */
    static final double NOMINAL = 0.95;
    /** The band the bench judges against (the test suite uses 0.999). */
    static final double BAND_LEVEL = 0.99;

    /** The cases, in the issue's priority order, each a function of the run's context. */
    static final Map<String, Function<Context, List<Coverage>>> CASES = cases();

    private static Map<String, Function<Context, List<Coverage>>> cases() {
        Map<String, Function<Context, List<Coverage>>> cases = new LinkedHashMap<>();
        cases.put("preference", PreferenceCoverage::run);
        cases.put("sequence", SequenceCoverage::run);
        cases.put("leaderboard", LeaderboardCoverage::run);
        cases.put("drift", PreferenceCoverage::drift);
        cases.put("shift", ShiftCoverage::run);
        cases.put("clustered", ClusteredCoverage::run);
        return cases;
    }

    /**
     * @param replicates R per interval type (the shift case uses at most {@link ShiftCoverage#MAX_REPLICATES})
     * @param seed       seeds the replicate data and every job's bootstrap
     * @param cases      case names from {@link #CASES}
     * @param scale      rows per replicate relative to the full bench (1 = full; the test suite uses less)
     * @param shiftRows  data rows of the shift case (its reference has a tenth)
     */
    public record Settings(int replicates, long seed, List<String> cases, double scale, long shiftRows) {
        public Settings {
            if (replicates < 2) {
                throw new IllegalArgumentException("Invalid --replicates " + replicates + " (must be >= 2)");
            }
            for (String name : cases) {
                if (!CASES.containsKey(name)) {
                    throw new IllegalArgumentException(format("Unknown coverage case '%s' (valid: %s)", name, String.join(", ", CASES.keySet())));
                }
            }
            cases = List.copyOf(cases);
        }

        public static List<String> allCases() {
            return List.copyOf(CASES.keySet());
        }
    }

    /** What a case needs: the session, a work folder, R, the seed and the row scale. */
    record Context(SparkSession spark, Path work, int replicates, long seed, double scale, long shiftRows, PrintWriter log) {
        /** A fresh folder URI for a case's data. */
        String folder(String name) {
            return work.resolve("data").resolve(name).toUri().toString();
        }

        /** A fresh output folder URI for one job run. */
        String out(String name) {
            return work.resolve("out").resolve(name).toUri().toString();
        }

        /** Rows per replicate: the full bench's count times the scale. */
        int rows(int full) {
            return (int) Math.max(200, Math.round(full * scale));
        }

        double nominal() {
            return NOMINAL;
        }
    }

    /** The measured coverages and each case's wall-clock seconds. */
    public record Report(String date, int replicates, long seed, double scale, List<Coverage> coverages, Map<String, Double> seconds) {
    }

    private CoverageBenchmark() {
    }

    public static Report run(SparkSession spark, Settings settings, Path work, PrintWriter out) {
        Context context = new Context(spark, work, settings.replicates(), settings.seed(), settings.scale(), settings.shiftRows(), out);
        List<Coverage> coverages = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String name : settings.cases()) {
            long start = System.nanoTime();
            List<Coverage> measured = CASES.get(name).apply(context);
            seconds.put(name, BenchSupport.seconds(start));
            coverages.addAll(measured);
            out.printf("case %s: %d interval types in %.0f s%n", name, measured.size(), seconds.get(name));
            out.flush();
        }
        return new Report(Instant.now().toString(), settings.replicates(), settings.seed(), settings.scale(), coverages, seconds);
    }

    /** The table: type, R, coverage, misses above / below, median width, the 99% band, the verdict, and the truth. */
    public static void print(Report report, PrintWriter out) {
        out.printf("%-46s %4s %8s %6s %6s %5s %12s %9s %5s  %s%n", "interval", "R", "coverage", "above", "below", "none",
                "median width", "99% band", "ok", "truth");
        for (Coverage coverage : report.coverages()) {
            BinomialBand band = coverage.band(BAND_LEVEL);
            out.printf("%-46s %4d %8.3f %6d %6d %5d %12.4g %9s %5s  %s%n", coverage.type(), coverage.replicates(), coverage.rate(),
                    coverage.missesHigh(), coverage.missesLow(), coverage.missing(), coverage.medianWidth(),
                    band.lower() + "-" + band.upper(), coverage.passes(BAND_LEVEL) ? "yes" : "NO", coverage.truth());
            if (!coverage.note().isEmpty()) {
                out.printf("    %s%n", coverage.note());
            }
        }
        out.flush();
    }

    /** Writes the report as coverage.json in {@code folder}, each type with its band and verdict. */
    public static Path write(Report report, Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Map<String, Object>> types = new ArrayList<>();
        for (Coverage coverage : report.coverages()) {
            Map<String, Object> type = new LinkedHashMap<>();
            BinomialBand band = coverage.band(BAND_LEVEL);
            type.put("type", coverage.type());
            type.put("truth", coverage.truth());
            type.put("replicates", coverage.replicates());
            type.put("coverage", Double.isFinite(coverage.rate()) ? coverage.rate() : null);
            type.put("hits", coverage.hits());
            type.put("misses_above", coverage.missesHigh());
            type.put("misses_below", coverage.missesLow());
            type.put("missing", coverage.missing());
            type.put("median_width", Double.isFinite(coverage.medianWidth()) ? coverage.medianWidth() : null);
            type.put("band_99", List.of(band.lower(), band.upper()));
            type.put("passes", coverage.passes(BAND_LEVEL));
            if (!coverage.note().isEmpty()) {
                type.put("note", coverage.note());
            }
            types.add(type);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", report.date());
        json.put("replicates", report.replicates());
        json.put("seed", report.seed());
        json.put("scale", report.scale());
        json.put("nominal", NOMINAL);
        json.put("seconds", report.seconds());
        json.put("intervals", types);
        Path file = folder.resolve("coverage.json");
        Files.writeString(file, SummaryJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        return file;
    }

    static Optional<Coverage> find(Report report, String type) {
        return report.coverages().stream().filter(coverage -> coverage.type().equals(type)).findFirst();
    }
}
