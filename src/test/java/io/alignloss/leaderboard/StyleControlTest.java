package io.alignloss.leaderboard;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Style control without Spark: the joint loss's derivatives, the recovery of strengths when length sways votes, the features. */
class StyleControlTest {
    private static final RatingScale CENTRED = new RatingScale(0, 400, 1000, Optional.empty());

    @Test
    void gradientAndHessianOfTheJointLossMatchFiniteDifferences() {
        Random random = new Random(3);
        Comparisons plain = Comparisons.of(BradleyTerryFitTest.roundRobin(7));
        double[][] style = new double[plain.size()][2];
        for (double[] row : style) {
            row[0] = random.nextGaussian();
            row[1] = random.nextGaussian();
        }
        Comparisons data = plain.withStyle(style, 2);
        for (Ties ties : Ties.values()) {
            for (double l2 : new double[] {0, 0.05}) {
                BradleyTerryLoss loss = new BradleyTerryLoss(data, l2, ties);
                assertThat(loss.dimension()).isEqualTo(data.modelCount() + 2 + (ties == Ties.RAO_KUPPER ? 1 : 0));
                double[] beta = new double[loss.dimension()];
                for (int i = 0; i < beta.length; i++) {
                    beta[i] = 0.5 * random.nextGaussian();
                }
                if (ties == Ties.RAO_KUPPER) {
                    beta[beta.length - 1] = 0.6; // α > 0
                }
                double[] gradient = loss.gradient(beta);
                double[][] hessian = loss.hessian(beta);
                double h = 1e-5;
                for (int i = 0; i < beta.length; i++) {
                    double[] plus = beta.clone();
                    double[] minus = beta.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    // central differences of f for the gradient, of the gradient for the Hessian
                    double numeric = (loss.value(plus) - loss.value(minus)) / (2 * h);
                    assertThat(gradient[i]).as("gradient %d, %s, l2 %s", i, ties, l2).isCloseTo(numeric, within(1e-8));
                    double[] gradientPlus = loss.gradient(plus);
                    double[] gradientMinus = loss.gradient(minus);
                    for (int j = 0; j < beta.length; j++) {
                        assertThat(hessian[i][j]).as("hessian %d,%d, %s, l2 %s", i, j, ties, l2)
                                .isCloseTo((gradientPlus[j] - gradientMinus[j]) / (2 * h), within(1e-7));
                    }
                }
            }
        }
    }

    /**
     * Battles where a tie has probability {@code tieShare}, else P(a beats b) = σ(θ_a − θ_b + 4·s),
     * s = (L_a − L_b)/(L_a + L_b), and the weaker models write longer.
     */
    private record LengthBiased(List<String> models, double[] theta, List<Outcome> outcomes, List<double[]> style) {
        static LengthBiased generate(int battles, long seed, double tieShare) {
            int n = 12;
            double[] theta = new double[n];
            double[] meanLength = new double[n];
            List<String> models = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                theta[i] = -1.1 + 2.2 * i / (n - 1);
                // verbosity falls with strength, with a zig-zag so that the order is not simply reversed
                meanLength[i] = 300 * Math.exp(-1.2 * theta[i] + (i % 2 == 0 ? 0.4 : -0.4));
                models.add(String.format("m%02d", i));
            }
            SplittableRandom random = new SplittableRandom(seed);
            List<Outcome> outcomes = new ArrayList<>();
            List<double[]> style = new ArrayList<>();
            for (int k = 0; k < battles; k++) {
                int a = random.nextInt(n);
                int b = (a + 1 + random.nextInt(n - 1)) % n;
                double lengthA = meanLength[a] * Math.exp(0.3 * gaussian(random));
                double lengthB = meanLength[b] * Math.exp(0.3 * gaussian(random));
                double s = (lengthA - lengthB) / (lengthA + lengthB);
                double margin = theta[a] - theta[b] + 4 * s;
                Winner winner = random.nextDouble() < tieShare ? Winner.TIE
                        : random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? Winner.MODEL_A : Winner.MODEL_B;
                outcomes.add(new Outcome(models.get(a), models.get(b), winner, 1));
                style.add(new double[] {s});
            }
            return new LengthBiased(models, theta, outcomes, style);
        }

        private static double gaussian(SplittableRandom random) {
            // Box-Muller
            return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
    }

