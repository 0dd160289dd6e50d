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
}
