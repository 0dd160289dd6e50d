package io.alignloss.objective.expectedutility;

import io.alignloss.model.PolicyBlock;
import io.alignloss.optim.Evaluation;
import io.alignloss.optim.LossAggregator;
import io.alignloss.optim.MiniBatch;
import io.alignloss.optim.RegularizedLoss;
import io.alignloss.optim.Vectors;
import io.alignloss.optim.spark.DistributedLoss;
import io.alignloss.optim.spark.DistributedTrainingLoss;
import io.alignloss.stats.EffectiveSampleSize;
import io.alignloss.summary.Json;
import org.apache.spark.api.java.JavaRDD;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The negative off-policy estimate of a linear softmax policy's expected utility from logged data, for
 * training ({@code train.objective-estimator = ips | snips}). Each prompt x (weight ω_x) has its candidates
 * y with features f(x, y); on a logged candidate a the behaviour policy's probability b_a and the utility
 * U_a were recorded. With {@code w_a = π_θ(a|x) / b_a}, {@code N = Σ ω·w·U}, {@code D = Σ ω·w}, {@code n = Σ ω}
 * (the estimators of {@link OffPolicyEstimators}):
 * <pre>
 *   IPS:   L(θ) = −N / n + (λ/2)·||θ||²      ∇L = −Σ ω·w·U·(f_a − f̄_x) / n + λ·θ
 *   SNIPS: L(θ) = −N / D + (λ/2)·||θ||²      ∇L = −Σ ω·w·(U − V)·(f_a − f̄_x) / D + λ·θ,   V = N / D
 * </pre>
 * since {@code ∇π(a|x) = π(a|x)·(f_a − f̄_x)} with {@code f̄_x = Σ_y π(y|x)·f(x, y)}. Minimising the loss
 * maximises the estimate; as in {@link PolicyLoss} no option flips the sign. It is computed by a
 * {@link DistributedLoss} with λ = l2 on the mean loss ({@code L2Regularizer(λ, MEAN)}), the estimate's
 * denominator (n or D) as the aggregator's weight.
 */
public final class LoggedPolicyLoss extends DistributedTrainingLoss<PolicyBlock, double[], LoggedPolicyLoss.Sums> {
    private final boolean selfNormalised;

    public LoggedPolicyLoss(JavaRDD<PolicyBlock> blocks, int dimension, double l2, boolean selfNormalised, int depth, double batchFraction,
            long seed) {
        super(new DistributedLoss<>(blocks, dimension, Function.identity(),
                (theta, withGradient, batch) -> new Sums(dimension, selfNormalised, theta, withGradient, batch), RegularizedLoss.meanL2(l2),
                LoggedPolicyLoss::figures, depth, batchFraction, seed));
        this.selfNormalised = selfNormalised;
    }

    /** The estimates at x without gradient, for reporting. */
    public Map<String, Object> measure(double[] x) {
        return sums(x).figures(selfNormalised);
    }

    /** The same objective on blocks held on the driver (tests). */
    public static Evaluation local(List<PolicyBlock> blocks, double[] x, double l2, boolean selfNormalised) {
        Sums sums = new Sums(x.length, selfNormalised, x, true, null).addAll(blocks);
        return RegularizedLoss.meanL2(l2).evaluate(x, sums, 1.0, figures(sums));
    }

    private static Map<String, Double> figures(Sums sums) {
        double estimate = sums.estimate(sums.selfNormalised);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("mean_utility", estimate);
        figures.put("loss", -estimate);
        figures.put("ips", sums.estimate(false));
        figures.put("snips", sums.estimate(true));
        figures.put("prompts", (double) sums.prompts);
        return figures;
    }

    /**
     * Running sums over logged candidates: n = Σ ω, D = Σ ω·w, Q = Σ (ω·w)², N = Σ ω·w·U and the gradient sums
     * G_U = Σ ω·w·U·(f_a − f̄), G_1 = Σ ω·w·(f_a − f̄). As a {@link LossAggregator} its weight is the estimate's
     * denominator (n for IPS, D for SNIPS) and its loss sum −N, so {@code loss() = −N / n} or {@code −N / D}.
     */
    static final class Sums extends CandidateSetSums<Sums> {
        private final boolean selfNormalised;
        private double[] gradientU;
        private double[] gradientOne;
        private double promptWeight;
        private double weighted;
        private double squares;
        private double numerator;
        private long prompts;
        private long logged;

