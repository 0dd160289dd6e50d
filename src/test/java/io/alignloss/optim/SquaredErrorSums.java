package io.alignloss.optim;

/**
 * A test aggregator: the weighted squared error {@code ℓ = ½·(θ·x − y)²}, {@code ∇ℓ = (θ·x − y)·x} of a linear
 * model, over blocks of rows {@code {hash, w, y, x_1 … x_d}}. It records whether it was compacted, so tests can
 * see that every partition's sums were compacted before they were merged.
 */
public final class SquaredErrorSums implements LossAggregator<double[][], SquaredErrorSums> {
    private final int dimension;
    private final boolean withGradient;
    private final transient double[] theta;
    private final transient MiniBatch batch;
    private double lossSum;
    private double weightSum;
    private double[] gradient;
    boolean compacted;

    public SquaredErrorSums(double[] theta, boolean withGradient, MiniBatch batch) {
        this.dimension = theta.length;
        this.withGradient = withGradient;
        this.theta = theta;
        this.batch = batch;
        this.gradient = new double[dimension];
    }

    /** One row: {hash, w, y, x...}. */
    public static double[] row(long hash, double weight, double y, double... x) {
        double[] row = new double[3 + x.length];
        row[0] = hash;
        row[1] = weight;
        row[2] = y;
        System.arraycopy(x, 0, row, 3, x.length);
        return row;
    }

    @Override
    public SquaredErrorSums add(double[][] block) {
        for (double[] row : block) {
            if (batch != null && !batch.keep((long) row[0])) {
                continue;
            }
            double w = row[1];
            double residual = -row[2];
            for (int j = 0; j < dimension; j++) {
                residual += theta[j] * row[3 + j];
            }
            lossSum += w * 0.5 * residual * residual;
            weightSum += w;
            for (int j = 0; j < dimension; j++) {
                gradient[j] += w * residual * row[3 + j];
            }
        }
        return this;
    }

    @Override
    public SquaredErrorSums merge(SquaredErrorSums other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("dimension " + other.dimension + " != " + dimension);
        }
        lossSum += other.lossSum;
        weightSum += other.weightSum;
        for (int j = 0; j < dimension; j++) {
            gradient[j] += other.gradient[j];
        }
        compacted &= other.compacted;
        return this;
    }

    @Override
    public SquaredErrorSums compact() {
        compacted = true;
        return this;
    }

    @Override
    public double weightSum() {
        return weightSum;
    }

    @Override
    public double lossSum() {
        return lossSum;
    }

    @Override
    public double[] gradientSum() {
        if (!withGradient) {
            throw new IllegalStateException("Cannot read the gradient: the pass did not sum it");
        }
        return gradient.clone();
    }

    public boolean compacted() {
        return compacted;
    }
}
