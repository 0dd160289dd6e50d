package io.alignloss.leaderboard;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Rao-Kupper tie model: its probabilities against the formula in π and ν, its derivatives, and its fit. */
class RaoKupperTest {
    private static final RatingScale CENTRED = new RatingScale(0, 400, 1000, Optional.empty());

    @Test
    void lossIsMinusTheLogOfTheRaoKupperProbabilitiesWhichSumToOne() {
        for (double piA : new double[] {0.2, 1, 3.5}) {
            for (double piB : new double[] {0.05, 1, 7}) {
                for (double nu : new double[] {1.01, 1.5, 4}) {
                    double margin = Math.log(piA) - Math.log(piB);
                    double alpha = Math.log(nu);
                    // the formulas of Rao and Kupper (1967) as written, in π and ν
                    double aWins = piA / (piA + nu * piB);
                    double bWins = piB / (piB + nu * piA);
                    double tie = (nu * nu - 1) * piA * piB / ((piA + nu * piB) * (piB + nu * piA));
                    assertThat(aWins + bWins + tie).isCloseTo(1, within(1e-12));
                    assertThat(Math.exp(-RaoKupper.loss(margin, alpha, 1))).isCloseTo(aWins, within(1e-12));
                    assertThat(Math.exp(-RaoKupper.loss(margin, alpha, 0))).isCloseTo(bWins, within(1e-12));
                    assertThat(Math.exp(-RaoKupper.loss(margin, alpha, 0.5))).isCloseTo(tie, within(1e-12));
                }
            }
        }
        assertThat(RaoKupper.loss(0.3, 0, 0.5)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(RaoKupper.loss(0.3, -0.1, 0.5)).isEqualTo(Double.POSITIVE_INFINITY);
        // tiny α: ln(ν² − 1) ≈ ln 2α stays accurate (no cancellation in e^2α − 1)
        assertThat(RaoKupper.logNuSquaredMinusOne(1e-12)).isCloseTo(Math.log(2e-12), within(1e-9));
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        double h = 1e-5;
        for (double label : new double[] {0, 0.5, 1}) {
            for (double margin : new double[] {-3, -0.4, 0, 0.7, 5}) {
                for (double alpha : new double[] {0.05, 0.4, 2}) {
                    RaoKupper.Derivatives at = RaoKupper.derivatives(margin, alpha, label);
                    double ld = (RaoKupper.loss(margin + h, alpha, label) - RaoKupper.loss(margin - h, alpha, label)) / (2 * h);
                    double la = (RaoKupper.loss(margin, alpha + h, label) - RaoKupper.loss(margin, alpha - h, label)) / (2 * h);
                    String where = "y " + label + ", d " + margin + ", α " + alpha;
                    assertThat(at.d()).as("ℓ_d, %s", where).isCloseTo(ld, within(1e-7 * (1 + Math.abs(ld))));
                    assertThat(at.alpha()).as("ℓ_α, %s", where).isCloseTo(la, within(1e-7 * (1 + Math.abs(la))));
                    RaoKupper.Derivatives dPlus = RaoKupper.derivatives(margin + h, alpha, label);
                    RaoKupper.Derivatives dMinus = RaoKupper.derivatives(margin - h, alpha, label);
                    RaoKupper.Derivatives aPlus = RaoKupper.derivatives(margin, alpha + h, label);
                    RaoKupper.Derivatives aMinus = RaoKupper.derivatives(margin, alpha - h, label);
                    assertThat(at.dd()).as("ℓ_dd, %s", where).isCloseTo((dPlus.d() - dMinus.d()) / (2 * h), within(1e-6));
                    assertThat(at.dAlpha()).as("ℓ_dα, %s", where).isCloseTo((dPlus.alpha() - dMinus.alpha()) / (2 * h), within(1e-6));
                    assertThat(at.dAlpha()).as("ℓ_αd, %s", where).isCloseTo((aPlus.d() - aMinus.d()) / (2 * h), within(1e-6));
                    double laa = (aPlus.alpha() - aMinus.alpha()) / (2 * h);
                    assertThat(at.alphaAlpha()).as("ℓ_αα, %s", where).isCloseTo(laa, within(1e-6 * (1 + Math.abs(laa))));
                }
            }
        }
    }

    @Test
    void twoModelsFitTheObservedSharesExactly() {
        // two models, W wins of a, L wins of b, T ties: the model is saturated, so σ(d − α) = W/N and σ(−d − α) = L/N,
        // d = (logit(W/N) − logit(L/N))/2, α = −(logit(W/N) + logit(L/N))/2
        long wins = 50;
        long losses = 30;
        long ties = 20;
        List<Outcome> outcomes = List.of(new Outcome("a", "b", Winner.MODEL_A, wins), new Outcome("a", "b", Winner.MODEL_B, losses),
                new Outcome("b", "a", Winner.TIE, 15), new Outcome("a", "b", Winner.TIE_BOTH_BAD, 5));
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(outcomes), CENTRED, Ties.RAO_KUPPER);
        double n = wins + losses + ties;
        double logitWin = Math.log(wins / (n - wins));
        double logitLoss = Math.log(losses / (n - losses));
        double gap = (logitWin - logitLoss) / 2;
        double nu = Math.exp(-(logitWin + logitLoss) / 2);
        assertThat(ratings.fit().converged()).isTrue();
        assertThat(ratings.coefficients().nu()).isCloseTo(nu, within(1e-9));
        assertThat(ratings.ratings()[0] - ratings.ratings()[1]).isCloseTo(400 * gap / Math.log(10), within(1e-7));
        assertThat(ratings.warnings()).isEmpty();
    }

