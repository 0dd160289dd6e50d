package io.alignloss.bench;

import io.alignloss.objective.bradleyterry.BradleyTerry;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static java.lang.String.format;

/**
 * Bradley-Terry coverage: the overall {@code ci}, group {@code ci} and {@code group_gaps}, the learning curve at
 * each fraction, and {@code target.reweighted_ci} / {@code target.bias_ci} post-stratified and raked; and the
 * drift test's false-alarm rate between two draws of the same population.
 *
 * <p>The population is discrete, so every truth is a finite sum. Cells c = (language a, domain b) with
 * probability π_c; weight w ∈ {1, 3} with P(3 | b); margin {@code m = μ_b ± 1} (equally likely); label ~
 * Bernoulli(σ(κ_a·m)) (the logged scores are calibrated for one language and uninformative for another). Per
 * row {@code E[ℓ | m] = q·softplus(−m) + (1−q)·softplus(m)}, q = σ(κ_a·m), so a cell's loss is
 * {@code L_c = ½ Σ_± E[ℓ | μ_b ± 1]} and, w being
 * independent of (m, label) given c, any slice's weighted loss is {@code Σ_c P_c·L_c / Σ_c P_c} over its cells
 * with {@code P_c = π_c·E[w | c]}. Reweighting to weight shares T_c gives {@code Σ_c T_c·L_c}; with target
 * marginals taken from {@code T_c ∝ P_c·α_a·β_b}, raking's population fixed point is T_c itself.
 */
final class PreferenceCoverage {
    static final String[] LANGUAGES = {"en", "de", "ja"};
    static final double[] LANGUAGE_SHARES = {0.6, 0.3, 0.1};
    static final String[] DOMAINS = {"code", "chat"};
    /** P(domain = code | language). */
    static final double[] CODE_SHARE = {0.3, 0.5, 0.7};
    /** P(w = 3 | domain). */
    static final double[] HEAVY_SHARE = {0.3, 0.1};
    /** μ_b per domain. */
    static final double[] MEAN_MARGIN = {2.0, 0.8};
    static final double SPREAD = 1.0;
    /** κ_a per language: labels ~ Bernoulli(σ(κ_a·m)); the scores are calibrated for en and say nothing for ja. */
    static final double[] CALIBRATION = {1.0, 0.5, 0.0};
    /** Post-stratification target: language weight shares. */
    static final double[] TARGET_LANGUAGE = {0.34, 0.33, 0.33};
    /** Raking: T_c ∝ P_c·α_a·β_b. */
    static final double[] ALPHA = {0.5, 1, 3};
    static final double[] BETA = {2, 1};

    private PreferenceCoverage() {
    }

