package io.alignloss.leaderboard;

import io.alignloss.objective.bradleyterry.BradleyTerry;

/**
 * Item-level Bradley-Terry loss of strengths θ (one per model) with an L2 penalty:
 * {@code f(θ) = (1/N) Σ_k c_k ℓ(θ_a − θ_b, y_k) + (λ/2)·||θ||²}, P(a beats b) = σ(θ_a − θ_b) (Bradley and Terry 1952),
 * with ℓ, ∂ℓ/∂d = σ(d) − y and ∂²ℓ/∂d² = σ(d)σ(−d) from {@link BradleyTerry}.
 * A tie is one battle with label ½. The penalty is on the mean loss, like the {@code train} command and MLlib's regParam.
 */
final class BradleyTerryLoss {
    private final Comparisons data;
    private final double l2;

    BradleyTerryLoss(Comparisons data, double l2) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("Cannot use l2 = " + l2 + " (must be finite and >= 0)");
        }
        if (!(data.total > 0)) {
            throw new IllegalArgumentException("Cannot fit ratings: no battles");
        }
        this.data = data;
        this.l2 = l2;
    }

    int dimension() {
        return data.modelCount();
    }

    double l2() {
        return l2;
    }

    // f(θ) = (1/N) Σ c_k ℓ(θ_a − θ_b, y_k) + (λ/2) ||θ||²
    double value(double[] theta) {
        double sum = 0;
        for (int k = 0; k < data.size(); k++) {
            sum += data.count[k] * BradleyTerry.loss(theta[data.a[k]] - theta[data.b[k]], data.y[k]);
        }
        return sum / data.total + 0.5 * l2 * squaredNorm(theta);
    }

    // ∂f/∂θ_a = (1/N) Σ c_k (σ(d_k) − y_k) + λθ_a,  ∂f/∂θ_b = −(1/N) Σ c_k (σ(d_k) − y_k) + λθ_b
    double[] gradient(double[] theta) {
        double[] gradient = new double[dimension()];
        for (int k = 0; k < data.size(); k++) {
            double residual = data.count[k] * BradleyTerry.derivative(theta[data.a[k]] - theta[data.b[k]], data.y[k]);
            gradient[data.a[k]] += residual;
            gradient[data.b[k]] -= residual;
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = gradient[i] / data.total + l2 * theta[i];
        }
        return gradient;
    }

    // ∇²f = (1/N) Σ c_k σ(d_k)σ(−d_k) (e_a − e_b)(e_a − e_b)ᵀ + λI
    double[][] hessian(double[] theta) {
        int n = dimension();
        double[][] hessian = new double[n][n];
        for (int k = 0; k < data.size(); k++) {
            double w = data.count[k] * BradleyTerry.curvature(theta[data.a[k]] - theta[data.b[k]]) / data.total;
            int a = data.a[k];
            int b = data.b[k];
            hessian[a][a] += w;
            hessian[b][b] += w;
            hessian[a][b] -= w;
            hessian[b][a] -= w;
        }
        for (int i = 0; i < n; i++) {
            hessian[i][i] += l2;
        }
        return hessian;
    }

    static double squaredNorm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return sum;
    }
}
