package io.alignloss.leaderboard;

import static io.alignloss.stats.Expressions.softplus;

/**
 * Item-level Bradley-Terry loss of strengths θ (one per model) with an L2 penalty:
 * {@code f(θ) = (1/N) Σ_k c_k ℓ(y_k, θ_a − θ_b) + (λ/2)·||θ||²}, P(a beats b) = σ(θ_a − θ_b) (Bradley and Terry 1952).
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

    // ℓ = y·softplus(−d) + (1−y)·softplus(d), d = θ_a − θ_b   (= −[y log σ(d) + (1−y) log σ(−d)])
    static double battleLoss(double y, double d) {
        return y * softplus(-d) + (1 - y) * softplus(d);
    }

    // σ(d) = 1 / (1 + e^−d), evaluated without overflow on either side
    static double sigmoid(double d) {
        if (d >= 0) {
            return 1 / (1 + Math.exp(-d));
        }
        double e = Math.exp(d);
        return e / (1 + e);
    }

    // f(θ) = (1/N) Σ c_k ℓ(y_k, θ_a − θ_b) + (λ/2) ||θ||²
    double value(double[] theta) {
        double sum = 0;
        for (int k = 0; k < data.size(); k++) {
            sum += data.count[k] * battleLoss(data.y[k], theta[data.a[k]] - theta[data.b[k]]);
        }
        return sum / data.total + 0.5 * l2 * squaredNorm(theta);
    }

    // ∂f/∂θ_a = (1/N) Σ c_k (σ(d_k) − y_k) + λθ_a,  ∂f/∂θ_b = −(1/N) Σ c_k (σ(d_k) − y_k) + λθ_b
    double[] gradient(double[] theta) {
        double[] gradient = new double[dimension()];
        for (int k = 0; k < data.size(); k++) {
            double residual = data.count[k] * (sigmoid(theta[data.a[k]] - theta[data.b[k]]) - data.y[k]);
            gradient[data.a[k]] += residual;
            gradient[data.b[k]] -= residual;
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = gradient[i] / data.total + l2 * theta[i];
        }
        return gradient;
    }

    // ∇²f = (1/N) Σ c_k σ(d_k)(1 − σ(d_k)) (e_a − e_b)(e_a − e_b)ᵀ + λI
    double[][] hessian(double[] theta) {
        int n = dimension();
        double[][] hessian = new double[n][n];
        for (int k = 0; k < data.size(); k++) {
            double p = sigmoid(theta[data.a[k]] - theta[data.b[k]]);
            double w = data.count[k] * p * (1 - p) / data.total;
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
