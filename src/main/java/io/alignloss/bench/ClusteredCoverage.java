package io.alignloss.bench;

import io.alignloss.error.AlignLossException;
import io.alignloss.objective.bradleyterry.BradleyTerry;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static java.lang.String.format;

/**
 * Clustered data: prompts with {@value #PAIRS} pairs each and a prompt random effect, so pairs from one
 * prompt have correlated losses. Margin {@code m = μ + u_prompt + e_pair} with u = ±{@value #PROMPT_EFFECT} and
 * e = ±{@value #PAIR_EFFECT} (equally likely), label 1, so {@code ℓ = softplus(−m)} and the truth is
 * {@code ¼ Σ_{u,e} softplus(−(μ+u+e))};
 * the intraclass correlation of ℓ is {@code Var(E[ℓ|u]) / Var(ℓ)} ({@link #icc()}, ≥ 0.3). The row
 * bootstrap (buckets by {@code id}) treats the 6 pairs of a prompt as independent and under-covers; the
 * cluster bootstrap ({@code inputs.<name>.cluster = prompt_id}) resamples prompts.
 */
final class ClusteredCoverage {
    static final int PAIRS = 6;
    static final double MEAN = 0.3;
    /** The prompt effect u and the pair effect e, each ± this (equally likely). */
    static final double PROMPT_EFFECT = 1.5;
    static final double PAIR_EFFECT = 1.0;
    /** The per-input key of the cluster bootstrap (branch cluster-boot). */
    static final String CLUSTER_KEY = "cluster";

    private ClusteredCoverage() {
    }

    record Data(int prompts) implements Population {
        @Override
        public StructType schema() {
            return new StructType().add("id", DataTypes.StringType).add("prompt_id", DataTypes.StringType)
                    .add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType).add("rejected", DataTypes.StringType)
                    .add("chosen_score", DataTypes.DoubleType).add("rejected_score", DataTypes.DoubleType);
        }

        @Override
        public List<Object[]> draw(SplittableRandom random, int replicate) {
            List<Object[]> rows = new ArrayList<>(prompts * PAIRS);
            for (int p = 0; p < prompts; p++) {
                double effect = random.nextBoolean() ? PROMPT_EFFECT : -PROMPT_EFFECT;
                for (int i = 0; i < PAIRS; i++) {
                    double margin = MEAN + effect + (random.nextBoolean() ? PAIR_EFFECT : -PAIR_EFFECT);
                    rows.add(new Object[] {replicate + "-" + p + "-" + i, replicate + "-" + p, "prompt " + p, "chosen " + p + "-" + i,
                            "rejected " + p + "-" + i, margin, 0.0});
                }
            }
            return rows;
        }
    }

    // ℓ(u, e) = ℓ(μ + u + e, label 1) = softplus(−(μ + u + e)) with u = ±1 (prompt) and e = ±1 (pair) in units of their effects
    private static double loss(int u, int e) {
        return BradleyTerry.loss(MEAN + u * PROMPT_EFFECT + e * PAIR_EFFECT, 1.0);
    }

    static double truth() {
        return (loss(1, 1) + loss(1, -1) + loss(-1, 1) + loss(-1, -1)) / 4;
    }

    /** Var(E[ℓ|u]) / Var(ℓ): between prompts over between plus within (the two prompt effects equally likely). */
    static double icc() {
        double high = (loss(1, 1) + loss(1, -1)) / 2;
        double low = (loss(-1, 1) + loss(-1, -1)) / 2;
        double between = Math.pow(high - low, 2) / 4;
        double within = (Math.pow(loss(1, 1) - loss(1, -1), 2) + Math.pow(loss(-1, 1) - loss(-1, -1), 2)) / 8;
        return between / (between + within);
    }

    /** Whether this build accepts {@code inputs.<name>.cluster} (added on branch cluster-boot). */
    static boolean clusterKeySupported(String folder) {
        try {
            Replicates.config(folder, List.of(0), "preference", List.of("{ name = bt_%1$s, type = bradley-terry, input = %1$s }"),
                    "inputs." + Replicates.input(0) + "." + CLUSTER_KEY + " = none\n");
            return true;
        }
        catch (AlignLossException e) {
            return false;
        }
    }

    static List<Coverage> run(CoverageBenchmark.Context context) {
        String folder = context.folder("clustered");
        Replicates.write(context.spark(), new Data(context.rows(3000) / PAIRS), context.replicates(), context.seed(), folder);
        List<Integer> replicates = IntStream.range(0, context.replicates()).boxed().toList();
        double truth = truth();
        String truthText = format("E[ℓ] = %.6f (ICC %.2f, %d pairs per prompt)", truth, icc(), PAIRS);
        boolean supported = clusterKeySupported(folder);
        List<Coverage> coverages = new ArrayList<>();
        coverages.add(measure(context, folder, replicates, "none", supported, new Coverage.Tally("clustered: row bootstrap ci", truthText, truth)
                .note("pairs sharing a prompt resampled as independent: expected to under-cover")));
        if (supported) {
            coverages.add(measure(context, folder, replicates, "prompt_id", true,
                    new Coverage.Tally("clustered: cluster bootstrap ci", truthText, truth)));
        }
        else {
            // TODO(cluster-boot): runs once inputs.<name>.cluster = <column> | none is merged
            context.log().printf("clustered: the cluster bootstrap is not measured: this build has no inputs.<name>.%s key "
                    + "(branch cluster-boot)%n", CLUSTER_KEY);
            coverages.add(new Coverage("clustered: cluster bootstrap ci", truthText,
                    "not run: needs the per-input key inputs.<name>.cluster (branch cluster-boot)", context.nominal(), 0, 0, 0, 0, 0,
                    Double.NaN));
        }
        return coverages;
    }

    private static Coverage measure(CoverageBenchmark.Context context, String folder, List<Integer> replicates, String cluster,
            boolean supported, Coverage.Tally tally) {
        StringBuilder extra = new StringBuilder();
        if (supported) {
            replicates.forEach(replicate -> extra.append(format("inputs.%s.%s = %s%n", Replicates.input(replicate), CLUSTER_KEY, cluster)));
        }
        Map<String, Object> summary = Replicates.evaluate(context.spark(), folder, replicates, "preference",
                List.of("{ name = bt_%1$s, type = bradley-terry, input = %1$s }"), extra.toString(),
                context.out("clustered-" + cluster), context.seed());
        for (int replicate : replicates) {
            tally.add(Replicates.interval(summary, "objectives", "bt_" + Replicates.input(replicate), "ci"));
        }
        return tally.coverage(context.nominal());
    }
}
