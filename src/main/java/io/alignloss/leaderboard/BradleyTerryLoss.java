package io.alignloss.leaderboard;

import io.alignloss.objective.bradleyterry.BradleyTerry;

/**
 * Item-level Bradley-Terry loss with an L2 penalty on the strengths. The parameters are laid out as
 * {@code β = (θ_1 … θ_n, γ_1 … γ_p, α)}: one strength per model, one coefficient per style feature (p = 0 without
 * style control) and, under {@link Ties#RAO_KUPPER} when some battle is a tie, {@code α = ln ν}. Each outcome k has
 * the margin
 * <pre>
 *   d_k = θ_a − θ_b + γᵀs_k = xₖᵀβ,   x_k = e_a − e_b + (0, s_k, 0)
 * </pre>
 * (P(a beats b) = σ(d_k), Bradley and Terry 1952; with style features as FastChat's style control), and
 * {@code f(β) = (1/N) Σ_k c_k ℓ(d_k, y_k) + (λ/2)·||θ||²}, where ℓ is {@link BradleyTerry#loss} (a tie is one battle
 * with label ½; ∂ℓ/∂d = σ(d) − y, ∂²ℓ/∂d² = σ(d)σ(−d)) or, under Rao-Kupper, {@link RaoKupper#loss}(d, α, y). The
 * penalty is on the mean loss, like the {@code train} command and MLlib's regParam, and on θ only (γ and α are not
 * shrunk). Without L2, f is invariant to a common shift of θ.
 */
final class BradleyTerryLoss {
    private final Comparisons data;
    private final double l2;
    private final boolean raoKupper;

    /** Ties as half a win each ({@link Ties#HALF}). */
    BradleyTerryLoss(Comparisons data, double l2) {
        this(data, l2, Ties.HALF);
    }

