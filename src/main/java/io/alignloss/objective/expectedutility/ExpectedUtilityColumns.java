package io.alignloss.objective.expectedutility;

import io.alignloss.data.Rules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

import java.util.Map;
import java.util.function.Function;

import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The expected-utility formulas evaluate computes per row, as Spark SQL expressions: the utility
 * {@code U = Σ_k w_k·score_k}, a policy's softmax over a candidate set (as {@link CandidateExpectation}'s
 * log-probabilities), the importance weights of {@link OffPolicyEstimators} and the direct-method term of its
 * doubly robust estimates.
 */
public final class ExpectedUtilityColumns {
    private ExpectedUtilityColumns() {
    }

    /** {@code U(x, y) = Σ_k w_k·score_k} over score column name → w_k, summed in the map's order from 0. */
    public static Column utility(Map<String, Double> weights, Function<String, Column> score) {
        Column total = lit(0.0);
        for (Map.Entry<String, Double> term : weights.entrySet()) {
            total = total.plus(score.apply(term.getKey()).multiply(term.getValue()));
        }
        return total;
    }

    /**
     * {@code π_j = exp(s_j − m − log Σ_k exp(s_k − m))}, m = max_k s_k, over the rows of {@code set} (one candidate
     * set); null for all of the set's rows when any of its scores is null (π cannot be normalised).
     */
    public static Column softmax(Column score, WindowSpec set) {
        Column max = functions.max(score).over(set);
        Column total = functions.sum(functions.exp(score.minus(max))).over(set);
        Column missing = functions.sum(when(score.isNull(), 1).otherwise(0)).over(set);
        return when(missing.equalTo(0), functions.exp(score.minus(max).minus(functions.log(total))));
    }

    /**
     * {@code w = π / μ} as {@link OffPolicyEstimators#importanceWeight}; 0 where μ is not positive (such rows are
     * rejected, and the guard keeps ANSI division from failing the scan that also projects rejected rows).
     */
    public static Column importanceWeight(Column target, Column behavior) {
        return when(behavior.gt(0), target.divide(behavior)).otherwise(lit(0.0));
    }

    /**
     * {@code DM_x = Σ_a π(a|x)·q̂(x, a)} over the rows of {@code set} (one candidate set), as
     * {@link OffPolicyEstimators#directTerm}; null for all of the set's rows when any of its q̂ is null, NaN or ±Inf
     * or any π is null (the sum over the set cannot be formed).
     */
    public static Column directTerm(Column target, Column qHat, WindowSpec set) {
        Column missing = functions.sum(when(Rules.notFinite(qHat).or(target.isNull()), 1).otherwise(0)).over(set);
        return when(missing.equalTo(0), functions.sum(target.multiply(qHat)).over(set));
    }

    /** {@code 1{w ≤ τ}·w}, as {@link OffPolicyEstimators#switched}. */
    public static Column switched(Column weight, double tau) {
        return when(weight.leq(tau), weight).otherwise(lit(0.0));
    }

    /** {@code min(w, clip)}, as {@link OffPolicyEstimators#clipped}. */
    public static Column clipped(Column weight, double clip) {
        return least(weight, lit(clip));
    }
}
