package io.alignloss.model;

import io.alignloss.optim.Evaluation;
import io.alignloss.optim.TrainingLoss;
import io.alignloss.stats.EffectiveSampleSize;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.alignloss.optim.Vectors.dot;

/**
 * The negative off-policy estimate of a linear softmax policy's expected utility from logged data, for
 * training ({@code train.objective-estimator = ips | snips}). Each prompt x (weight ω_x) has its candidates
 * y with features f(x, y); on a logged candidate a the behaviour policy's probability b_a and the utility
 * U_a were recorded. With {@code w_a = π_θ(a|x) / b_a}, {@code N = Σ ω·w·U}, {@code D = Σ ω·w}, {@code n = Σ ω}:
 * <pre>
 *   IPS:   L(θ) = −N / n + (λ/2)·||θ||²      ∇L = −Σ ω·w·U·(f_a − f̄_x) / n + λ·θ
 *   SNIPS: L(θ) = −N / D + (λ/2)·||θ||²      ∇L = −Σ ω·w·(U − V)·(f_a − f̄_x) / D + λ·θ,   V = N / D
 * </pre>
 * since {@code ∇π(a|x) = π(a|x)·(f_a − f̄_x)} with {@code f̄_x = Σ_y π(y|x)·f(x, y)}. Minimising the loss
 * maximises the estimate; as in {@link PolicyLoss} no option flips the sign.
 */
public final class LoggedPolicyLoss implements TrainingLoss {
    private final JavaRDD<PolicyBlock> blocks;
    private final int dimension;
    private final double l2;
    private final boolean selfNormalised;
    private final int depth;
    private final double batchFraction;
    private final long seed;

