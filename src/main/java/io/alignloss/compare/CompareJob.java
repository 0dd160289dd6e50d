package io.alignloss.compare;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import io.alignloss.report.CompareReport;
import io.alignloss.stats.Resampling;
import io.alignloss.summary.CompareSummary;
import io.alignloss.summary.ObjectiveComparison;
import io.alignloss.summary.ObjectiveSummary;
import io.alignloss.summary.PairedComparison;
import io.alignloss.summary.SummaryJson;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The compare run: read both runs' summaries → for each objective, pair the per-example rows on {@code id}
 * ({@link PairedRows}) → the paired difference, interval, z test and McNemar test per cell ({@link PairedDifference})
 * → Benjamini–Hochberg across each objective's groups → the regression gate → publish {@code compare.json} and
 * {@code report.html} atomically. A failed gate is reported after publishing (exit 4, as drift in evaluate).
 */
public final class CompareJob {
    private static final Logger LOG = LoggerFactory.getLogger(CompareJob.class);

    /**
     * The validated command line; invalid values fail with exit 2 before Spark starts.
     *
     * @param objective     the one objective to compare; empty: every objective both runs evaluated
     * @param alpha         the FDR of the Benjamini–Hochberg verdicts; the intervals are at {@code 1 − alpha}
     * @param maxRegression the largest tolerated lower bound of {@code L_b − L_a}; empty: no gate
     */
    public record Settings(String a, String b, String out, Optional<String> objective, double alpha, OptionalDouble maxRegression,
            int bootstrap, long seed, Overwrite overwrite) {
        public Settings {
            requireNonNull(a, "a is null");
            requireNonNull(b, "b is null");
            requireNonNull(out, "out is null");
            requireNonNull(objective, "objective is null");
            requireNonNull(maxRegression, "maxRegression is null");
            requireNonNull(overwrite, "overwrite is null");
            if (!(alpha > 0 && alpha < 1)) {
                throw new AlignLossException(ErrorCode.USAGE, format("Invalid --alpha %s (must be > 0 and < 1)", alpha));
            }
            if (maxRegression.isPresent() && !Double.isFinite(maxRegression.getAsDouble())) {
                throw new AlignLossException(ErrorCode.USAGE, format("Invalid --max-regression %s (must be finite)", maxRegression.getAsDouble()));
            }
            if (bootstrap < 0) {
                throw new AlignLossException(ErrorCode.USAGE, format("Invalid --bootstrap %s (must be >= 0; 0 disables the intervals)", bootstrap));
            }
        }

        public double confidence() {
            return 1 - alpha;
        }
    }

    /** What was published: the folder and compare.json's content. */
    public record Result(String output, CompareSummary summary) {
        /** Whether the lower bound of some objective's overall interval exceeds --max-regression (exit 4). */
        public boolean regressed() {
            return !summary.regressions().isEmpty();
        }
    }

    private final Settings settings;

