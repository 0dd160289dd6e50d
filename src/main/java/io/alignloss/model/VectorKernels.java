package io.alignloss.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link DenseKernels} on the Vector API: float lanes widened to double lanes, fused multiply-adds. */
final class VectorKernels extends DenseKernels {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Floats that widen to one double vector: half its width. */
    private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class,
            jdk.incubator.vector.VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final int LANES = DOUBLES.length();

    @Override
    double dot(float[] values, int offset, double[] weights, int dimension) {
        DoubleVector sum0 = DoubleVector.zero(DOUBLES);
        DoubleVector sum1 = DoubleVector.zero(DOUBLES);
        int j = 0;
        for (; j + 2 * LANES <= dimension; j += 2 * LANES) {
            sum0 = widen(values, offset + j).fma(DoubleVector.fromArray(DOUBLES, weights, j), sum0);
            sum1 = widen(values, offset + j + LANES).fma(DoubleVector.fromArray(DOUBLES, weights, j + LANES), sum1);
        }
        double sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
        for (; j < dimension; j++) {
            sum += weights[j] * values[offset + j];
        }
        return sum;
    }

    @Override
    void axpy(double alpha, float[] values, int offset, double[] gradient, int dimension) {
        DoubleVector a = DoubleVector.broadcast(DOUBLES, alpha);
        int j = 0;
        for (; j + LANES <= dimension; j += LANES) {
            widen(values, offset + j).fma(a, DoubleVector.fromArray(DOUBLES, gradient, j)).intoArray(gradient, j);
        }
        for (; j < dimension; j++) {
            gradient[j] += alpha * values[offset + j];
        }
    }

    private static DoubleVector widen(float[] values, int from) {
        return (DoubleVector) FloatVector.fromArray(FLOATS, values, from).convertShape(VectorOperators.F2D, DOUBLES, 0);
    }

    @Override
    String name() {
        return "vector (" + LANES + " doubles per instruction)";
    }
}
