package io.alignloss.objective.bradleyterry;

/**
 * The Bradley-Terry loss of one comparison, written once (Bradley and Terry 1952; Ouyang et al. 2022, eq. 1),
 * in plain Java so the training aggregator, the leaderboard fit, the benchmarks and the tests all use it.
 * {@link BradleyTerryColumns} is the same formula as Spark {@code Column}s.
 *
 * <p>With margin {@code m} (the chosen reward minus the rejected one, or θ_a − θ_b on a leaderboard) and
 * label {@code y ∈ [0, 1]}, the probability that the first side is preferred ({@value #TIE} a tie):
 * <pre>
 *   ℓ(m, y)   = −(y·log σ(m) + (1 − y)·log σ(−m)) = y·softplus(−m) + (1 − y)·softplus(m)
 *   ∂ℓ/∂m     = σ(m) − y
 *   ∂²ℓ/∂m²   = σ(m)·σ(−m)
 * </pre>
 * The loss is evaluated with one softplus through {@code softplus(m) = softplus(−m) + m}:
 * {@code y ≥ ½: softplus(−m) + (1 − y)·m}, {@code y < ½: softplus(m) − y·m}. This is exact for the hard
 * labels 0 and 1 (no {@code 0·∞} and no cancellation) and finite for every finite margin.
 */
public final class BradleyTerry {
    /** The label of a tie: each side preferred with probability ½. */
    public static final double TIE = 0.5;

    private BradleyTerry() {
    }

    /** {@code ℓ(m, y) = y·softplus(−m) + (1 − y)·softplus(m)}, with one softplus (see the class comment). */
    public static double loss(double margin, double label) {
        return label >= TIE ? softplus(-margin) + (1 - label) * margin : softplus(margin) - label * margin;
    }

    /** {@code ∂ℓ/∂m = σ(m) − y}. */
    public static double derivative(double margin, double label) {
        return sigmoid(margin) - label;
    }

    /**
     * {@code ∂²ℓ/∂m² = σ(m)·σ(−m) = e^−|m| / (1 + e^−|m|)²}, the same for every label; the second form keeps
     * its precision where {@code σ(m)·(1 − σ(m))} rounds to 0 (|m| ≳ 37).
     */
    public static double curvature(double margin) {
        double e = Math.exp(-Math.abs(margin));
        double onePlus = 1 + e;
        return e / (onePlus * onePlus);
    }

    /** {@code σ(m) = 1 / (1 + e^−m)}, evaluated as {@code e^m / (1 + e^m)} for m < 0 so neither side overflows. */
    public static double sigmoid(double margin) {
        if (margin >= 0) {
            return 1 / (1 + Math.exp(-margin));
        }
        double e = Math.exp(margin);
        return e / (1 + e);
    }

    /** {@code softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|)}: never overflows, exact for large |z|. */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** A comparison with a preference (label ≠ ½); ties take no part in accuracy. */
    public static boolean decided(double label) {
        return label != TIE;
    }

    /** The margin has the label's sign: {@code m > 0} when y > ½, {@code m < 0} when y < ½; false for ties. */
    public static boolean correct(double margin, double label) {
        return (label > TIE && margin > 0) || (label < TIE && margin < 0);
    }
}