    @Test
    void controlledRatingsFollowTheTrueStrengthsWhereRawOnesFollowLength() {
        // no ties: with ties as half a win of a margin-free 10% share, the fitted slopes would shrink (γ and θ alike)
        LengthBiased battles = LengthBiased.generate(12_000, 5, 0);
        Comparisons raw = Comparisons.of(StyleControl.merged(battles.outcomes()));
        Comparisons perBattle = Comparisons.of(battles.outcomes());
        Standardisation standardisation = Standardisation.of(List.of("length"), battles.style(), perBattle.count);
        Comparisons controlled = perBattle.withStyle(standardisation.apply(battles.style()), 1);

        RatingFitter.Ratings rawRatings = RatingFitter.fit(raw, CENTRED);
        RatingFitter.Ratings controlledRatings = RatingFitter.fit(controlled, CENTRED);
        assertThat(controlledRatings.fit().converged()).isTrue();
        assertThat(raw.models).isEqualTo(battles.models());
        double rawSpearman = spearman(rawRatings.ratings(), battles.theta());
        double controlledSpearman = spearman(controlledRatings.ratings(), battles.theta());
        assertThat(controlledSpearman).as("controlled (raw %.3f)", rawSpearman).isGreaterThanOrEqualTo(0.95);
        assertThat(rawSpearman).as("raw").isLessThan(0.5);
        // γ is per standard deviation of s: γ/sd recovers the 4 of the generator
        double gamma = controlledRatings.coefficients().gamma()[0];
        assertThat(gamma / standardisation.sd()[0]).isCloseTo(4, within(0.4));
    }

    // Spearman's ρ: Pearson's correlation of the ranks (no tied values here)
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mean = (x.length - 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mean) * (ry[i] - mean);
            sxx += (rx[i] - mean) * (rx[i] - mean);
            syy += (ry[i] - mean) * (ry[i] - mean);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));
        double[] ranks = new double[values.length];
        for (int r = 0; r < order.length; r++) {
            ranks[order[r]] = r;
        }
        return ranks;
    }

    @Test
    void standardisationIsTheWeightedZScoreAndLeavesOutAConstantFeature() {
        // values 1 (count 1), −1 (count 3): mean −0.5, sd √((1.5² + 3·0.5²)/4) = √0.75
        List<double[]> style = List.of(new double[] {1, 0.2}, new double[] {-1, 0.2});
        Standardisation standardisation = Standardisation.of(List.of("length", "markdown_bold"), style, new double[] {1, 3});
        assertThat(standardisation.mean()).containsExactly(new double[] {-0.5, 0.2}, within(1e-15));
        assertThat(standardisation.sd()[0]).isCloseTo(Math.sqrt(0.75), within(1e-15));
        assertThat(standardisation.sd()[1]).isCloseTo(0, within(1e-15));
        assertThat(standardisation.kept()).containsExactly(0);
        double[][] applied = standardisation.apply(style);
        assertThat(applied[0]).containsExactly(new double[] {1.5 / Math.sqrt(0.75)}, within(1e-12));
        assertThat(applied[1]).containsExactly(new double[] {-0.5 / Math.sqrt(0.75)}, within(1e-12));
    }

    @Test
    void textFeaturesCountTokensHeadersListItemsAndBoldOutsideCode() {
        String text = "# Title\nSome **bold** text and __more__.\n## Part\n1. first\n  - nested\n* star item\n"
                + "```\n# not a header\n- not an item **nor bold**\n```\n#no space\n**open";
        assertThat(TextStyle.MARKDOWN_HEADERS.count(text)).isEqualTo(2);
        assertThat(TextStyle.MARKDOWN_LIST_ITEMS.count(text)).isEqualTo(3);
        assertThat(TextStyle.MARKDOWN_BOLD.count(text)).isEqualTo(2);
        int tokens = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(text);
        assertThat(TextStyle.LENGTH.count(text)).isEqualTo(tokens);
        assertThat(TextStyle.LENGTH.count("")).isZero();
        assertThat(TextStyle.named("markdown")).contains(List.of(TextStyle.MARKDOWN_HEADERS, TextStyle.MARKDOWN_LIST_ITEMS,
                TextStyle.MARKDOWN_BOLD));
        assertThat(TextStyle.named("length")).contains(List.of(TextStyle.LENGTH));
        assertThat(TextStyle.named("emoji")).isEmpty();
    }
}
