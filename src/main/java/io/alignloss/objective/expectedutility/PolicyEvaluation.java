package io.alignloss.objective.expectedutility;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.model.Featurizer;
import io.alignloss.model.PolicyBlock;
import io.alignloss.model.PolicyData;
import io.alignloss.model.RewardModel;
import io.alignloss.model.RewardScoring;
import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;

/**
 * The expected utility of a trained linear softmax policy {@code π_θ(y|x) = softmax_y(θ·f(x, y))} on new
 * candidate sets (rows sharing {@code prompt_id}), next to the uniform policy's on the same sets:
 * <pre>
 *   V(π) = Σ_x w_x Σ_y π_θ(y|x)·U(x, y) / Σ_x w_x        V(uniform) = Σ_x w_x · (1/|Y_x|) Σ_y U(x, y) / Σ_x w_x
 * </pre>
 * and their paired difference {@code gain = V(π) − V(uniform)} with a percentile interval from the seeded
 * bucketed Poisson bootstrap over prompts ({@link Resampling}: prompts hashed into 100 buckets, one
 * Poisson(1) weight per bucket and replicate), so that both policies are resampled on the same prompts.
 */
public final class PolicyEvaluation {
    private PolicyEvaluation() {
    }

    /** Whether a loaded model folder holds a policy (trained for an expected-utility objective). */
    public static boolean isPolicy(RewardModel model) {
        return model.metadata().get("objective") instanceof Map<?, ?> objective && "expected-utility".equals(objective.get("type"));
    }

    /** A config error unless the model is a policy. */
    public static RewardModel requirePolicy(RewardModel model, String path, String who) {
        if (!isPolicy(model)) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot use model %s for %s: it is not a policy (a policy is the "
                    + "model of `train` on an expected-utility objective; this one was trained for %s)", path, who,
                    model.metadata().get("objective")));
        }
        return model;
    }

    /** Per-bucket sums of w_x·V_π(x), w_x·V_uniform(x), w_x·H(π(·|x)) and w_x, and the prompt count. */
    static final class Sums implements Serializable {
        final double[] policy = new double[Resampling.BUCKETS];
        final double[] uniform = new double[Resampling.BUCKETS];
        final double[] entropy = new double[Resampling.BUCKETS];
        final double[] weight = new double[Resampling.BUCKETS];
        long prompts;

        // per prompt, by CandidateExpectation: V_π = E_π[U], V_uniform = Σ_j U_j / m, H = H(π)
        Sums add(PolicyBlock block, double[] theta) {
            double[] logP = new double[0];
            double[] utility = block.utilities();
            for (int s = 0; s < block.size(); s++) {
                double w = block.weight(s);
                int start = block.start(s);
                int m = block.candidates(s);
                if (logP.length < m) {
                    logP = new double[Math.max(m, 2 * logP.length)];
                }
                CandidateExpectation.logProbabilities(logP, block.scores(s, theta, logP), m);
                int bucket = (int) Math.floorMod(block.hash(s), (long) Resampling.BUCKETS);
                policy[bucket] += w * CandidateExpectation.expectation(logP, utility, start, m);
                uniform[bucket] += w * CandidateExpectation.uniform(utility, start, m);
                entropy[bucket] += w * CandidateExpectation.entropy(logP, m);
                weight[bucket] += w;
                prompts++;
            }
            return this;
        }

        Sums merge(Sums other) {
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                policy[b] += other.policy[b];
                uniform[b] += other.uniform[b];
                entropy[b] += other.entropy[b];
                weight[b] += other.weight[b];
            }
            prompts += other.prompts;
            return this;
        }
    }

    /**
     * Evaluates the policy on the accepted candidate rows (one scan grouping by prompt_id).
     *
     * @param utility    U(x, y) of a row
     * @param bootstrap  replicates of the gain's interval (0: none)
     */
    public static Map<String, Object> evaluate(Dataset<Row> accepted, RewardModel policy, Column utility, long seed, int bootstrap,
            double confidence) {
        return evaluate(accepted, policy, utility, seed, bootstrap, confidence, PolicyData.PROMPT_ID);
    }

    /**
     * The same, the bootstrap resampling the candidate sets by the input's cluster column (a prompt is the
     * smallest unit: with {@code cluster = none} or {@code prompt_id} the sets are resampled by prompt).
     */
    public static Map<String, Object> evaluate(Dataset<Row> accepted, RewardModel policy, Column utility, long seed, int bootstrap,
            double confidence, String cluster) {
        Featurizer featurizer = policy.featurizer();
        double[] theta = policy.weights();
        JavaRDD<PolicyBlock> blocks = PolicyData.blocks(accepted, featurizer, utility, seed, cluster);
        Sums sums = blocks.aggregate(new Sums(), (partial, block) -> partial.add(block, theta), Sums::merge);
        return figures(sums, seed, bootstrap, confidence);
    }

    /** The same on blocks held on the driver (tests). */
    public static Map<String, Object> local(List<PolicyBlock> blocks, double[] theta, long seed, int bootstrap, double confidence) {
        Sums sums = new Sums();
        for (PolicyBlock block : blocks) {
            sums.add(block, theta);
        }
        return figures(sums, seed, bootstrap, confidence);
    }

    /** θ·f(x, y) of a candidate row as a Spark column; null where the features cannot be computed. */
    public static Column score(RewardModel policy) {
        return RewardScoring.score(policy, PreparedInput.column(PolicyData.EMBEDDING), PreparedInput.column(InputContract.PROMPT),
                PreparedInput.column(InputContract.RESPONSE));
    }

    /**
     * Adds column {@code name} = π_θ(y|x) of each row among the rows sharing its prompt_id; null for all of a
     * prompt's rows when any of its candidates has no score.
     */
    // π_θ(y|x) over the prompt's rows by ExpectedUtilityColumns.softmax (stable log-sum-exp over the window)
    public static Dataset<Row> withProbability(Dataset<Row> rows, RewardModel policy, String name) {
        WindowSpec set = Window.partitionBy(PreparedInput.column(PolicyData.PROMPT_ID));
        String s = name + "_score";
        return rows.withColumn(s, score(policy)).withColumn(name, ExpectedUtilityColumns.softmax(col(s), set)).drop(s);
    }

    private static Map<String, Object> figures(Sums sums, long seed, int bootstrap, double confidence) {
        double weight = sum(sums.weight);
        double policy = sum(sums.policy) / weight;
        double uniform = sum(sums.uniform) / weight;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("prompts", sums.prompts);
        figures.put("weight_sum", weight);
        figures.put("mean_utility", Json.number(policy));
        figures.put("loss", Json.number(-policy));
        figures.put("uniform_mean_utility", Json.number(uniform));
        Map<String, Object> gain = new LinkedHashMap<>();
        gain.put("value", Json.number(policy - uniform));
        if (bootstrap > 0 && weight > 0) {
            double[] difference = new double[Resampling.BUCKETS];
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                difference[b] = sums.policy[b] - sums.uniform[b];
            }
            double[] interval = Resampling.percentileInterval(
                    Resampling.replicateRatios(difference, sums.weight, Resampling.poissonWeights(bootstrap, seed)), confidence);
            gain.put("ci", interval == null ? null : List.of(interval[0], interval[1]));
        }
        figures.put("gain", gain);
        figures.put("entropy", Json.number(sum(sums.entropy) / weight));
        return figures;
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total;
    }
}
