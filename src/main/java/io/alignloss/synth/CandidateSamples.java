package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.alignloss.synth.Draws.boxed;
import static io.alignloss.synth.Draws.clamp;
import static io.alignloss.synth.Draws.embedding;
import static io.alignloss.synth.Draws.format;
import static io.alignloss.synth.Draws.gaussian;
import static io.alignloss.synth.Draws.perPrompt;
import static io.alignloss.synth.Draws.pick;
import static io.alignloss.synth.Draws.prompt;
import static io.alignloss.synth.Draws.round;
import static io.alignloss.synth.Draws.text;
import static io.alignloss.synth.Population.DOMAINS;
import static io.alignloss.synth.Population.LANGUAGES;
import static io.alignloss.synth.Population.LANGUAGE_SHARES;
import static io.alignloss.synth.SampleData.CANDIDATE_DIMENSION;

/**
 * Candidate sets for expected-utility policies, and logged data of a near-uniform behaviour policy over such sets:
 * embeddings, scores along hidden helpfulness and harmfulness directions, softmax policies.
 */
final class CandidateSamples {
    /** Fewest and most candidates per prompt. */
    private static final int MIN_CANDIDATES = 2;
    private static final int MAX_CANDIDATES = 5;

    /** Inverse temperatures of the logged behaviour policy (near uniform) and of the target policy. */
    private static final double BEHAVIOR_SHARPNESS = 0.3;
    private static final double TARGET_SHARPNESS = 1.0;

    private CandidateSamples() {
    }

    static List<Row> candidates(int prompts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(random);
        return perPrompt(random, prompts, LANGUAGE_SHARES, (x, language, domain, rows) -> {
            String promptId = format("x%06d", x);
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = candidateCount(random);
            for (int y = 0; y < k; y++) {
                float[] e = embedding(random, CANDIDATE_DIMENSION, language);
                double[] scores = candidateScores(random, directions, e, domain);
                rows.add(RowFactory.create(promptId + "-" + y, promptId, prompt, text(random, "Assistant:", 8, 60), boxed(e),
                        round(scores[0]), round(scores[1]), LANGUAGES[language], DOMAINS[domain]));
            }
        });
    }

    static List<Row> logged(int prompts, long seed, long candidateSeed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(new SplittableRandom(candidateSeed));
        double[] behavior = new double[CANDIDATE_DIMENSION];
        double[] target = new double[CANDIDATE_DIMENSION];
        for (int j = 0; j < CANDIDATE_DIMENSION; j++) {
            behavior[j] = BEHAVIOR_SHARPNESS * gaussian(random);
            target[j] = TARGET_SHARPNESS * (0.8 * directions[0][j] - 0.2 * directions[1][j]);
        }
        return perPrompt(random, prompts, LANGUAGE_SHARES, (x, language, domain, rows) -> {
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = candidateCount(random);
            float[][] e = candidateEmbeddings(random, k, language);
            double[] behaviorProbs = softmax(e, behavior);
            double[] targetProbs = softmax(e, target);
            int shown = pick(random, behaviorProbs);
            double[] scores = candidateScores(random, directions, e[shown], domain);
            rows.add(RowFactory.create(format("l%06d", x), format("x%06d", x), prompt, text(random, "Assistant:", 8, 60),
                    round(scores[0]), round(scores[1]), behaviorProbs[shown], targetProbs[shown], LANGUAGES[language], DOMAINS[domain]));
        });
    }

    static List<Row> loggedCandidates(int prompts, long seed, long candidateSeed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(new SplittableRandom(candidateSeed));
        double[] behavior = new double[CANDIDATE_DIMENSION];
        for (int j = 0; j < CANDIDATE_DIMENSION; j++) {
            behavior[j] = BEHAVIOR_SHARPNESS * gaussian(random);
        }
        return perPrompt(random, prompts, LANGUAGE_SHARES, (x, language, domain, rows) -> {
            String promptId = format("g%06d", x);
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = candidateCount(random);
            float[][] e = candidateEmbeddings(random, k, language);
            double[] behaviorProbs = softmax(e, behavior);
            int shown = pick(random, behaviorProbs);
            for (int y = 0; y < k; y++) {
                double[] scores = candidateScores(random, directions, e[y], domain);
                boolean isShown = y == shown;
                rows.add(RowFactory.create(promptId + "-" + y, promptId, prompt, text(random, "Assistant:", 8, 60), boxed(e[y]), isShown,
                        isShown ? behaviorProbs[y] : null, isShown ? round(scores[0]) : null, isShown ? round(scores[1]) : null,
                        LANGUAGES[language], DOMAINS[domain]));
            }
        });
    }

