package io.alignloss.objective.bradleyterry;

import io.alignloss.stats.Expressions;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

/**
 * {@link BradleyTerry}'s loss as Spark SQL expressions, branch for branch the same arithmetic, so evaluate's
 * figures equal the training aggregator's and the leaderboard's on the same margins and labels (to the last
 * bit or so: Spark's {@code exp}/{@code log1p} may round differently from {@code Math}'s).
 */
public final class BradleyTerryColumns {
    private BradleyTerryColumns() {
    }

    /** {@code m = r(x, y_chosen) − r(x, y_rejected)}. */
    public static Column margin(Column chosenScore, Column rejectedScore) {
        return chosenScore.minus(rejectedScore);
    }

    /**
     * {@code ℓ(m, y) = y·softplus(−m) + (1 − y)·softplus(m)} with one softplus, as {@link BradleyTerry#loss}:
     * {@code y ≥ ½: softplus(−m) + (1 − y)·m}, else {@code softplus(m) − y·m}. Null when m or y is null.
     */
    public static Column loss(Column margin, Column label) {
        return when(label.geq(BradleyTerry.TIE), Expressions.softplus(negate(margin)).plus(lit(1.0).minus(label).multiply(margin)))
                .otherwise(Expressions.softplus(margin).minus(label.multiply(margin)));
    }

    /** As {@link BradleyTerry#correct}, but null (not false) for ties, so they drop out of counts. */
    public static Column correct(Column margin, Column label) {
        return when(label.gt(BradleyTerry.TIE), margin.gt(0)).when(label.lt(BradleyTerry.TIE), margin.lt(0));
    }

    /** As {@link BradleyTerry#decided}: label ≠ ½. */
    public static Column decided(Column label) {
        return label.notEqual(BradleyTerry.TIE);
    }
}