    public LoggedPolicyLoss(JavaRDD<PolicyBlock> blocks, int dimension, double l2, boolean selfNormalised, int depth, double batchFraction,
            long seed) {
        this.blocks = blocks;
        this.dimension = dimension;
        this.l2 = l2;
        this.selfNormalised = selfNormalised;
        this.depth = depth;
        this.batchFraction = batchFraction;
        this.seed = seed;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Evaluation evaluate(double[] x) {
        return objective(x, aggregate(x, true, null), l2, selfNormalised);
    }

    @Override
    public Evaluation evaluateBatch(double[] x, long iteration) {
        return objective(x, aggregate(x, true, PairLossAggregate.RowFilter.miniBatch(seed, iteration, batchFraction)), l2, selfNormalised);
    }

    /** The estimates at x without gradient, for reporting. */
    public Map<String, Object> measure(double[] x) {
        return aggregate(x, false, null).figures(selfNormalised);
    }

    /** The same objective on blocks held on the driver (tests). */
    public static Evaluation local(List<PolicyBlock> blocks, double[] x, double l2, boolean selfNormalised) {
        Sums sums = new Sums(x.length);
        for (PolicyBlock block : blocks) {
            sums.add(block, x, true, null);
        }
        return objective(x, sums, l2, selfNormalised);
    }

    private static Evaluation objective(double[] x, Sums sums, double l2, boolean selfNormalised) {
        int d = x.length;
        double[] gradient = new double[d];
        double estimate = sums.estimate(selfNormalised);
        double value = 0;
        if (Double.isFinite(estimate)) {
            value = -estimate;
            if (selfNormalised) {
                // ∇L = −(G_U − V·G_1) / D
                for (int j = 0; j < d; j++) {
                    gradient[j] = -(sums.gradientU[j] - estimate * sums.gradientOne[j]) / sums.weighted;
                }
            }
            else {
                // ∇L = −G_U / n
                for (int j = 0; j < d; j++) {
                    gradient[j] = -sums.gradientU[j] / sums.weightSum;
                }
            }
        }
        value += l2 / 2 * dot(x, x);
        for (int j = 0; j < d; j++) {
            gradient[j] += l2 * x[j];
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("mean_utility", estimate);
        figures.put("loss", -estimate);
        figures.put("ips", sums.estimate(false));
        figures.put("snips", sums.estimate(true));
        figures.put("prompts", (double) sums.prompts);
        return new Evaluation(value, gradient, figures);
    }

    private Sums aggregate(double[] x, boolean withGradient, PairLossAggregate.RowFilter filter) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<double[]> theta = context.broadcast(x);
        int d = dimension;
        try {
            return blocks.treeAggregate(new Sums(d), (sums, block) -> sums.add(block, theta.value(), withGradient, filter), Sums::merge, depth);
        }
        finally {
            theta.destroy();
        }
    }

    /**
     * Running sums over logged candidates: n = Σ ω, D = Σ ω·w, Q = Σ (ω·w)², N = Σ ω·w·U and the gradient sums
     * G_U = Σ ω·w·U·(f_a − f̄), G_1 = Σ ω·w·(f_a − f̄).
     */
    static final class Sums implements Serializable {
        private final int dimension;
        private double[] gradientU;
        private double[] gradientOne;
        private double weightSum;
        private double weighted;
        private double squares;
        private double numerator;
        private long prompts;
        private long logged;

        Sums(int dimension) {
            this.dimension = dimension;
        }

        Sums add(PolicyBlock block, double[] theta, boolean withGradient, PairLossAggregate.RowFilter filter) {
            if (withGradient && gradientU == null) {
                gradientU = new double[dimension];
                gradientOne = new double[dimension];
            }
            double[] logP = new double[0];
            for (int s = 0; s < block.size(); s++) {
                double omega = block.weight[s];
                if (omega == 0 || (filter != null && !filter.keep(block.hash[s]))) {
                    continue;
                }
                int start = block.starts[s];
                int m = block.starts[s + 1] - start;
                boolean any = false;
                for (int j = 0; j < m; j++) {
                    any |= !Double.isNaN(block.behavior[start + j]);
                }
                if (!any) {
                    continue;
                }
                if (logP.length < m) {
                    logP = new double[Math.max(m, 2 * logP.length)];
                }
                // log π_j = s_j − logsumexp(s)
                double logZ = block.scores(s, theta, logP);
                for (int j = 0; j < m; j++) {
                    logP[j] -= logZ;
                }
                prompts++;
                double alphaU = 0;
                double alphaOne = 0;
                for (int a = 0; a < m; a++) {
                    double b = block.behavior[start + a];
                    if (Double.isNaN(b)) {
                        continue;
                    }
                    // w = π_a / b_a = exp(log π_a − log b_a)
                    double w = Math.exp(logP[a] - Math.log(b));
                    double u = block.utility[start + a];
                    weightSum += omega;
                    weighted += omega * w;
                    squares += EffectiveSampleSize.square(w, omega);
                    numerator += omega * w * u;
                    logged++;
                    if (withGradient) {
                        // + c·f_a now, − c·f̄ below (summed over the set's logged candidates)
                        block.features.addTo(start + a, omega * w * u, gradientU);
                        block.features.addTo(start + a, omega * w, gradientOne);
                        alphaU += omega * w * u;
                        alphaOne += omega * w;
                    }
                }
                if (withGradient && (alphaU != 0 || alphaOne != 0)) {
                    for (int j = 0; j < m; j++) {
                        double p = Math.exp(logP[j]);
                        block.features.addTo(start + j, -alphaU * p, gradientU);
                        block.features.addTo(start + j, -alphaOne * p, gradientOne);
                    }
                }
            }
            return this;
        }

        Sums merge(Sums other) {
            if (other.gradientU != null) {
                if (gradientU == null) {
                    gradientU = other.gradientU.clone();
                    gradientOne = other.gradientOne.clone();
                }
                else {
                    for (int j = 0; j < dimension; j++) {
                        gradientU[j] += other.gradientU[j];
                        gradientOne[j] += other.gradientOne[j];
                    }
                }
            }
            weightSum += other.weightSum;
            weighted += other.weighted;
            squares += other.squares;
            numerator += other.numerator;
            prompts += other.prompts;
            logged += other.logged;
            return this;
        }

        // IPS = N / n; SNIPS = N / D; NaN when the denominator is 0
        double estimate(boolean selfNormalised) {
            double denominator = selfNormalised ? weighted : weightSum;
            return denominator > 0 ? numerator / denominator : Double.NaN;
        }

        // ess = Kish's (Σ ω·w)² / Σ (ω·w)²
        Map<String, Object> figures(boolean selfNormalised) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("prompts", prompts);
            figures.put("logged", logged);
            figures.put("weight_sum", weightSum);
            double estimate = estimate(selfNormalised);
            figures.put("mean_utility", io.alignloss.summary.Json.number(estimate));
            figures.put("loss", io.alignloss.summary.Json.number(-estimate));
            figures.put("ips", io.alignloss.summary.Json.number(estimate(false)));
            figures.put("snips", io.alignloss.summary.Json.number(estimate(true)));
            figures.put("ess", io.alignloss.summary.Json.number(new EffectiveSampleSize(weighted, squares).value()));
            return figures;
        }
    }
}
