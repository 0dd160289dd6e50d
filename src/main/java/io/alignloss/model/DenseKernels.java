package io.alignloss.model;

/**
 * The two inner loops of a dense block, {@code φ·f} and {@code g ← g + α·f} over float features with double
 * weights and accumulators. They run on the JDK's Vector API (SIMD, several lanes per instruction) when the
 * incubator module {@code jdk.incubator.vector} is present — Spark adds it to its JVMs — and as scalar loops
 * otherwise.
 */
abstract class DenseKernels {
    static final DenseKernels INSTANCE = create();

    // φ·f for f = values[offset, offset + d)
    abstract double dot(float[] values, int offset, double[] weights, int dimension);

    // g ← g + α·f
    abstract void axpy(double alpha, float[] values, int offset, double[] gradient, int dimension);

    /** Which implementation runs: "vector" or "scalar". */
    abstract String name();

    private static DenseKernels create() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && !Boolean.getBoolean("alignloss.scalar")) {
            try {
                return (DenseKernels) Class.forName("io.alignloss.model.VectorKernels").getDeclaredConstructor().newInstance();
            }
            catch (ReflectiveOperationException | LinkageError e) {
                return new Scalar();
            }
        }
        return new Scalar();
    }

    static final class Scalar extends DenseKernels {
        @Override
        double dot(float[] values, int offset, double[] weights, int dimension) {
            // four independent partial sums let the CPU overlap the multiply-adds
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 3 < dimension; j += 4) {
                s0 += weights[j] * values[offset + j];
                s1 += weights[j + 1] * values[offset + j + 1];
                s2 += weights[j + 2] * values[offset + j + 2];
                s3 += weights[j + 3] * values[offset + j + 3];
            }
            for (; j < dimension; j++) {
                s0 += weights[j] * values[offset + j];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        void axpy(double alpha, float[] values, int offset, double[] gradient, int dimension) {
            for (int j = 0; j < dimension; j++) {
                gradient[j] += alpha * values[offset + j];
            }
        }

        @Override
        String name() {
            return "scalar";
        }
    }
}
