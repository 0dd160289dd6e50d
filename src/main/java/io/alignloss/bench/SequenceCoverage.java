package io.alignloss.bench;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static java.lang.String.format;

/**
 * Sequence-input coverage: the token-weighted {@code sequence-likelihood} {@code ci}, the
 * {@code expected-utility} {@code ci} and its off-policy {@code ips}, {@code snips} and {@code clipped_ips}
 * intervals, on the same rows.
 *
 * <p>Response length T ∈ {2, 5, 12} with P(T); row weight w ∈ {1, 2} with P(2 | T); each response token's
 * log-probability is −3 with probability q_T, else −0.05. The conditional NLL is {@code y = −Σ logprobs}, so
 * {@code E[y | T] = T·(3q_T + 0.05(1 − q_T))} and the token-weighted truth is
 * {@code E[wy]/E[wT] = Σ_T P(T)E[w|T]·T·c_T / Σ_T P(T)E[w|T]·T} (w independent of y given T).
 *
 * <p>Off-policy, independently of T and w: the behaviour policy shows action k with probability b_k; the
 * target policy's probability is t_k; the utility is {@code U_k ± 1} (equally likely). The logged mean
 * utility estimates {@code Σ b_k U_k} (loss = its negative); IPS and SNIPS estimate the target policy's
 * value {@code V = Σ t_k U_k}; clipped IPS with clip c estimates {@code Σ b_k min(t_k/b_k, c)·U_k}, which is
 * not V (both are stated).
 */
final class SequenceCoverage {
    static final int[] LENGTHS = {2, 5, 12};
    static final double[] LENGTH_SHARES = {0.5, 0.3, 0.2};
    static final double[] HEAVY_SHARE = {0.2, 0.4, 0.6};
    static final double[] SURPRISE_SHARE = {0.3, 0.15, 0.05};
    static final double SURPRISE = -3.0;
    static final double PLAIN = -0.05;
    static final double[] BEHAVIOR = {0.4, 0.3, 0.2, 0.1};
    static final double[] TARGET = {0.1, 0.2, 0.3, 0.4};
    static final double[] UTILITY = {1, 2, 4, 6};
    static final double CLIP = 2;

    private SequenceCoverage() {
    }

    record Data(int rows) implements Population {
        @Override
        public StructType schema() {
            return new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                    .add("response", DataTypes.StringType)
                    .add("prompt_logprobs", DataTypes.createArrayType(DataTypes.DoubleType))
                    .add("response_logprobs", DataTypes.createArrayType(DataTypes.DoubleType))
                    .add("weight", DataTypes.DoubleType).add("helpfulness", DataTypes.DoubleType)
                    .add("behavior_prob", DataTypes.DoubleType).add("target_prob", DataTypes.DoubleType);
        }

        @Override
        public List<Object[]> draw(SplittableRandom random, int replicate) {
            List<Object[]> rows = new ArrayList<>(this.rows);
            for (int i = 0; i < this.rows; i++) {
                int t = Population.pick(random, LENGTH_SHARES);
                double weight = random.nextDouble() < HEAVY_SHARE[t] ? 2 : 1;
                double[] logprobs = new double[LENGTHS[t]];
                for (int token = 0; token < logprobs.length; token++) {
                    logprobs[token] = random.nextDouble() < SURPRISE_SHARE[t] ? SURPRISE : PLAIN;
                }
                int k = Population.pick(random, BEHAVIOR);
                double utility = UTILITY[k] + (random.nextBoolean() ? 1 : -1);
                rows.add(new Object[] {replicate + "-" + i, "prompt " + i, "response " + i, new double[] {-1.0, -1.0}, logprobs, weight,
                        utility, BEHAVIOR[k], TARGET[k]});
            }
            return rows;
        }
    }

    // E[wy]/E[wT] = Σ_T P(T)·E[w|T]·T·c_T / Σ_T P(T)·E[w|T]·T, c_T = −(q_T·SURPRISE + (1 − q_T)·PLAIN)
    static double tokenWeightedNll() {
        double numerator = 0;
        double denominator = 0;
        for (int t = 0; t < LENGTHS.length; t++) {
            double mass = LENGTH_SHARES[t] * (1 + HEAVY_SHARE[t]) * LENGTHS[t];
            numerator += mass * -(SURPRISE_SHARE[t] * SURPRISE + (1 - SURPRISE_SHARE[t]) * PLAIN);
            denominator += mass;
        }
        return numerator / denominator;
    }

    /** Σ_k b_k·f_k·U_k with f_k the factor on action k's utility. */
    static double value(double[] factor) {
        double total = 0;
        for (int k = 0; k < BEHAVIOR.length; k++) {
            total += BEHAVIOR[k] * factor[k] * UTILITY[k];
        }
        return total;
    }

    static List<Coverage> run(CoverageBenchmark.Context context) {
        String folder = context.folder("sequence");
        Replicates.write(context.spark(), new Data(context.rows(3000)), context.replicates(), context.seed(), folder);
        List<Integer> replicates = IntStream.range(0, context.replicates()).boxed().toList();
        double[] ones = new double[BEHAVIOR.length];
        double[] ratio = new double[BEHAVIOR.length];
        double[] clipped = new double[BEHAVIOR.length];
        for (int k = 0; k < BEHAVIOR.length; k++) {
            ones[k] = 1;
            ratio[k] = TARGET[k] / BEHAVIOR[k];
            clipped[k] = Math.min(ratio[k], CLIP);
        }
        double nll = tokenWeightedNll();
        double policyValue = value(ratio);
        Coverage.Tally likelihood = new Coverage.Tally("sequence-likelihood ci (token-weighted)",
                format("E[wy]/E[wT] = %.6f", nll), nll);
        Coverage.Tally utility = new Coverage.Tally("expected-utility ci", format("−Σ b_k U_k = %.6f", -value(ones)), -value(ones));
        Coverage.Tally ips = new Coverage.Tally("ips ci", format("V = Σ t_k U_k = %.6f", policyValue), policyValue);
        Coverage.Tally snips = new Coverage.Tally("snips ci", format("V = Σ t_k U_k = %.6f", policyValue), policyValue);
        Coverage.Tally clippedIps = new Coverage.Tally(format("clipped_ips ci (clip %s)", CLIP),
                format("E[min(ω,c)·U] = %.6f (policy value V = %.6f)", value(clipped), policyValue), value(clipped));
        Map<String, Object> summary = Replicates.evaluate(context.spark(), folder, replicates, "sequence", List.of(
                        "{ name = nll_%1$s, type = sequence-likelihood, input = %1$s }",
                        "{ name = eu_%1$s, type = expected-utility, input = %1$s, utility { helpfulness = 1 }, clip = " + CLIP + " }"),
                "", context.out("sequence"), context.seed());
        for (int replicate : replicates) {
            String input = Replicates.input(replicate);
            Object eu = Replicates.at(summary, "objectives", "eu_" + input);
            likelihood.add(Replicates.interval(summary, "objectives", "nll_" + input, "ci"));
            utility.add(Replicates.interval(eu, "ci"));
            ips.add(Replicates.interval(eu, "ips", "ci"));
            snips.add(Replicates.interval(eu, "snips", "ci"));
            clippedIps.add(Replicates.interval(eu, "clipped_ips", "ci"));
        }
        return List.of(likelihood.coverage(context.nominal()), utility.coverage(context.nominal()), ips.coverage(context.nominal()),
                snips.coverage(context.nominal()), clippedIps.coverage(context.nominal()));
    }
}
