package io.alignloss.optim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Vectors#addInto}: the merge of two aggregators' gradient sums, where null is a sum not started. */
class VectorsTest {
    @Test
    void addIntoAddsElementwiseIntoTheFirst() {
        double[] sum = {1, -2, 0.5};
        double[] result = Vectors.addInto(sum, new double[] {0.25, 2, -1});
        assertThat(result).isSameAs(sum).containsExactly(1.25, 0, -0.5);
    }

    @Test
    void addIntoTreatsNullAsNotSummedYet() {
        double[] other = {3, 4};
        double[] copy = Vectors.addInto(null, other);
        assertThat(copy).isNotSameAs(other).containsExactly(3, 4);
        copy[0] = 9;
        assertThat(other).containsExactly(3, 4);
        double[] sum = {1, 2};
        assertThat(Vectors.addInto(sum, null)).isSameAs(sum).containsExactly(1, 2);
        assertThat(Vectors.addInto(null, null)).isNull();
    }
}
