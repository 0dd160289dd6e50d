package io.alignloss.leaderboard;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.leaderboard.ComparisonGraph.Bound;
import io.alignloss.output.OutputCommitter;
import io.alignloss.output.Overwrite;
import io.alignloss.output.Version;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The leaderboard run: read battles → reject bad rows (written to {@code rejects/}) → count unique outcomes in
 * Spark → fit Bradley-Terry ratings on the driver → bootstrap intervals → publish leaderboard.csv and
 * leaderboard.json atomically. With {@code --style} the ratings are fitted twice on the same battles, with the style
 * features (the reported ratings) and without (the raw ones beside them), each with its own bootstrap of the same
 * seed; with {@code --ties rao-kupper} both fits use the Rao-Kupper likelihood.
 */
public final class LeaderboardJob {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderboardJob.class);

    /** The validated command line; invalid values fail with exit 2 before Spark starts. */
    public record Settings(String battles, String out, double l2, double scale, double base, Optional<Anchor> anchor,
            int bootstrap, long seed, Overwrite overwrite, List<String> style, Ties ties) {
        public Settings {
            requireNonNull(battles, "battles is null");
            requireNonNull(out, "out is null");
            requireNonNull(anchor, "anchor is null");
            requireNonNull(overwrite, "overwrite is null");
            style = List.copyOf(requireNonNull(style, "style is null"));
            requireNonNull(ties, "ties is null");
            if (style.stream().anyMatch(String::isBlank) || style.stream().distinct().count() != style.size()) {
                throw usage("Invalid --style %s (comma-separated feature names, each once, e.g. length,markdown)", String.join(",", style));
            }
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw usage("Invalid --l2 %s (must be finite and >= 0)", l2);
            }
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw usage("Invalid --scale %s (must be finite and > 0)", scale);
            }
            if (!Double.isFinite(base)) {
                throw usage("Invalid --base %s (must be finite)", base);
            }
            if (bootstrap < 0) {
                throw usage("Invalid --bootstrap %s (must be >= 0; 0 disables the intervals)", bootstrap);
            }
        }

        /** With {@code --overwrite} as a flag: an existing alignloss output is replaced, anything else refused. */
        public Settings(String battles, String out, double l2, double scale, double base, Optional<Anchor> anchor, int bootstrap,
                long seed, boolean overwrite) {
            this(battles, out, l2, scale, base, anchor, bootstrap, seed, Overwrite.fromFlag(overwrite), List.of(), Ties.HALF);
        }

        /** Without style features, ties as half a win each. */
        public Settings(String battles, String out, double l2, double scale, double base, Optional<Anchor> anchor, int bootstrap,
                long seed, Overwrite overwrite) {
            this(battles, out, l2, scale, base, anchor, bootstrap, seed, overwrite, List.of(), Ties.HALF);
        }

        RatingScale ratingScale() {
            return new RatingScale(l2, scale, base, anchor);
        }

        private static AlignLossException usage(String message, Object value) {
            return new AlignLossException(ErrorCode.USAGE, format(message, value));
        }
    }

    /**
     * What was published: the folder, the rows in rating order, leaderboard.json's top-level figures, its warnings and
     * where the run's time went.
     */
    public record Result(String output, List<Standing> standings, Map<String, Object> figures, List<String> warnings, Timing timing) {
        public Result {
            standings = List.copyOf(standings);
            warnings = List.copyOf(warnings);
            requireNonNull(timing, "timing is null");
        }
    }

    /**
     * Wall-clock seconds of the run's stages: reading the battles and counting their unique outcomes in Spark (with
     * writing the rejects), the point fit (both fits under style control), and the bootstrap ({@code rounds} rounds;
     * both bootstraps under style control).
     */
    public record Timing(double countSeconds, double fitSeconds, double bootstrapSeconds, int rounds) {
        /** The bootstrap's seconds per round (NaN without rounds). */
        public double secondsPerRound() {
            return rounds == 0 ? Double.NaN : bootstrapSeconds / rounds;
        }
    }

    private final Settings settings;

    public LeaderboardJob(Settings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    public Result run(SparkSession spark) {
        LOG.info("alignloss {} leaderboard: battles {}, output {}, l2 {}, scale {}, base {}, anchor {}, bootstrap {}, seed {}, "
                        + "style {}, ties {}", Version.alignloss(), settings.battles(), settings.out(), settings.l2(), settings.scale(),
                settings.base(), settings.anchor().map(Anchor::toString).orElse("none"), settings.bootstrap(), settings.seed(),
                settings.style().isEmpty() ? "none" : String.join(",", settings.style()), settings.ties().configName());
        OutputCommitter committer = OutputCommitter.begin(settings.out(), settings.overwrite(), "leaderboard", spark.sparkContext().hadoopConfiguration());
        try {
            long start = System.nanoTime();
            BattleTable table = BattleTable.read(spark, settings.battles());
            if (!settings.style().isEmpty()) {
                table = table.withStyle(settings.style());
            }
            BattleTable.Counts counts = table.count();
            if (counts.rejected() > 0) {
                table.writeRejects(committer.stagingPath("rejects"));
                LOG.info("wrote {} rejected rows to rejects/ (by reason: {})", counts.rejected(), counts.rejectedByReason());
            }
            if (counts.outcomes().isEmpty()) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot fit a leaderboard: no valid battles in %s "
                        + "(%d rows read, %d rejected)", settings.battles(), counts.rows(), counts.rejected()));
            }
            long counted = System.nanoTime();
            // without style features the counted outcomes are already unique by (model_a, model_b, winner)
            Comparisons raw = Comparisons.of(settings.style().isEmpty() ? counts.outcomes() : StyleControl.merged(counts.outcomes()));
            checkAnchorKnown(raw);
            LOG.info("{} models, {} battles, {} unique outcomes", raw.modelCount(), counts.accepted(), raw.size());
            List<String> warnings = new ArrayList<>();
            Optional<StyleControl> style = settings.style().isEmpty() ? Optional.empty()
                    : Optional.of(StyleControl.of(table.styleNames(), counts, warnings));
            Comparisons data = style.map(StyleControl::comparisons).orElse(raw);

            RatingFitter.Ratings ratings = RatingFitter.fit(data, settings.ratingScale(), settings.ties());
            LOG.info("fit: {} Newton iterations, converged {}, objective {}, gradient norm {}", ratings.fit().iterations(),
                    ratings.fit().converged(), ratings.fit().objective(), ratings.fit().gradientNorm());
            if (!ratings.anchored()) {
                throw new AlignLossException(ErrorCode.USAGE, format("Cannot anchor to model '%s': its rating is unbounded "
                        + "(it never lost or never won); pass --l2 or anchor another model", settings.anchor().get().model()));
            }
            warnings.addAll(ratings.warnings());
            Optional<RatingFitter.Ratings> rawRatings = style.map(control -> RatingFitter.fit(raw, settings.ratingScale(), settings.ties()));
            rawRatings.ifPresent(fitted -> fitted.warnings().stream().filter(warning -> !warnings.contains(warning))
                    .forEach(warning -> warnings.add("without style control: " + warning)));
            long fitted = System.nanoTime();
            Bootstrap.Intervals intervals = null;
            Bootstrap.Intervals rawIntervals = null;
            if (settings.bootstrap() > 0) {
                intervals = Bootstrap.run(data, settings.ratingScale(), settings.ties(), settings.bootstrap(), settings.seed());
                if (style.isPresent()) {
                    rawIntervals = Bootstrap.run(raw, settings.ratingScale(), settings.ties(), settings.bootstrap(), settings.seed());
                }
                if (intervals.skipped() > 0) {
                    warnings.add(format("%d of %d bootstrap rounds left out: the anchor model was unbounded in them",
                            intervals.skipped(), intervals.rounds()));
                }
                for (int i = 0; i < data.modelCount(); i++) {
                    if (Double.isInfinite(intervals.lower()[i]) || Double.isInfinite(intervals.upper()[i])) {
                        warnings.add(format("model '%s' was unbounded in %d of %d bootstrap rounds (too few wins or losses): "
                                        + "its interval is open on that side (empty in the CSV, null in the JSON)",
                                data.models.get(i), intervals.unboundedRounds()[i], intervals.rounds()));
                    }
                }
            }
            long bootstrapped = System.nanoTime();
            Timing timing = new Timing((counted - start) / 1e9, (fitted - counted) / 1e9, (bootstrapped - fitted) / 1e9, settings.bootstrap());
            LOG.info("time: read and count {} s, fit {} s, bootstrap {} s ({} ms per round)", format("%.2f", timing.countSeconds()),
                    format("%.2f", timing.fitSeconds()), format("%.2f", timing.bootstrapSeconds()), format("%.1f", 1000 * timing.secondsPerRound()));
            for (String warning : warnings) {
                LOG.warn("{}", warning);
            }
            boolean components = ratings.componentCount() > 1;
            List<Standing> standings = standings(data, ratings, intervals, components, rawRatings, rawIntervals);
            Map<String, Object> figures = figures(counts, data, ratings, warnings);
            if (style.isPresent()) {
                figures.put("style", style.get().figures(ratings, intervals));
            }
            if (settings.ties() == Ties.RAO_KUPPER) {
                figures.put("ties", settings.ties().configName());
                Map<String, Object> nu = new LinkedHashMap<>();
                nu.put("estimate", LeaderboardReport.finiteOrNull(ratings.coefficients().nu()));
                nu.put("lower", intervals == null ? null : LeaderboardReport.finiteOrNull(intervals.nuLower()));
                nu.put("upper", intervals == null ? null : LeaderboardReport.finiteOrNull(intervals.nuUpper()));
                figures.put("nu", nu);
            }
            committer.writeText("leaderboard.csv", LeaderboardReport.csv(standings, components));
            committer.writeText("leaderboard.json", LeaderboardReport.json(figures, standings, components));
            committer.commit();
            LOG.info("published {} ({} models)", committer.target(), standings.size());
            return new Result(committer.target().toString(), standings, figures, warnings, timing);
        }
        finally {
            committer.abort();
        }
    }

    private void checkAnchorKnown(Comparisons data) {
        if (settings.anchor().isPresent() && !data.models.contains(settings.anchor().get().model())) {
            String known = data.models.size() <= 50 ? String.join(", ", data.models) : data.models.size() + " models";
            throw new AlignLossException(ErrorCode.USAGE, format("Cannot anchor to model '%s': no valid battle has it (models: %s)",
                    settings.anchor().get().model(), known));
        }
    }

    // rating order, descending: unbounded above first, then finite, unbounded below, isolated (NaN) last; ties by name.
    // With several groups of models that never met: by group first (1, 2, …; unbounded models, in no group, last)
    private static List<Standing> standings(Comparisons data, RatingFitter.Ratings ratings, Bootstrap.Intervals intervals,
            boolean byComponent, Optional<RatingFitter.Ratings> rawRatings, Bootstrap.Intervals rawIntervals) {
        Map<String, Comparisons.Tally> tallies = data.tallies();
        List<Standing> standings = new ArrayList<>();
        for (int i = 0; i < data.modelCount(); i++) {
            String model = data.models.get(i);
            int index = i;
            Comparisons.Tally tally = tallies.get(model);
            boolean unbounded = ratings.bounds()[i] != Bound.FINITE;
            standings.add(new Standing(model, ratings.ratings()[i], intervals == null ? Double.NaN : intervals.lower()[i],
                    intervals == null ? Double.NaN : intervals.upper()[i], tally.battles(), tally.wins(), tally.losses(),
                    tally.ties(), unbounded, unbounded ? OptionalInt.empty() : OptionalInt.of(ratings.components()[i]),
                    rawRatings.map(raw -> new Standing.RawRating(raw.ratings()[index], rawIntervals == null ? Double.NaN
                            : rawIntervals.lower()[index], rawIntervals == null ? Double.NaN : rawIntervals.upper()[index]))));
        }
        Comparator<Standing> byGroup = Comparator.comparingInt(standing -> standing.component().orElse(Integer.MAX_VALUE));
        standings.sort((byComponent ? byGroup : Comparator.<Standing>comparingInt(standing -> 0))
                .thenComparing((Standing standing) -> Double.isNaN(standing.rating()))
                .thenComparing(Comparator.comparingDouble(Standing::rating).reversed())
                .thenComparing(Standing::model));
        return standings;
    }

    private Map<String, Object> figures(BattleTable.Counts counts, Comparisons data, RatingFitter.Ratings ratings, List<String> warnings) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("alignloss_version", Version.alignloss());
        figures.put("input", settings.battles());
        figures.put("rows_read", counts.rows());
        figures.put("battles", counts.accepted());
        figures.put("rejected", counts.rejected());
        figures.put("by_reason", counts.rejectedByReason());
        figures.put("model_count", data.modelCount());
        if (ratings.componentCount() > 1) {
            figures.put("components", ratings.componentCount());
        }
        figures.put("l2", settings.l2());
        figures.put("scale", settings.scale());
        figures.put("base", settings.base());
        figures.put("anchor", settings.anchor().map(anchor -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("model", anchor.model());
            value.put("rating", anchor.rating());
            return value;
        }).orElse(null));
        figures.put("bootstrap", settings.bootstrap());
        figures.put("seed", settings.seed());
        figures.put("iterations", ratings.fit().iterations());
        figures.put("converged", ratings.fit().converged());
        figures.put("final_objective", LeaderboardReport.finiteOrNull(ratings.fit().objective()));
        figures.put("gradient_norm", LeaderboardReport.finiteOrNull(ratings.fit().gradientNorm()));
        figures.put("warnings", warnings);
        return figures;
    }
}
