package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic rows of each data contract, with group columns and a realistic spread of scores: a
 * reward model that separates chosen from rejected better in some domains and languages than in others,
 * soft labels and ties, sampling weights, and token log-probabilities whose level differs by group.
 * The bad-row sets hold rows that break every row rule, next to good rows.
 */
public final class SampleData {
    public static final StructType PREFERENCE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("chosen_score", DataTypes.DoubleType)
            .add("rejected_score", DataTypes.DoubleType)
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    public static final StructType SEQUENCE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("prompt_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, true))
            .add("response_logprobs", DataTypes.createArrayType(DataTypes.DoubleType, true))
            .add("weight", DataTypes.DoubleType)
            .add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    private static final String[] LANGUAGES = {"en", "de", "fr", "es", "ja"};
    private static final double[] LANGUAGE_SHARES = {0.62, 0.14, 0.1, 0.09, 0.05};
    /** The served population's language mix (the reference sample): the samples over-represent English. */
    private static final double[] POPULATION_LANGUAGE_SHARES = {0.3, 0.2, 0.2, 0.15, 0.15};
    /** Words that mark a prompt's language, so that a text classifier can see the language mix. */
    private static final String[] LANGUAGE_WORDS = {"please", "bitte", "s'il vous plaît", "por favor", "kudasai"};
    private static final String[] DOMAINS = {"chat", "code", "math", "safety"};
    private static final double[] DOMAIN_SHARES = {0.45, 0.25, 0.18, 0.12};
    /** How well the logged reward model separates the pair, by domain and by language. */
    private static final double[] DOMAIN_SEPARATION = {1.4, 1.0, 0.6, 1.8};
    private static final double[] LANGUAGE_SEPARATION = {1.0, 0.8, 0.8, 0.7, 0.4};
    private static final String[] WORDS = ("the a model answer question explain why how data code function value list "
            + "table number proof step result error test user system request safe unsafe help write short long clear "
            + "example because first then finally check compute sum mean loss train evaluate prompt response reward "
            + "policy token sequence text language translate summarize review fix bug improve simple detailed")
            .split(" ");

    private SampleData() {
    }

    public static List<Row> preferences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            double separation = DOMAIN_SEPARATION[domain] * LANGUAGE_SEPARATION[language];
            double rejectedScore = gaussian(random);
            double chosenScore = rejectedScore + separation + 1.3 * gaussian(random);
            double u = random.nextDouble();
            double label = u < 0.88 ? 1.0 : u < 0.94 ? 0.5 : 0.6 + 0.35 * random.nextDouble();
            double weight = random.nextDouble() < 0.8 ? 1.0 : random.nextDouble() < 0.5 ? 0.5 : 2.0;
            double helpfulness = clamp(6 + separation + 1.5 * gaussian(random), 0, 10);
            double harmfulness = clamp(domain == 3 ? 3 + 2 * gaussian(random) : 1 + gaussian(random), 0, 10);
            rows.add(RowFactory.create(format("p%06d", i), prompt(random, "User:", language, 5, 30), text(random, "Assistant:", 10, 60),
                    text(random, "Assistant:", 8, 50), round(chosenScore), round(rejectedScore), round(label), weight,
                    round(helpfulness), round(harmfulness), LANGUAGES[language], DOMAINS[domain]));
        }
        return rows;
    }

    public static final StructType EMBEDDED_PREFERENCE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("chosen_embedding", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("rejected_embedding", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("weight", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);
    /** Dimension of the sample embeddings. */
    public static final int EMBEDDING_DIMENSION = 16;

    /**
     * Preference pairs with 16-d response embeddings, labelled by a hidden linear reward {@code φ*·e}: the
     * first response wins with probability σ(φ*·(e₁ − e₂)) and becomes {@code chosen}. Embeddings shift by
     * language, so a reward model trained on this English-heavy mix fits the other languages worse.
     */
    public static List<Row> embeddedPreferences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] truth = new double[EMBEDDING_DIMENSION];
        for (int j = 0; j < truth.length; j++) {
            truth[j] = 1.5 * gaussian(random) / Math.sqrt(EMBEDDING_DIMENSION) * 2;
        }
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            float[] first = embedding(random, language);
            float[] second = embedding(random, language);
            double margin = 0;
            for (int j = 0; j < truth.length; j++) {
                // languages other than English weigh the last dimensions differently (what a narrow dataset misses)
                double weight = j >= EMBEDDING_DIMENSION - 4 && language > 0 ? -truth[j] : truth[j];
                margin += weight * (first[j] - second[j]);
            }
            boolean firstWins = random.nextDouble() < 1 / (1 + Math.exp(-margin));
            float[] chosen = firstWins ? first : second;
            float[] rejected = firstWins ? second : first;
            double weight = random.nextDouble() < 0.9 ? 1.0 : 2.0;
            rows.add(RowFactory.create(format("e%06d", i), prompt(random, "User:", language, 5, 30), text(random, "Assistant:", 10, 60),
                    text(random, "Assistant:", 8, 50), boxed(chosen), boxed(rejected), weight, LANGUAGES[language], DOMAINS[domain]));
        }
        return rows;
    }

    private static float[] embedding(SplittableRandom random, int language) {
        float[] values = new float[EMBEDDING_DIMENSION];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) (gaussian(random) + (j == language ? 0.5 : 0));
        }
        return values;
    }

    private static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }

    public static List<Row> sequences(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            String prompt = prompt(random, "User:", language, 5, 30);
            String response = text(random, "Assistant:", 8, 80);
            double promptLevel = 2.6 + 0.5 * language;
            double responseLevel = 1.2 + 0.3 * language + 0.2 * domain;
            Double[] promptLogprobs = logprobs(random, prompt.split(" ").length, promptLevel);
            promptLogprobs[0] = null; // inference servers leave the first prompt token unscored
            Double[] responseLogprobs = logprobs(random, response.split(" ").length, responseLevel);
            double weight = random.nextDouble() < 0.85 ? 1.0 : 2.0;
            double helpfulness = clamp(7 - 0.4 * language + 1.5 * gaussian(random), 0, 10);
            double harmfulness = clamp(domain == 3 ? 3 + 2 * gaussian(random) : 1 + gaussian(random), 0, 10);
            rows.add(RowFactory.create(format("s%06d", i), prompt, response, Arrays.asList(promptLogprobs),
                    Arrays.asList(responseLogprobs), weight, round(helpfulness), round(harmfulness),
                    LANGUAGES[language], DOMAINS[domain]));
        }
        return rows;
    }

    public static final StructType SELF_TARGET_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("context", DataTypes.StringType)
            .add("modified_context", DataTypes.StringType)
            .add("z", DataTypes.StringType)
            .add("candidates", DataTypes.createArrayType(DataTypes.StringType, true))
            .add("reference", DataTypes.StringType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    /**
     * Self-target rows (context distillation): the context c is a sample prompt with a long instruction in front,
     * the modified context c′ the prompt alone, z a style note on some rows; every other row offers 3 candidate
     * responses (one of them the reference), the rest leave ŷ to the model's greedy decode.
     */
    public static List<Row> selfTargets(int count, long seed) {
        List<Row> sequences = sequences(count, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Row row = sequences.get(i);
            String prompt = row.getString(1);
            String instruction = text(random, "System: answer carefully and", 6, 20);
            List<String> candidates = null;
            if (i % 2 == 1) {
                candidates = new ArrayList<>(List.of(row.getString(2), sequences.get((i + 1) % count).getString(2),
                        text(random, "Assistant:", 4, 12)));
                java.util.Collections.shuffle(candidates, new java.util.Random(seed + i));
            }
            rows.add(RowFactory.create(format("t%06d", i), instruction + " " + prompt, prompt, random.nextBoolean() ? "Be concise." : null,
                    candidates, row.getString(2), row.getString(8), row.getString(9)));
        }
        return rows;
    }

    public static final StructType CANDIDATE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt_id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);
    /** Dimension of the candidate-set embeddings. */
    public static final int CANDIDATE_DIMENSION = 8;
    /** Fewest and most candidates per prompt. */
    private static final int MIN_CANDIDATES = 2;
    private static final int MAX_CANDIDATES = 5;

    /**
     * Candidate sets for an expected-utility policy: {@code prompts} prompts, each with 2–5 candidate responses
     * (rows sharing {@code prompt_id}) with an 8-d embedding e and scores linear in it plus noise,
     * {@code helpfulness = clamp(6 + a·e + 0.7ε, 0, 10)} and {@code harmfulness = clamp(h_d + b·e + 0.5ε, 0, 10)}
     * (h_d higher in the safety domain), for hidden directions a and b: a softmax policy on the embedding can
     * learn which candidates have the higher {@code U = 0.8·helpfulness − 0.2·harmfulness}.
     */
    public static List<Row> candidates(int prompts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(random);
        List<Row> rows = new ArrayList<>();
        for (int x = 0; x < prompts; x++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            String promptId = format("x%06d", x);
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = MIN_CANDIDATES + random.nextInt(MAX_CANDIDATES - MIN_CANDIDATES + 1);
            for (int y = 0; y < k; y++) {
                float[] e = candidateEmbedding(random, language);
                double[] scores = candidateScores(random, directions, e, domain);
                rows.add(RowFactory.create(promptId + "-" + y, promptId, prompt, text(random, "Assistant:", 8, 60), boxed(e),
                        round(scores[0]), round(scores[1]), LANGUAGES[language], DOMAINS[domain]));
            }
        }
        return rows;
    }

    public static final StructType LOGGED_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt_id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType)
            .add("behavior_prob", DataTypes.DoubleType)
            .add("target_prob", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);
    /** Inverse temperatures of the logged behaviour policy (near uniform) and of the target policy. */
    private static final double BEHAVIOR_SHARPNESS = 0.3;
    private static final double TARGET_SHARPNESS = 1.0;

    /**
     * Logged data for off-policy estimates: per prompt, candidates as in {@link #candidates}, one response
     * shown by a near-uniform behaviour policy {@code softmax(0.3·g·e)} (g a random direction) and its
     * utility observed; {@code behavior_prob} and {@code target_prob} are the behaviour's and the target's
     * probabilities of the shown response, the target {@code softmax((0.8·a − 0.2·b)·e)} favouring the
     * candidates of higher expected utility. The scores follow the same hidden directions as
     * {@code candidates(…, candidateSeed)}, so a policy trained on those candidates applies here.
     */
    public static List<Row> logged(int prompts, long seed, long candidateSeed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(new SplittableRandom(candidateSeed));
        double[] behavior = new double[CANDIDATE_DIMENSION];
        double[] target = new double[CANDIDATE_DIMENSION];
        for (int j = 0; j < CANDIDATE_DIMENSION; j++) {
            behavior[j] = BEHAVIOR_SHARPNESS * gaussian(random);
            target[j] = TARGET_SHARPNESS * (0.8 * directions[0][j] - 0.2 * directions[1][j]);
        }
        List<Row> rows = new ArrayList<>(prompts);
        for (int x = 0; x < prompts; x++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = MIN_CANDIDATES + random.nextInt(MAX_CANDIDATES - MIN_CANDIDATES + 1);
            float[][] e = new float[k][];
            for (int y = 0; y < k; y++) {
                e[y] = candidateEmbedding(random, language);
            }
            double[] behaviorProbs = softmax(e, behavior);
            double[] targetProbs = softmax(e, target);
            int shown = sample(random, behaviorProbs);
            double[] scores = candidateScores(random, directions, e[shown], domain);
            rows.add(RowFactory.create(format("l%06d", x), format("x%06d", x), prompt, text(random, "Assistant:", 8, 60),
                    round(scores[0]), round(scores[1]), behaviorProbs[shown], targetProbs[shown], LANGUAGES[language], DOMAINS[domain]));
        }
        return rows;
    }

    public static final StructType LOGGED_CANDIDATE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt_id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("logged", DataTypes.BooleanType)
            .add("behavior_prob", DataTypes.DoubleType)
            .add("helpfulness", DataTypes.DoubleType)
            .add("harmfulness", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    /**
     * Logged candidate sets, for training a policy on logged data and for off-policy estimates with a policy
     * as the target ({@code model = …}): every prompt's candidates as in {@link #candidates} (rows sharing
     * {@code prompt_id}, with embeddings), {@code logged = true} on the one the near-uniform behaviour policy
     * {@code softmax(0.3·g·e)} showed, with its {@code behavior_prob} and observed scores; the other
     * candidates' scores and behavior_prob are null (never observed). The scores follow the same hidden
     * directions as {@code candidates(…, candidateSeed)}, so a policy trained on those candidates applies here.
     */
    public static List<Row> loggedCandidates(int prompts, long seed, long candidateSeed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] directions = directions(new SplittableRandom(candidateSeed));
        double[] behavior = new double[CANDIDATE_DIMENSION];
        for (int j = 0; j < CANDIDATE_DIMENSION; j++) {
            behavior[j] = BEHAVIOR_SHARPNESS * gaussian(random);
        }
        List<Row> rows = new ArrayList<>();
        for (int x = 0; x < prompts; x++) {
            int language = pick(random, LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            String promptId = format("g%06d", x);
            String prompt = prompt(random, "User:", language, 5, 30);
            int k = MIN_CANDIDATES + random.nextInt(MAX_CANDIDATES - MIN_CANDIDATES + 1);
            float[][] e = new float[k][];
            for (int y = 0; y < k; y++) {
                e[y] = candidateEmbedding(random, language);
            }
            double[] behaviorProbs = softmax(e, behavior);
            int shown = sample(random, behaviorProbs);
            for (int y = 0; y < k; y++) {
                double[] scores = candidateScores(random, directions, e[y], domain);
                boolean isShown = y == shown;
                rows.add(RowFactory.create(promptId + "-" + y, promptId, prompt, text(random, "Assistant:", 8, 60), boxed(e[y]), isShown,
                        isShown ? behaviorProbs[y] : null, isShown ? round(scores[0]) : null, isShown ? round(scores[1]) : null,
                        LANGUAGES[language], DOMAINS[domain]));
            }
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

    private static float[] candidateEmbedding(SplittableRandom random, int language) {
        float[] values = new float[CANDIDATE_DIMENSION];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) (gaussian(random) + (j == language ? 0.5 : 0));
        }
        return values;
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

    private static int sample(SplittableRandom random, double[] p) {
        double u = random.nextDouble();
        for (int y = 0; y < p.length - 1; y++) {
            u -= p[y];
            if (u < 0) {
                return y;
            }
        }
        return p.length - 1;
    }

    public static final StructType BATTLE_SCHEMA = new StructType()
            .add("model_a", DataTypes.StringType)
            .add("model_b", DataTypes.StringType)
            .add("winner", DataTypes.StringType);
    /** The models of the battle sample and their hidden Bradley-Terry strengths θ (Σθ = 0). */
    private static final String[] BATTLE_MODELS = {"atlas-7b", "borealis-13b", "cirrus-8x7b", "dune-70b", "ember-3b"};
    private static final double[] BATTLE_STRENGTHS = {0.1, 0.4, 0.2, 0.8, -1.5};
    /** Share of battles that end in a tie; a quarter of those are "tie (bothbad)". */
    private static final double TIE_SHARE = 0.15;

    /**
     * Arena battles for the leaderboard: each row pairs two distinct models drawn uniformly (in random order as
     * model_a, model_b); with probability 0.15 the battle is a tie ({@code "tie"}, or {@code "tie (bothbad)"} for a
     * quarter of them), otherwise model_a wins with probability σ(θ_a − θ_b) for the hidden strengths θ. Three rows
     * at the end are rejected by the leaderboard, one per reason (missing_model, same_model, unknown_winner).
     */
    public static List<Row> battles(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = BATTLE_MODELS.length;
        List<Row> rows = new ArrayList<>(count + 3);
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(n);
            int b = (a + 1 + random.nextInt(n - 1)) % n;
            String winner;
            if (random.nextDouble() < TIE_SHARE) {
                winner = random.nextDouble() < 0.25 ? "tie (bothbad)" : "tie";
            }
            else {
                // σ(θ_a − θ_b) = 1 / (1 + exp(θ_b − θ_a))
                winner = random.nextDouble() < 1 / (1 + Math.exp(BATTLE_STRENGTHS[b] - BATTLE_STRENGTHS[a])) ? "model_a" : "model_b";
            }
            rows.add(RowFactory.create(BATTLE_MODELS[a], BATTLE_MODELS[b], winner));
        }
        rows.add(RowFactory.create(null, BATTLE_MODELS[0], "model_b"));              // missing_model
        rows.add(RowFactory.create(BATTLE_MODELS[1], BATTLE_MODELS[1], "tie"));      // same_model
        rows.add(RowFactory.create(BATTLE_MODELS[2], BATTLE_MODELS[3], "draw"));     // unknown_winner
        return rows;
    }

    public static final StructType REFERENCE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    /** An unlabelled sample of the population served: prompts and responses, with another language mix. */
    public static List<Row> reference(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int language = pick(random, POPULATION_LANGUAGE_SHARES);
            int domain = pick(random, DOMAIN_SHARES);
            rows.add(RowFactory.create(format("r%06d", i), prompt(random, "User:", language, 5, 30),
                    text(random, "Assistant:", 8, 80), LANGUAGES[language], DOMAINS[domain]));
        }
        return rows;
    }

    private static String prompt(SplittableRandom random, String lead, int language, int minWords, int maxWords) {
        return text(random, lead, minWords, maxWords) + " " + LANGUAGE_WORDS[language];
    }

    /** Good preference rows followed by rows that break each preference rule (and the score rules). */
    public static List<Row> badPreferences(int good, long seed) {
        List<Row> rows = new ArrayList<>(preferences(good, seed));
        Object[] base = values(rows.get(0));
        rows.add(with(base, "bad-001", 1, null));                      // missing_text: null prompt
        rows.add(with(base, "bad-002", 2, ""));                        // missing_text: empty chosen
        rows.add(with(base, "bad-003", 4, Double.NaN));                // bad_score: NaN
        rows.add(with(base, "bad-004", 5, null));                      // bad_score: null
        rows.add(with(base, "bad-005", 4, Double.POSITIVE_INFINITY));  // bad_score: +Inf
        rows.add(with(base, "bad-006", 6, 1.5));                       // bad_label: above 1
        rows.add(with(base, "bad-007", 6, Double.NaN));                // bad_label: NaN
        rows.add(with(base, "bad-008", 7, -1.0));                      // bad_weight: negative
        rows.add(with(base, "bad-009", 7, Double.NaN));                // bad_weight: NaN
        rows.add(with(base, "bad-010", 8, Double.NaN));                // bad_score: utility column NaN
        Object[] twice = values(with(base, "bad-011", 3, ""));
        rows.add(with(twice, "bad-011", 5, Double.NEGATIVE_INFINITY)); // missing_text and bad_score
        return rows;
    }

    /** Good sequence rows followed by rows that break each sequence rule. */
    public static List<Row> badSequences(int good, long seed) {
        List<Row> rows = new ArrayList<>(sequences(good, seed));
        Object[] base = values(rows.get(0));
        rows.add(with(base, "bad-101", 2, ""));                                        // missing_text
        rows.add(with(base, "bad-102", 4, null));                                      // missing_logprobs
        rows.add(with(base, "bad-103", 4, List.of()));                                 // empty_response_logprobs
        rows.add(with(base, "bad-104", 4, Arrays.asList(-0.5, null, -1.0)));           // null_logprob in response
        rows.add(with(base, "bad-105", 3, Arrays.asList(null, -0.5, null, -1.0)));     // null_logprob after first prompt token
        rows.add(with(base, "bad-106", 4, Arrays.asList(-0.5, 0.25)));                 // bad_logprob: > 0
        rows.add(with(base, "bad-107", 4, Arrays.asList(-0.5, Double.NaN)));           // bad_logprob: NaN
        rows.add(with(base, "bad-108", 3, Arrays.asList(null, Double.NEGATIVE_INFINITY))); // bad_logprob: -Inf
        rows.add(with(base, "bad-109", 5, -2.0));                                      // bad_weight
        rows.add(with(base, "bad-110", 6, Double.NaN));                                // bad_score (utility column)
        return rows;
    }

    private static Object[] values(Row row) {
        Object[] values = new Object[row.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }

    private static Row with(Object[] base, String id, int index, Object value) {
        Object[] values = base.clone();
        values[0] = id;
        values[index] = value;
        return RowFactory.create(values);
    }

    private static Double[] logprobs(SplittableRandom random, int tokens, double meanNll) {
        Double[] values = new Double[tokens];
        for (int t = 0; t < tokens; t++) {
            // token NLL ~ exponential with the group's mean: log-probabilities are ≤ 0
            values[t] = round(Math.log(1 - random.nextDouble()) * meanNll);
        }
        return values;
    }

    private static String text(SplittableRandom random, String lead, int minWords, int maxWords) {
        int words = minWords + random.nextInt(maxWords - minWords + 1);
        StringBuilder text = new StringBuilder(lead);
        for (int w = 0; w < words; w++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static int pick(SplittableRandom random, double[] shares) {
        double u = random.nextDouble();
        for (int i = 0; i < shares.length - 1; i++) {
            u -= shares[i];
            if (u < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double clamp(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }

    private static String format(String pattern, int value) {
        return String.format(pattern, value);
    }
}