        /** Sums to which blocks are added with {@link #add(PolicyBlock, double[], boolean, MiniBatch)}. */
        Sums(int dimension) {
            this(dimension, false, null, false, null);
        }

        /** Sums of an IPS or SNIPS loss at θ, to which {@link #add(PolicyBlock)} adds the sets {@code batch} keeps. */
        Sums(int dimension, boolean selfNormalised, double[] theta, boolean withGradient, MiniBatch batch) {
            super(dimension, theta, withGradient, batch);
            this.selfNormalised = selfNormalised;
        }

        @Override
        String kind() {
            return "logged-policy";
        }

        @Override
        void startGradient() {
            if (gradientU == null) {
                gradientU = new double[dimension];
                gradientOne = new double[dimension];
            }
        }

        /** Only sets with a logged candidate (a behaviour probability) enter the estimate. */
        @Override
        boolean counts(PolicyBlock block, int start, int m) {
            boolean any = false;
            for (int j = 0; j < m; j++) {
                any |= !Double.isNaN(block.behavior(start + j));
            }
            return any;
        }

        @Override
        void addSet(PolicyBlock block, int start, int m, double omega, double[] logP, boolean withGradient) {
            double[] utility = block.utilities();
            prompts++;
            double alphaU = 0;
            double alphaOne = 0;
            for (int a = 0; a < m; a++) {
                double b = block.behavior(start + a);
                if (Double.isNaN(b)) {
                    continue;
                }
                double w = OffPolicyEstimators.importanceWeightFromLog(logP[a], b);
                double u = utility[start + a];
                promptWeight += omega;
                weighted += omega * w;
                squares += EffectiveSampleSize.square(w, omega);
                numerator += omega * w * u;
                logged++;
                if (withGradient) {
                    // + c·f_a now, − c·f̄ below (summed over the set's logged candidates)
                    block.features().addTo(start + a, omega * w * u, gradientU);
                    block.features().addTo(start + a, omega * w, gradientOne);
                    alphaU += omega * w * u;
                    alphaOne += omega * w;
                }
            }
            if (withGradient && (alphaU != 0 || alphaOne != 0)) {
                for (int j = 0; j < m; j++) {
                    double p = Math.exp(logP[j]);
                    block.features().addTo(start + j, -alphaU * p, gradientU);
                    block.features().addTo(start + j, -alphaOne * p, gradientOne);
                }
            }
        }

        @Override
        public Sums merge(Sums other) {
            gradientU = Vectors.addInto(gradientU, other.gradientU);
            gradientOne = Vectors.addInto(gradientOne, other.gradientOne);
            promptWeight += other.promptWeight;
            weighted += other.weighted;
            squares += other.squares;
            numerator += other.numerator;
            prompts += other.prompts;
            logged += other.logged;
            return this;
        }

        /** n (IPS) or D (SNIPS). */
        @Override
        public double weightSum() {
            return selfNormalised ? weighted : promptWeight;
        }

        /** −N. */
        @Override
        public double lossSum() {
            return -numerator;
        }

        /** IPS: −G_U; SNIPS: −(G_U − V·G_1), V = N / D (zeros when nothing was added). */
        @Override
        public double[] gradientSum() {
            double[] sum = new double[dimension];
            if (gradientU == null || !(weightSum() > 0)) {
                return sum;
            }
            double estimate = estimate(selfNormalised);
            for (int j = 0; j < dimension; j++) {
                sum[j] = selfNormalised ? -(gradientU[j] - estimate * gradientOne[j]) : -gradientU[j];
            }
            return sum;
        }

        // IPS = N / n; SNIPS = N / D; NaN when the denominator is 0
        double estimate(boolean selfNormalised) {
            return selfNormalised ? OffPolicyEstimators.snips(numerator, weighted) : OffPolicyEstimators.ips(numerator, promptWeight);
        }

        // ess = Kish's (Σ ω·w)² / Σ (ω·w)²
        Map<String, Object> figures(boolean selfNormalised) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("prompts", prompts);
            figures.put("logged", logged);
            figures.put("weight_sum", promptWeight);
            double estimate = estimate(selfNormalised);
            figures.put("mean_utility", Json.number(estimate));
            figures.put("loss", Json.number(-estimate));
            figures.put("ips", Json.number(estimate(false)));
            figures.put("snips", Json.number(estimate(true)));
            figures.put("ess", Json.number(new EffectiveSampleSize(weighted, squares).value()));
            return figures;
        }
    }
}
