package io.alignloss.leaderboard;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Newton's method with a backtracking (Armijo) line search for {@link BradleyTerryLoss}.
 *
 * <p>Why Newton: the loss is smooth and convex, and its Hessian is only #models × #models (a few hundred at
 * most for an arena), so each step is one small Cholesky solve; near the optimum Newton converges
 * quadratically, reaching a gradient norm of 1e-10 in a handful of iterations where a first-order method
 * (conjugate gradient, L-BFGS) would need hundreds and stop at a looser tolerance. The line search makes it
 * globally convergent on a convex function.
 *
 * <p>Without L2 the loss is invariant to a common shift of θ, so the Hessian H is singular along u = (1_n, 0), the
 * strengths' block of the parameters (the style coefficients γ and the Rao-Kupper α are not shifted). The step
 * solves {@code (H + s·uuᵀ) d = −g} instead: since {@code uᵀg = 0} and {@code uᵀH = 0}, its solution has
 * {@code uᵀd = 0} and {@code Hd = −g}, the minimum-norm Newton step; θ stays centred (mean 0). The fit starts at
 * {@link BradleyTerryLoss#start()}; a step that leaves the loss's domain (α ≤ 0 with ties) has value +∞ and is halved. Should the
 * matrix still be singular (a comparison graph in several pieces), a small ridge μI is added (Levenberg).
 */
final class NewtonSolver {
    static final double GRADIENT_TOLERANCE = 1e-10;
    static final int MAX_ITERATIONS = 100;
    private static final double ARMIJO = 1e-4;
    private static final double MIN_STEP = 1e-12;

    private NewtonSolver() {
    }

    /** Converged iff the gradient's Euclidean norm is below {@link #GRADIENT_TOLERANCE}. */
    record Fit(double[] theta, int iterations, boolean converged, double objective, double gradientNorm) {
    }

    static Fit minimise(BradleyTerryLoss loss) {
        double[] theta = loss.start();
        double value = loss.value(theta);
        double[] gradient = loss.gradient(theta);
        int iteration = 0;
        while (norm(gradient) >= GRADIENT_TOLERANCE && iteration < MAX_ITERATIONS) {
            double[] direction = newtonDirection(loss, theta, gradient);
            double slope = dot(gradient, direction);
            if (!(slope < 0)) {
                break;
            }
            double step = 1;
            double[] candidate = axpy(theta, step, direction);
            double candidateValue = loss.value(candidate);
            // Armijo: f(θ + t·d) ≤ f(θ) + c·t·gᵀd, with room for rounding once the decrease is below machine precision
            while (candidateValue > value + ARMIJO * step * slope + 1e-15 * Math.abs(value) && step > MIN_STEP) {
                step /= 2;
                candidate = axpy(theta, step, direction);
                candidateValue = loss.value(candidate);
            }
            if (step <= MIN_STEP) {
                break;
            }
            iteration++;
            theta = loss.l2() == 0 ? centred(candidate, loss.modelCount()) : candidate;
            value = loss.value(theta);
            gradient = loss.gradient(theta);
        }
        double gradientNorm = norm(gradient);
        return new Fit(theta, iteration, gradientNorm < GRADIENT_TOLERANCE, value, gradientNorm);
    }

    // d = −(H + s·uuᵀ + μI)⁻¹ g, u = (1_n, 0): the θ block; s = mean diagonal of H when λ = 0 (else 0), μ = 0 unless singular
    private static double[] newtonDirection(BradleyTerryLoss loss, double[] theta, double[] gradient) {
        double[][] hessian = loss.hessian(theta);
        int n = hessian.length;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += hessian[i][i];
        }
        double scale = trace > 0 ? trace / n : 1;
        if (loss.l2() == 0) {
            int models = loss.modelCount();
            for (int i = 0; i < models; i++) {
                for (int j = 0; j < models; j++) {
                    hessian[i][j] += scale;
                }
            }
        }
        double ridge = 0;
        while (true) {
            RealMatrix matrix = new Array2DRowRealMatrix(hessian, true);
            for (int i = 0; i < n; i++) {
                matrix.addToEntry(i, i, ridge);
            }
            try {
                double[] solution = new CholeskyDecomposition(matrix, 1e-12, 1e-12 * scale).getSolver()
                        .solve(new ArrayRealVector(gradient, false)).toArray();
                for (int i = 0; i < n; i++) {
                    solution[i] = -solution[i];
                }
                return solution;
            }
            catch (NonPositiveDefiniteMatrixException | org.apache.commons.math3.linear.NonSymmetricMatrixException e) {
                ridge = ridge == 0 ? 1e-10 * scale : ridge * 100;
            }
        }
    }

    /** The parameters with the first {@code models} entries (the strengths θ) shifted to mean 0; the rest (γ, α) as they are. */
    static double[] centred(double[] theta, int models) {
        double mean = 0;
        for (int i = 0; i < models; i++) {
            mean += theta[i];
        }
        mean /= models;
        double[] centred = theta.clone();
        for (int i = 0; i < models; i++) {
            centred[i] = theta[i] - mean;
        }
        return centred;
    }

    private static double[] axpy(double[] x, double t, double[] d) {
        double[] result = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            result[i] = x[i] + t * d[i];
        }
        return result;
    }

    private static double dot(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    static double norm(double[] v) {
        return Math.sqrt(BradleyTerryLoss.squaredNorm(v));
    }
}
