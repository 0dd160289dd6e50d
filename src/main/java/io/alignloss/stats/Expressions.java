package io.alignloss.stats;

import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.negate;

/** Numerically stable building blocks, as Spark SQL expressions and as plain Java for checks. */
public final class Expressions {
    private Expressions() {
    }

    // softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|): never overflows, exact for large |z|
    public static Column softplus(Column z) {
        return greatest(z, lit(0.0)).plus(log1p(exp(negate(abs(z)))));
    }

    // softplus(z) = max(z, 0) + log1p(e^-|z|)
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    // -log σ(z) = softplus(-z)
    public static Column negLogSigmoid(Column z) {
        return softplus(negate(z));
    }
}