    /**
     * {@link #loggedCandidates} with a reward estimate {@code q_hat} on every candidate row: a deliberately imperfect
     * reward model on the utility scale, {@code q̂ = 0.8·clamp(6 + 0.8·a·e, 0, 10) − 0.2·clamp(h_d + 0.8·b·e, 0, 10) + 0.2ε}
     * (the hidden directions shrunk by 0.8, plus noise drawn from a random of its own, so the rows are those
     * {@code loggedCandidates(prompts, seed, candidateSeed)} gives).
     */
    static List<Row> loggedCandidatesWithEstimate(int prompts, long seed, long candidateSeed) {
        double[][] directions = directions(new SplittableRandom(candidateSeed));
        SplittableRandom noise = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        List<Row> rows = new ArrayList<>();
        for (Row row : loggedCandidates(prompts, seed, candidateSeed)) {
            @SuppressWarnings("unchecked")
            List<Float> e = (List<Float>) row.get(4);
            double help = 0;
            double harm = 0;
            for (int j = 0; j < e.size(); j++) {
                help += 0.8 * directions[0][j] * e.get(j);
                harm += 0.8 * directions[1][j] * e.get(j);
            }
            double harmLevel = DOMAINS[3].equals(row.getString(10)) ? 3 : 1.5;
            double qHat = 0.8 * clamp(6 + help, 0, 10) - 0.2 * clamp(harmLevel + harm, 0, 10) + 0.2 * gaussian(noise);
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            values[row.length()] = round(qHat);
            rows.add(RowFactory.create(values));
        }
        return rows;
    }

    /** The hidden helpfulness (row 0) and harmfulness (row 1) directions of the candidate scores. */
    private static double[][] directions(SplittableRandom random) {
        double[][] directions = new double[2][CANDIDATE_DIMENSION];
        for (int j = 0; j < CANDIDATE_DIMENSION; j++) {
            directions[0][j] = 1.2 * gaussian(random) / Math.sqrt(CANDIDATE_DIMENSION);
            directions[1][j] = 1.0 * gaussian(random) / Math.sqrt(CANDIDATE_DIMENSION);
        }
        return directions;
    }

    /** The k embeddings of a prompt's candidates, in order. */
    private static float[][] candidateEmbeddings(SplittableRandom random, int k, int language) {
        float[][] e = new float[k][];
        for (int y = 0; y < k; y++) {
            e[y] = embedding(random, CANDIDATE_DIMENSION, language);
        }
        return e;
    }

    private static int candidateCount(SplittableRandom random) {
        return MIN_CANDIDATES + random.nextInt(MAX_CANDIDATES - MIN_CANDIDATES + 1);
    }

    // helpfulness = clamp(6 + a·e + 0.7ε, 0, 10), harmfulness = clamp(h_d + b·e + 0.5ε, 0, 10)
    private static double[] candidateScores(SplittableRandom random, double[][] directions, float[] e, int domain) {
        double help = 0;
        double harm = 0;
        for (int j = 0; j < e.length; j++) {
            help += directions[0][j] * e[j];
            harm += directions[1][j] * e[j];
        }
        return new double[] {clamp(6 + help + 0.7 * gaussian(random), 0, 10),
                clamp((domain == 3 ? 3 : 1.5) + harm + 0.5 * gaussian(random), 0, 10)};
    }

    // π_j = exp(s_j − max s) / Σ_k exp(s_k − max s), s_j = θ·e_j
    private static double[] softmax(float[][] e, double[] theta) {
        double[] p = new double[e.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < e.length; y++) {
            for (int j = 0; j < theta.length; j++) {
                p[y] += theta[j] * e[y][j];
            }
            max = Math.max(max, p[y]);
        }
        double total = 0;
        for (int y = 0; y < p.length; y++) {
            p[y] = Math.exp(p[y] - max);
            total += p[y];
        }
        for (int y = 0; y < p.length; y++) {
            p[y] /= total;
        }
        return p;
    }
}