    @Test
    void fitRecoversAKnownNuAndStrengthsFromGeneratedBattles() {
        double[] theta = {-1.2, -0.5, 0, 0.3, 0.6, 0.8};
        double nu = 1.8;
        List<String> models = List.of("m0", "m1", "m2", "m3", "m4", "m5");
        SplittableRandom random = new SplittableRandom(17);
        List<Outcome> outcomes = new ArrayList<>();
        for (int battle = 0; battle < 30_000; battle++) {
            int a = random.nextInt(theta.length);
            int b = (a + 1 + random.nextInt(theta.length - 1)) % theta.length;
            double piA = Math.exp(theta[a]);
            double piB = Math.exp(theta[b]);
            double u = random.nextDouble();
            double aWins = piA / (piA + nu * piB);
            double bWins = piB / (piB + nu * piA);
            Winner winner = u < aWins ? Winner.MODEL_A : u < aWins + bWins ? Winner.MODEL_B : Winner.TIE;
            outcomes.add(new Outcome(models.get(a), models.get(b), winner, 1));
        }
        RatingFitter.Ratings ratings = RatingFitter.fit(Comparisons.of(StyleControl.merged(outcomes)), CENTRED, Ties.RAO_KUPPER);
        assertThat(ratings.fit().converged()).isTrue();
        // about 10,000 battles per model: standard errors near 0.02 for θ and ν
        assertThat(ratings.coefficients().nu()).isCloseTo(nu, within(0.06));
        double mean = java.util.Arrays.stream(theta).average().orElseThrow();
        for (int i = 0; i < theta.length; i++) {
            double fitted = new RatingScale(0, 400, 1000, Optional.empty()).theta(ratings.ratings()[i]);
            assertThat(fitted).as("θ of %s", models.get(i)).isCloseTo(theta[i] - mean, within(0.08));
        }
        // the default (a tie is half a win) squeezes the strengths towards each other: a Rao-Kupper tie moves d less
        RatingFitter.Ratings half = RatingFitter.fit(Comparisons.of(StyleControl.merged(outcomes)), CENTRED);
        assertThat(half.ratings()[5] - half.ratings()[0]).isLessThan(ratings.ratings()[5] - ratings.ratings()[0]);
        assertThat(half.coefficients().nu()).isNaN();
    }

    @Test
    void withoutTiesNuIsOneAndTheRatingsAreTheBradleyTerryOnes() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Outcome outcome : BradleyTerryFitTest.roundRobin(5)) {
            if (outcome.winner() == Winner.MODEL_A || outcome.winner() == Winner.MODEL_B) {
                outcomes.add(outcome);
            }
        }
        Comparisons data = Comparisons.of(outcomes);
        RatingFitter.Ratings raoKupper = RatingFitter.fit(data, CENTRED, Ties.RAO_KUPPER);
        RatingFitter.Ratings plain = RatingFitter.fit(data, CENTRED);
        assertThat(raoKupper.coefficients().nu()).isEqualTo(1.0);
        assertThat(raoKupper.ratings()).containsExactly(plain.ratings(), within(1e-9));
        assertThat(raoKupper.warnings()).singleElement().asString().contains("the Rao-Kupper ν is 1");
    }

    @Test
    void bootstrapGivesNuAnIntervalAroundItsEstimate() {
        Comparisons data = Comparisons.of(BradleyTerryFitTest.roundRobin(5));
        RatingFitter.Ratings point = RatingFitter.fit(data, CENTRED, Ties.RAO_KUPPER);
        Bootstrap.Intervals intervals = Bootstrap.run(data, CENTRED, Ties.RAO_KUPPER, 40, 42);
        assertThat(intervals.nuLower()).isGreaterThanOrEqualTo(1).isLessThan(point.coefficients().nu());
        assertThat(intervals.nuUpper()).isGreaterThan(point.coefficients().nu());
    }
}