    /** Rows of one replicate: id, prompt, chosen, rejected, chosen_score, rejected_score, label, weight, language, domain. */
    record Data(int rows) implements Population {
        @Override
        public StructType schema() {
            return new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                    .add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType)
                    .add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType)
                    .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType)
                    .add("language", DataTypes.StringType).add("domain", DataTypes.StringType);
        }

        @Override
        public List<Object[]> draw(SplittableRandom random, int replicate) {
            List<Object[]> rows = new ArrayList<>(this.rows);
            for (int i = 0; i < this.rows; i++) {
                int a = Population.pick(random, LANGUAGE_SHARES);
                int b = random.nextDouble() < CODE_SHARE[a] ? 0 : 1;
                double weight = random.nextDouble() < HEAVY_SHARE[b] ? 3 : 1;
                double margin = MEAN_MARGIN[b] + (random.nextBoolean() ? SPREAD : -SPREAD);
                double label = random.nextDouble() < BradleyTerry.sigmoid(CALIBRATION[a] * margin) ? 1 : 0;
                double rejected = random.nextDouble() * 2 - 1;
                rows.add(new Object[] {replicate + "-" + i, "prompt " + i, "chosen " + i, "rejected " + i, rejected + margin, rejected,
                        label, weight, LANGUAGES[a], DOMAINS[b]});
            }
            return rows;
        }
    }

    /** L_c = ½ Σ_± E[ℓ | μ_b ± s] with E[ℓ | m] = ℓ(m, q) (a soft label), q = σ(κ_a·m). */
    static double cellLoss(int a, int b) {
        double total = 0;
        for (double sign : new double[] {-1, 1}) {
            double m = MEAN_MARGIN[b] + sign * SPREAD;
            double q = BradleyTerry.sigmoid(CALIBRATION[a] * m);
            total += 0.5 * BradleyTerry.loss(m, q);
        }
        return total;
    }

    /** P_c = π_c·E[w | c]: the population's weight mass per cell. */
    static double[][] weightMass() {
        double[][] mass = new double[LANGUAGES.length][DOMAINS.length];
        for (int a = 0; a < LANGUAGES.length; a++) {
            for (int b = 0; b < DOMAINS.length; b++) {
                double cell = LANGUAGE_SHARES[a] * (b == 0 ? CODE_SHARE[a] : 1 - CODE_SHARE[a]);
                mass[a][b] = cell * (1 + 2 * HEAVY_SHARE[b]);
            }
        }
        return mass;
    }

    /** Σ_c m_c·L_c / Σ_c m_c over the cells with mass m_c. */
    static double loss(double[][] mass) {
        double numerator = 0;
        double denominator = 0;
        for (int a = 0; a < LANGUAGES.length; a++) {
            for (int b = 0; b < DOMAINS.length; b++) {
                numerator += mass[a][b] * cellLoss(a, b);
                denominator += mass[a][b];
            }
        }
        return numerator / denominator;
    }

    /** The weight mass restricted to language a (a ≥ 0) or domain b (b ≥ 0). */
    static double[][] slice(int language, int domain) {
        double[][] mass = weightMass();
        for (int a = 0; a < LANGUAGES.length; a++) {
            for (int b = 0; b < DOMAINS.length; b++) {
                if ((language >= 0 && a != language) || (domain >= 0 && b != domain)) {
                    mass[a][b] = 0;
                }
            }
        }
        return mass;
    }

    /** Post-stratified target mass: T_a spread over a's domains as in the population. */
    static double[][] poststratified() {
        double[][] mass = weightMass();
        for (int a = 0; a < LANGUAGES.length; a++) {
            double total = mass[a][0] + mass[a][1];
            for (int b = 0; b < DOMAINS.length; b++) {
                mass[a][b] *= TARGET_LANGUAGE[a] / total;
            }
        }
        return mass;
    }

    /** T_c ∝ P_c·α_a·β_b, normalised. */
    static double[][] raked() {
        double[][] mass = weightMass();
        double total = 0;
        for (int a = 0; a < LANGUAGES.length; a++) {
            for (int b = 0; b < DOMAINS.length; b++) {
                mass[a][b] *= ALPHA[a] * BETA[b];
                total += mass[a][b];
            }
        }
        for (double[] row : mass) {
            for (int b = 0; b < row.length; b++) {
                row[b] /= total;
            }
        }
        return mass;
    }

    /** The target config block of a target mass: its language shares, and its domain shares when raking. */
    static String target(double[][] mass, boolean withDomain) {
        StringBuilder language = new StringBuilder();
        StringBuilder domain = new StringBuilder();
        for (int a = 0; a < LANGUAGES.length; a++) {
            language.append(format("%s = %s, ", LANGUAGES[a], mass[a][0] + mass[a][1]));
        }
        for (int b = 0; b < DOMAINS.length; b++) {
            double share = 0;
            for (double[] row : mass) {
                share += row[b];
            }
            domain.append(format("%s = %s, ", DOMAINS[b], share));
        }
        return "target { language { " + language + "}" + (withDomain ? ", domain { " + domain + "}" : "") + " }\n";
    }

    private static final String OBJECTIVE = "{ name = bt_%1$s, type = bradley-terry, input = %1$s }";
    private static final String GROUPS = "groups = [ language, domain ]\n";

    /** Every figure of the Bradley-Terry case, two evaluate runs (post-stratified and raked) over the replicates. */
    static List<Coverage> run(CoverageBenchmark.Context context) {
        String folder = context.folder("preference");
        Replicates.write(context.spark(), new Data(context.rows(4000)), context.replicates(), context.seed(), folder);
        List<Integer> replicates = IntStream.range(0, context.replicates()).boxed().toList();

        double overall = loss(weightMass());
        Map<String, Coverage.Tally> tallies = new LinkedHashMap<>();
        tallies.put("ci", tally("bradley-terry ci", "E[wℓ]/E[w]", overall));
        for (int a = 0; a < LANGUAGES.length; a++) {
            tallies.put("language=" + LANGUAGES[a], tally("group ci language=" + LANGUAGES[a], "E[wℓ|language]/E[w|language]", loss(slice(a, -1))));
        }
        for (int b = 0; b < DOMAINS.length; b++) {
            tallies.put("domain=" + DOMAINS[b], tally("group ci domain=" + DOMAINS[b], "E[wℓ|domain]/E[w|domain]", loss(slice(-1, b))));
        }
        tallies.put("gap language", tally("group_gaps language", "max_g L_g − min_g L_g", gap(true)));
        tallies.put("gap domain", tally("group_gaps domain", "max_g L_g − min_g L_g", gap(false)));
        double[] fractions = io.alignloss.stats.Resampling.CURVE_FRACTIONS;
        for (double fraction : fractions) {
            tallies.put("curve " + fraction, tally(format("curve ci at %s", fraction), "E[wℓ]/E[w]", overall));
        }
        double stratified = loss(poststratified());
        tallies.put("post reweighted", tally("target.reweighted_ci post-stratified", "Σ_a T_a·L_a", stratified));
        tallies.put("post bias", tally("target.bias_ci post-stratified", "E[wℓ]/E[w] − Σ_a T_a·L_a", overall - stratified));
        double raked = loss(raked());
        tallies.put("raked reweighted", tally("target.reweighted_ci raked", "Σ_c T_c·L_c", raked));
        tallies.put("raked bias", tally("target.bias_ci raked", "E[wℓ]/E[w] − Σ_c T_c·L_c", overall - raked));

        Map<String, Object> summary = Replicates.evaluate(context.spark(), folder, replicates, "preference", List.of(OBJECTIVE),
                GROUPS + target(poststratified(), false), context.out("preference-stratified"), context.seed());
        for (int replicate : replicates) {
            Object objective = Replicates.at(summary, "objectives", "bt_" + Replicates.input(replicate));
            tallies.get("ci").add(Replicates.interval(objective, "ci"));
            for (String language : LANGUAGES) {
                tallies.get("language=" + language).add(Replicates.interval(objective, "groups", "language", language, "ci"));
            }
            for (String domain : DOMAINS) {
                tallies.get("domain=" + domain).add(Replicates.interval(objective, "groups", "domain", domain, "ci"));
            }
            tallies.get("gap language").add(Replicates.interval(objective, "group_gaps", "language", "ci"));
            tallies.get("gap domain").add(Replicates.interval(objective, "group_gaps", "domain", "ci"));
            for (int k = 0; k < fractions.length; k++) {
                tallies.get("curve " + fractions[k]).add(Replicates.interval(objective, "curve", k, "ci"));
            }
            tallies.get("post reweighted").add(Replicates.interval(objective, "target", "reweighted_ci"));
            tallies.get("post bias").add(Replicates.interval(objective, "target", "bias_ci"));
        }
        summary = Replicates.evaluate(context.spark(), folder, replicates, "preference", List.of(OBJECTIVE),
                GROUPS + target(raked(), true), context.out("preference-raked"), context.seed());
        for (int replicate : replicates) {
            Object objective = Replicates.at(summary, "objectives", "bt_" + Replicates.input(replicate));
            tallies.get("raked reweighted").add(Replicates.interval(objective, "target", "reweighted_ci"));
            tallies.get("raked bias").add(Replicates.interval(objective, "target", "bias_ci"));
        }
        return tallies.values().stream().map(tally -> tally.coverage(context.nominal())).toList();
    }

    /**
     * The drift test between two draws of the same population: the share of objectives with {@code p_value < 0.05}
     * (a hit is a replicate pair without an alarm; 0.95 expected).
     */
    static List<Coverage> drift(CoverageBenchmark.Context context) {
        String first = context.folder("drift-first");
        String second = context.folder("drift-second");
        Data data = new Data(context.rows(4000));
        Replicates.write(context.spark(), data, context.replicates(), context.seed() + 1, first);
        Replicates.write(context.spark(), data, context.replicates(), context.seed() + 2, second);
        List<Integer> replicates = IntStream.range(0, context.replicates()).boxed().toList();
        String previous = context.out("drift-first");
        Replicates.evaluate(context.spark(), first, replicates, "preference", List.of(OBJECTIVE), "", previous, context.seed());
        Map<String, Object> summary = Replicates.evaluate(context.spark(), second, replicates, "preference", List.of(OBJECTIVE),
                format("drift { previous = \"%s\" }%n", previous), context.out("drift-second"), context.seed());
        Coverage.Tally tally = new Coverage.Tally("drift p_value >= 0.05 (no false alarm)", "same population: loss change 0", 0);
        for (int replicate : replicates) {
            Object figures = Replicates.at(summary, "drift", "objectives", "bt_" + Replicates.input(replicate));
            double p = Replicates.number(figures, "p_value");
            if (Double.isNaN(p)) {
                tally.addMissing();
            }
            else {
                tally.addTest(p < 0.05, Replicates.number(figures, "loss_change"));
            }
        }
        return List.of(tally.coverage(context.nominal()));
    }

    // the gap between the highest and lowest group loss of the language (or domain) column
    private static double gap(boolean language) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int values = language ? LANGUAGES.length : DOMAINS.length;
        for (int v = 0; v < values; v++) {
            double loss = loss(language ? slice(v, -1) : slice(-1, v));
            max = Math.max(max, loss);
            min = Math.min(min, loss);
        }
        return max - min;
    }

    private static Coverage.Tally tally(String type, String formula, double truth) {
        return new Coverage.Tally(type, format("%s = %.6f", formula, truth), truth);
    }
}