    /** Under {@link Ties#RAO_KUPPER} α is fitted only when some battle is a tie; without ties ν = 1 (the plain model). */
    BradleyTerryLoss(Comparisons data, double l2, Ties ties) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("Cannot use l2 = " + l2 + " (must be finite and >= 0)");
        }
        if (!(data.total > 0)) {
            throw new IllegalArgumentException("Cannot fit ratings: no battles");
        }
        this.data = data;
        this.l2 = l2;
        this.raoKupper = ties == Ties.RAO_KUPPER && data.tieCount() > 0;
    }

    /** n + p (+ 1 when α is fitted). */
    int dimension() {
        return modelCount() + styleCount() + (raoKupper ? 1 : 0);
    }

    /** n: the first n parameters are the strengths θ, the block a common shift leaves the loss unchanged on without L2. */
    int modelCount() {
        return data.modelCount();
    }

    int styleCount() {
        return data.styleCount();
    }

    /** True when the last parameter is α = ln ν (Rao-Kupper with ties in the data). */
    boolean fitsTieParameter() {
        return raoKupper;
    }

    double l2() {
        return l2;
    }

    /** θ = 0, γ = 0 and α where P(tie) at d = 0 is the observed share of ties ({@link RaoKupper#alphaForTieShare}). */
    double[] start() {
        double[] start = new double[dimension()];
        if (raoKupper) {
            double share = Math.min(data.tieCount() / data.total, 0.999);
            start[dimension() - 1] = RaoKupper.alphaForTieShare(share);
        }
        return start;
    }

    // d_k = θ_a − θ_b + γᵀs_k
    double margin(double[] beta, int k) {
        double margin = beta[data.a[k]] - beta[data.b[k]];
        double[] style = data.style[k];
        int n = modelCount();
        for (int j = 0; j < style.length; j++) {
            margin += beta[n + j] * style[j];
        }
        return margin;
    }

    private double alpha(double[] beta) {
        return raoKupper ? beta[dimension() - 1] : 0;
    }

    // f(β) = (1/N) Σ c_k ℓ(d_k, y_k) + (λ/2) ||θ||²
    double value(double[] beta) {
        double alpha = alpha(beta);
        double sum = 0;
        for (int k = 0; k < data.size(); k++) {
            double margin = margin(beta, k);
            sum += data.count[k] * (raoKupper ? RaoKupper.loss(margin, alpha, data.y[k]) : BradleyTerry.loss(margin, data.y[k]));
        }
        return sum / data.total + 0.5 * l2 * squaredNorm(beta, modelCount());
    }

    // ∂f/∂β = (1/N) Σ c_k (ℓ_d x_k + ℓ_α e_α) + λ(θ, 0, 0)
    double[] gradient(double[] beta) {
        double[] gradient = new double[dimension()];
        double alpha = alpha(beta);
        int n = modelCount();
        for (int k = 0; k < data.size(); k++) {
            double margin = margin(beta, k);
            double dd;
            if (raoKupper) {
                RaoKupper.Derivatives derivatives = RaoKupper.derivatives(margin, alpha, data.y[k]);
                dd = data.count[k] * derivatives.d();
                gradient[dimension() - 1] += data.count[k] * derivatives.alpha();
            }
            else {
                dd = data.count[k] * BradleyTerry.derivative(margin, data.y[k]);
            }
            gradient[data.a[k]] += dd;
            gradient[data.b[k]] -= dd;
            double[] style = data.style[k];
            for (int j = 0; j < style.length; j++) {
                gradient[n + j] += dd * style[j];
            }
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = gradient[i] / data.total + (i < n ? l2 * beta[i] : 0);
        }
        return gradient;
    }

    // ∇²f = (1/N) Σ c_k (ℓ_dd x_k x_kᵀ + ℓ_dα (x_k e_αᵀ + e_α x_kᵀ) + ℓ_αα e_α e_αᵀ) + λ·diag(1_n, 0, 0); x_k has 2 + p non-zeros
    double[][] hessian(double[] beta) {
        int size = dimension();
        int n = modelCount();
        int p = styleCount();
        double[][] hessian = new double[size][size];
        double alpha = alpha(beta);
        int[] index = new int[2 + p];
        double[] x = new double[2 + p];
        for (int k = 0; k < data.size(); k++) {
            double margin = margin(beta, k);
            double dd;
            double dAlpha = 0;
            if (raoKupper) {
                RaoKupper.Derivatives derivatives = RaoKupper.derivatives(margin, alpha, data.y[k]);
                dd = data.count[k] * derivatives.dd() / data.total;
                dAlpha = data.count[k] * derivatives.dAlpha() / data.total;
                hessian[size - 1][size - 1] += data.count[k] * derivatives.alphaAlpha() / data.total;
            }
            else {
                dd = data.count[k] * BradleyTerry.curvature(margin) / data.total;
            }
            if (p == 0 && !raoKupper) {
                // x_k = e_a − e_b: the four entries of dd·x_k x_kᵀ (the same sums as the loop below, term by term)
                hessian[data.a[k]][data.a[k]] += dd;
                hessian[data.a[k]][data.b[k]] -= dd;
                hessian[data.b[k]][data.a[k]] -= dd;
                hessian[data.b[k]][data.b[k]] += dd;
                continue;
            }
            index[0] = data.a[k];
            x[0] = 1;
            index[1] = data.b[k];
            x[1] = -1;
            for (int j = 0; j < p; j++) {
                index[2 + j] = n + j;
                x[2 + j] = data.style[k][j];
            }
            for (int r = 0; r < index.length; r++) {
                for (int c = 0; c < index.length; c++) {
                    hessian[index[r]][index[c]] += dd * x[r] * x[c];
                }
                if (raoKupper) {
                    hessian[index[r]][size - 1] += dAlpha * x[r];
                    hessian[size - 1][index[r]] += dAlpha * x[r];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            hessian[i][i] += l2;
        }
        return hessian;
    }

    static double squaredNorm(double[] v) {
        return squaredNorm(v, v.length);
    }

    // Σ_{i < length} v_i²
    static double squaredNorm(double[] v, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += v[i] * v[i];
        }
        return sum;
    }
}