    public CompareJob(Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public Result run(SparkSession spark) {
        long start = System.nanoTime();
        String started = Instant.now().toString();
        LOG.info("alignloss {} compare: a {}, b {}, output {}, objective {}, alpha {}, max regression {}, bootstrap {}, seed {}",
                Version.alignloss(), settings.a(), settings.b(), settings.out(), settings.objective().orElse("all"), settings.alpha(),
                settings.maxRegression().isPresent() ? settings.maxRegression().getAsDouble() : "none", settings.bootstrap(), settings.seed());
        RunFolder a = RunFolder.read("a", settings.a(), spark.sparkContext().hadoopConfiguration());
        RunFolder b = RunFolder.read("b", settings.b(), spark.sparkContext().hadoopConfiguration());
        List<String> warnings = new ArrayList<>();
        List<String> names = objectives(a, b, warnings);
        OutputCommitter committer = OutputCommitter.begin(settings.out(), settings.overwrite(), "compare", spark.sparkContext().hadoopConfiguration());
        try {
            double[][] weights = Resampling.poissonWeights(settings.bootstrap(), settings.seed());
            Map<String, ObjectiveComparison> objectives = new LinkedHashMap<>();
            List<String> regressions = new ArrayList<>();
            for (String name : names) {
                ObjectiveComparison comparison = compare(spark, name, a, b, weights, warnings);
                objectives.put(name, comparison);
                if (Boolean.TRUE.equals(comparison.regression())) {
                    regressions.add(format("objective '%s': the %.0f%% interval of L_b − L_a, [%s, %s], lies above --max-regression %s", name,
                            100 * settings.confidence(), comparison.overall().ci().get(0), comparison.overall().ci().get(1),
                            settings.maxRegression().getAsDouble()));
                }
            }
            warnings.forEach(warning -> LOG.warn("{}", warning));
            CompareSummary summary = new CompareSummary(Version.alignloss(), "compare", started, (System.nanoTime() - start) / 1e9,
                    settings.a(), settings.b(), settings.alpha(), settings.confidence(), settings.bootstrap(), settings.seed(),
                    settings.maxRegression().isPresent() ? settings.maxRegression().getAsDouble() : null, objectives, regressions, warnings);
            committer.writeText("compare.json", SummaryJson.render(summary));
            committer.writeText("report.html", CompareReport.render(summary));
            committer.commit();
            LOG.info("published {} ({} objectives)", committer.target(), objectives.size());
            return new Result(committer.target().toString(), summary);
        }
        finally {
            committer.abort();
        }
    }

    private ObjectiveComparison compare(SparkSession spark, String name, RunFolder a, RunFolder b, double[][] weights, List<String> warnings) {
        ObjectiveSummary summaryA = a.summary().objectivesOrEmpty().get(name);
        List<String> groups = new ArrayList<>(summaryA.groupsOrEmpty().keySet());
        PairedRows.Pairing pairing = PairedRows.pair(spark, name, a.perExample(name), b.perExample(name), groups, settings.seed());
        LOG.info("objective {}: {} ids matched, {} only in a, {} only in b, {} incomplete", name, pairing.matched(), pairing.onlyInA(),
                pairing.onlyInB(), pairing.incomplete());
        if (pairing.onlyInA() > 0 || pairing.onlyInB() > 0) {
            warnings.add(format("objective '%s': %d ids only in run a and %d only in run b are left out of the comparison", name,
                    pairing.onlyInA(), pairing.onlyInB()));
        }
        if (pairing.incomplete() > 0) {
            warnings.add(format("objective '%s': %d matched rows have a null loss, weight or denominator in one run and are left out",
                    name, pairing.incomplete()));
        }
        if (pairing.clusterMismatch() > 0) {
            warnings.add(format("objective '%s': %d matched rows have different cluster keys in the two runs; run a's are resampled",
                    name, pairing.clusterMismatch()));
        }
        PairedComparison overall = null;
        List<CellKey> keys = new ArrayList<>();
        List<PairedComparison> cells = new ArrayList<>();
        for (Map.Entry<CellKey, PairedSums> cell : pairing.cells().entrySet()) {
            PairedComparison figures = PairedDifference.of(cell.getValue(), weights, settings.confidence(), pairing.mcnemar());
            if (cell.getKey().overall()) {
                overall = figures;
            }
            else {
                keys.add(cell.getKey());
                cells.add(figures);
            }
        }
        double[] adjusted = BenjaminiHochberg.adjust(cells.stream().mapToDouble(cell -> orNaN(cell.pValue())).toArray());
        double[] mcnemarAdjusted = BenjaminiHochberg.adjust(cells.stream()
                .mapToDouble(cell -> cell.mcnemar() == null ? Double.NaN : orNaN(cell.mcnemar().pValue())).toArray());
        Map<String, Map<String, PairedComparison>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byGroup.computeIfAbsent(keys.get(i).column(), column -> new LinkedHashMap<>()).put(keys.get(i).value(),
                    cells.get(i).withAdjusted(orNull(adjusted[i]), orNull(mcnemarAdjusted[i]), settings.alpha()));
        }
        Boolean regression = null;
        if (settings.maxRegression().isPresent()) {
            if (overall.ci() == null) {
                warnings.add(format("objective '%s': no interval of L_b − L_a (bootstrap 0, or too few clusters), so --max-regression "
                        + "cannot gate it", name));
            }
            else {
                regression = overall.ci().get(0) > settings.maxRegression().getAsDouble();
            }
        }
        return new ObjectiveComparison(summaryA.type(), summaryA.ciCluster(), pairing.matched(), pairing.onlyInA(), pairing.onlyInB(),
                pairing.incomplete(), overall, byGroup, regression);
    }

    /** The objectives to compare: --objective, else those both runs evaluated (the others named in a warning). */
    private List<String> objectives(RunFolder a, RunFolder b, List<String> warnings) {
        Map<String, ObjectiveSummary> inA = a.summary().objectivesOrEmpty();
        Map<String, ObjectiveSummary> inB = b.summary().objectivesOrEmpty();
        List<String> names = new ArrayList<>();
        if (settings.objective().isPresent()) {
            String name = settings.objective().get();
            for (RunFolder run : List.of(a, b)) {
                if (!run.summary().objectivesOrEmpty().containsKey(name)) {
                    throw new AlignLossException(ErrorCode.USAGE, format("Cannot compare objective '%s': run %s (%s) did not evaluate it "
                            + "(its objectives: %s)", name, run.side(), run.folder(), String.join(", ", run.summary().objectivesOrEmpty().keySet())));
                }
            }
            names.add(name);
        }
        else {
            inA.keySet().stream().filter(inB::containsKey).forEach(names::add);
            List<String> alone = new ArrayList<>();
            inA.keySet().stream().filter(name -> !inB.containsKey(name)).forEach(name -> alone.add(name + " (a only)"));
            inB.keySet().stream().filter(name -> !inA.containsKey(name)).forEach(name -> alone.add(name + " (b only)"));
            if (!alone.isEmpty()) {
                warnings.add("objectives evaluated by one run only are not compared: " + String.join(", ", alone));
            }
            if (names.isEmpty()) {
                throw new AlignLossException(ErrorCode.USAGE, format("Cannot compare %s and %s: they evaluated no objective in common",
                        a.folder(), b.folder()));
            }
        }
        for (String name : names) {
            String typeA = inA.get(name).type();
            String typeB = inB.get(name).type();
            if (typeA != null && typeB != null && !typeA.equals(typeB)) {
                throw new AlignLossException(ErrorCode.USAGE, format("Cannot compare objective '%s': it is a %s objective in run a and a %s "
                        + "objective in run b", name, typeA, typeB));
            }
            a.perExample(name);
            b.perExample(name);
        }
        return names;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
