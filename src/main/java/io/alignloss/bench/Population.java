package io.alignloss.bench;

import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/** A population the coverage harness draws replicate datasets from: the Parquet schema and one replicate's rows. */
interface Population extends Serializable {
    StructType schema();

    /** The rows of one replicate, one value per schema field each; ids must be unique within the replicate. */
    List<Object[]> draw(SplittableRandom random, int replicate);

    /** A draw from the discrete distribution {@code probabilities} (summing to 1). */
    static int pick(SplittableRandom random, double[] probabilities) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < probabilities.length - 1; i++) {
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    // σ(z) = 1 / (1 + e^−z)
    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    // softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|)
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
