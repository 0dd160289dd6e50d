package io.alignloss.bench;

import io.alignloss.objective.bradleyterry.BradleyTerry;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static java.lang.String.format;

/**
 * {@code shift.weighted_ci}: the data over-represent prompts with a marker word (share 0.5 against 0.2 in
 * the served population), and the Bradley-Terry loss differs with the marker, so the importance-weighted
 * loss must move from the data's {@code Σ_m p_data(m)·L_m} to the reference's {@code Σ_m p_ref(m)·L_m}.
 * The density ratio (0.4 with the marker, 1.6 without) is log-linear in what the classifier sees (the
 * marker's word count). Each replicate draws its own data and reference and is one evaluate run (the
 * classifier is fitted per run). The interval is the bootstrap of the weighted ratio with the fitted
 * weights held fixed: it leaves out the classifier's own fitting noise.
 */
final class ShiftCoverage {
    /** The budget: R ≥ 50 for this case. */
    static final int MAX_REPLICATES = 50;
    static final double DATA_MARKER = 0.5;
    static final double REFERENCE_MARKER = 0.2;
    /** μ with and without the marker. */
    static final double[] MEAN_MARGIN = {-0.5, 1.0};
    static final double SPREAD = 1.0;
    static final double CALIBRATION = 0.7;
    static final String MARKER = "zebra";
    private static final String[] FILLER = {"about", "the", "river", "city", "plan", "music", "garden", "table", "winter", "number",
            "story", "market", "letter", "bridge", "engine", "forest", "window", "summer", "paper", "island"};

    private ShiftCoverage() {
    }

    /** Data rows (preference, with scores and labels) or reference rows (prompt only). */
    record Side(int rows, boolean reference) implements Population {
        @Override
        public StructType schema() {
            if (reference) {
                return new StructType().add("prompt", DataTypes.StringType);
            }
            return new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                    .add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType)
                    .add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType)
                    .add("label", DataTypes.DoubleType);
        }

        @Override
        public List<Object[]> draw(SplittableRandom random, int replicate) {
            List<Object[]> rows = new ArrayList<>(this.rows);
            for (int i = 0; i < this.rows; i++) {
                boolean marked = random.nextDouble() < (reference ? REFERENCE_MARKER : DATA_MARKER);
                StringBuilder prompt = new StringBuilder("tell me");
                for (int w = 0; w < 4; w++) {
                    prompt.append(' ').append(FILLER[random.nextInt(FILLER.length)]);
                }
                if (marked) {
                    prompt.append(' ').append(MARKER);
                }
                if (reference) {
                    rows.add(new Object[] {prompt.toString()});
                    continue;
                }
                double margin = MEAN_MARGIN[marked ? 0 : 1] + (random.nextBoolean() ? SPREAD : -SPREAD);
                double label = random.nextDouble() < BradleyTerry.sigmoid(CALIBRATION * margin) ? 1 : 0;
                rows.add(new Object[] {replicate + "-" + i, prompt.toString(), "an answer", "another answer", margin, 0.0, label});
            }
            return rows;
        }
    }

    /** L_m = ½ Σ_± E[ℓ | μ_m ± s] with E[ℓ | m] = q·softplus(−m) + (1 − q)·softplus(m) = ℓ(m, q), q = σ(0.7m). */
    static double loss(int marked) {
        double total = 0;
        for (double sign : new double[] {-1, 1}) {
            double m = MEAN_MARGIN[marked] + sign * SPREAD;
            double q = BradleyTerry.sigmoid(CALIBRATION * m);
            total += 0.5 * BradleyTerry.loss(m, q);
        }
        return total;
    }

    static double referenceLoss() {
        return REFERENCE_MARKER * loss(0) + (1 - REFERENCE_MARKER) * loss(1);
    }

    static List<Coverage> run(CoverageBenchmark.Context context) {
        int replicates = Math.min(context.replicates(), MAX_REPLICATES);
        int rows = (int) context.shiftRows();
        String data = context.folder("shift-data");
        String reference = context.folder("shift-reference");
        Replicates.write(context.spark(), new Side(rows, false), replicates, context.seed(), data);
        Replicates.write(context.spark(), new Side(Math.max(100, rows / 10), true), replicates, context.seed() + 1, reference);
        double truth = referenceLoss();
        double naive = DATA_MARKER * loss(0) + (1 - DATA_MARKER) * loss(1);
        Coverage.Tally tally = new Coverage.Tally(format("shift.weighted_ci (%,d vs %,d rows)", rows, Math.max(100, rows / 10)),
                format("E_ref[ℓ] = %.6f (data's E[ℓ] = %.6f)", truth, naive), truth)
                .note("the interval holds the fitted weights fixed: the classifier's fitting noise is not in it");
        for (int replicate = 0; replicate < replicates; replicate++) {
            Map<String, Object> summary = Replicates.evaluate(context.spark(), data, List.of(replicate), "preference",
                    List.of("{ name = bt_%1$s, type = bradley-terry, input = %1$s }"),
                    format("reference { path = \"%s\" }%n", Replicates.path(reference, replicate)),
                    context.out("shift-" + Replicates.input(replicate)), context.seed());
            tally.add(Replicates.interval(summary, "objectives", "bt_" + Replicates.input(replicate), "shift", "weighted_ci"));
        }
        return List.of(tally.coverage(context.nominal()));
    }
}
