package io.alignloss.objective.dpo;

import io.alignloss.config.DpoLossType;
import io.alignloss.stats.Expressions;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;

/**
 * {@link DpoLoss}'s formulas as Spark SQL expressions, operation for operation the same arithmetic, so the Column form
 * and the plain-Java form agree to rounding (Spark's {@code exp}/{@code log1p} may round differently from {@code Math}'s).
 */
public final class DpoColumns {
    private DpoColumns() {
    }

    /** {@code β·(logp − ref_logp)}, as {@link DpoLoss#reward}. */
    public static Column reward(double beta, Column logp, Column refLogp) {
        return lit(beta).multiply(logp.minus(refLogp));
    }

    /** {@code Δ = (c − c₀) − (r − r₀)}, as {@link DpoLoss#delta}. */
    public static Column delta(Column chosen, Column refChosen, Column rejected, Column refRejected) {
        return chosen.minus(refChosen).minus(rejected.minus(refRejected));
    }

    /** {@code Δ̄ = (c − c₀)/n_c − (r − r₀)/n_r}, as {@link DpoLoss#normalisedDelta}. */
    public static Column normalisedDelta(Column chosen, Column refChosen, Column chosenTokens, Column rejected, Column refRejected,
            Column rejectedTokens) {
        return chosen.minus(refChosen).divide(chosenTokens).minus(rejected.minus(refRejected).divide(rejectedTokens));
    }

    /** The loss of {@code type} at {@code delta} (Δ̄ for the length-normalised types), as {@link DpoLoss#loss}. */
    public static Column loss(DpoLossType type, double beta, double smoothing, Column delta) {
        Column z = lit(beta).multiply(delta);
        return switch (type) {
            case SIGMOID -> lit(1 - smoothing).multiply(Expressions.softplus(negate(z)))
                    .plus(lit(smoothing).multiply(Expressions.softplus(z)));
            case ROBUST -> lit(1 - smoothing).multiply(Expressions.softplus(negate(z)))
                    .minus(lit(smoothing).multiply(Expressions.softplus(z))).divide(lit(1 - 2 * smoothing));
            case HINGE -> greatest(lit(0.0), lit(1.0).minus(z));
            case IPO -> {
                Column gap = delta.minus(lit(1 / (2 * beta)));
                yield gap.multiply(gap);
            }
            case SIGMOID_NORM -> Expressions.softplus(negate(z));
        };
    }

    /** βΔ &gt; 0, strictly, as {@link DpoLoss#correct}. */
    public static Column correct(double beta, Column delta) {
        return lit(beta).multiply(delta).gt(0);
    }

    /** Both implicit rewards below 0, as {@link DpoLoss#bothNegative}. */
    public static Column bothNegative(Column chosenReward, Column rejectedReward) {
        return chosenReward.lt(0).and(rejectedReward.lt(0));
    }
}
