package io.alignloss.optim;

/** f(x) = ½xᵀAx − bᵀx with A symmetric positive definite: minimiser A⁻¹b, a closed form for the tests. */
final class QuadraticLoss implements TrainingLoss {
    final double[][] a;
    final double[] b;
    int evaluations;

    QuadraticLoss(double[][] a, double[] b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public int dimension() {
        return b.length;
    }

    @Override
    public Evaluation evaluate(double[] x) {
        evaluations++;
        double[] ax = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                ax[i] += a[i][j] * x[j];
            }
        }
        // f = ½xᵀAx − bᵀx,  ∇f = Ax − b
        double value = 0.5 * Vectors.dot(x, ax) - Vectors.dot(b, x);
        return new Evaluation(value, Vectors.minus(ax, b));
    }

    /** A random SPD matrix MᵀM + I of the given size. */
    static QuadraticLoss random(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += m[k][i] * m[k][j];
                }
            }
            a[i][i] += 1;
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = random.nextGaussian();
        }
        return new QuadraticLoss(a, b);
    }

    /** A⁻¹b by Gaussian elimination with partial pivoting. */
    double[] solution() {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double factor = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= factor * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }
}
