package io.alignloss.synth;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

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

    public static final StructType SELF_TARGET_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("context", DataTypes.StringType)
            .add("modified_context", DataTypes.StringType)
            .add("z", DataTypes.StringType)
            .add("candidates", DataTypes.createArrayType(DataTypes.StringType, true))
            .add("reference", DataTypes.StringType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);


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

    /** {@link #LOGGED_CANDIDATE_SCHEMA} with {@code q_hat}, a reward estimate of every candidate on the utility scale. */
    public static final StructType LOGGED_CANDIDATE_ESTIMATE_SCHEMA = LOGGED_CANDIDATE_SCHEMA.add("q_hat", DataTypes.DoubleType);

    public static final StructType BATTLE_SCHEMA = new StructType()
            .add("model_a", DataTypes.StringType)
            .add("model_b", DataTypes.StringType)
            .add("winner", DataTypes.StringType);

    /** Battles with the two responses' texts, for style control ({@code leaderboard --style length,markdown}). */
    public static final StructType STYLED_BATTLE_SCHEMA = new StructType()
            .add("model_a", DataTypes.StringType)
            .add("model_b", DataTypes.StringType)
            .add("winner", DataTypes.StringType)
            .add("response_a", DataTypes.StringType)
            .add("response_b", DataTypes.StringType);

    public static final StructType REFERENCE_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("response", DataTypes.StringType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    public static final StructType DPO_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("chosen", DataTypes.StringType)
            .add("rejected", DataTypes.StringType)
            .add("chosen_logps", DataTypes.DoubleType)
            .add("rejected_logps", DataTypes.DoubleType)
            .add("ref_chosen_logps", DataTypes.DoubleType)
            .add("ref_rejected_logps", DataTypes.DoubleType)
            .add("chosen_tokens", DataTypes.IntegerType)
            .add("rejected_tokens", DataTypes.IntegerType)
            .add("weight", DataTypes.DoubleType)
            .add("language", DataTypes.StringType)
            .add("domain", DataTypes.StringType);

    private SampleData() {
    }

    public static List<Row> preferences(int count, long seed) {
        return PreferenceSamples.preferences(count, seed);
    }

    /**
     * Preference pairs with 16-d response embeddings, labelled by a hidden linear reward {@code φ*·e}: the
     * first response wins with probability σ(φ*·(e₁ − e₂)) and becomes {@code chosen}. Embeddings shift by
     * language, so a reward model trained on this English-heavy mix fits the other languages worse.
     */
    public static List<Row> embeddedPreferences(int count, long seed) {
        return PreferenceSamples.embeddedPreferences(count, seed);
    }

    public static List<Row> sequences(int count, long seed) {
        return SequenceSamples.sequences(count, seed);
    }

    /**
     * Self-target rows (context distillation): the context c is a sample prompt with a long instruction in front,
     * the modified context c′ the prompt alone, z a style note on some rows; every other row offers 3 candidate
     * responses (one of them the reference), the rest leave ŷ to the model's greedy decode.
     */
    public static List<Row> selfTargets(int count, long seed) {
        return SequenceSamples.selfTargets(count, seed);
    }

    /**
     * Candidate sets for an expected-utility policy: {@code prompts} prompts, each with 2–5 candidate responses
     * (rows sharing {@code prompt_id}) with an 8-d embedding e and scores linear in it plus noise,
     * {@code helpfulness = clamp(6 + a·e + 0.7ε, 0, 10)} and {@code harmfulness = clamp(h_d + b·e + 0.5ε, 0, 10)}
     * (h_d higher in the safety domain), for hidden directions a and b: a softmax policy on the embedding can
     * learn which candidates have the higher {@code U = 0.8·helpfulness − 0.2·harmfulness}.
     */
    public static List<Row> candidates(int prompts, long seed) {
        return CandidateSamples.candidates(prompts, seed);
    }

    /**
     * Logged data for off-policy estimates: per prompt, candidates as in {@link #candidates}, one response
     * shown by a near-uniform behaviour policy {@code softmax(0.3·g·e)} (g a random direction) and its
     * utility observed; {@code behavior_prob} and {@code target_prob} are the behaviour's and the target's
     * probabilities of the shown response, the target {@code softmax((0.8·a − 0.2·b)·e)} favouring the
     * candidates of higher expected utility. The scores follow the same hidden directions as
     * {@code candidates(…, candidateSeed)}, so a policy trained on those candidates applies here.
     */
    public static List<Row> logged(int prompts, long seed, long candidateSeed) {
        return CandidateSamples.logged(prompts, seed, candidateSeed);
    }

    /**
     * Logged candidate sets, for training a policy on logged data and for off-policy estimates with a policy
     * as the target ({@code model = …}): every prompt's candidates as in {@link #candidates} (rows sharing
     * {@code prompt_id}, with embeddings), {@code logged = true} on the one the near-uniform behaviour policy
     * {@code softmax(0.3·g·e)} showed, with its {@code behavior_prob} and observed scores; the other
     * candidates' scores and behavior_prob are null (never observed). The scores follow the same hidden
     * directions as {@code candidates(…, candidateSeed)}, so a policy trained on those candidates applies here.
     */
    public static List<Row> loggedCandidates(int prompts, long seed, long candidateSeed) {
        return CandidateSamples.loggedCandidates(prompts, seed, candidateSeed);
    }

    /**
     * {@link #loggedCandidates} with a reward estimate {@code q_hat} on every candidate row (an imperfect reward model of
     * the utility 0.8·helpfulness − 0.2·harmfulness: the hidden directions shrunk by 0.8, plus N(0, 0.2²) noise), for
     * the doubly robust off-policy estimates ({@code q-hat = q_hat}).
     */
    public static List<Row> loggedCandidatesWithEstimate(int prompts, long seed, long candidateSeed) {
        return CandidateSamples.loggedCandidatesWithEstimate(prompts, seed, candidateSeed);
    }

    /**
     * Arena battles for the leaderboard: each row pairs two distinct models drawn uniformly (in random order as
     * model_a, model_b); with probability 0.15 the battle is a tie ({@code "tie"}, or {@code "tie (bothbad)"} for a
     * quarter of them), otherwise model_a wins with probability σ(θ_a − θ_b) for the hidden strengths θ. Three rows
     * at the end are rejected by the leaderboard, one per reason (missing_model, same_model, unknown_winner).
     */
    public static List<Row> battles(int count, long seed) {
        return BattleSamples.battles(count, seed);
    }

    /**
     * Arena battles with texts, for style control: 6 models of hidden strengths θ, ties at 10% (a quarter "tie
     * (bothbad)"), otherwise model_a wins with probability σ(θ_a − θ_b + 3·(w_a − w_b)/(w_a + w_b)) for the responses'
     * word counts w; the two weakest models write the longest answers and use markdown most (a "## Answer" header,
     * list items and 1–3 bold words, each drawn on its own). The last row has no response_a (a missing_style reject under --style).
     */
    public static List<Row> styledBattles(int count, long seed) {
        return StyledBattleSamples.battles(count, seed);
    }

    /** An unlabelled sample of the population served: prompts and responses, with another language mix. */
    public static List<Row> reference(int count, long seed) {
        return ReferenceSamples.reference(count, seed);
    }

    /**
     * Preference pairs with logged summed response log-probabilities under a policy and its reference, and response
     * token counts, for the {@code dpo} objective: the policy lowers both responses' likelihood, the rejected one's
     * more, by a gain that grows with the pair's separation by domain and language.
     */
    public static List<Row> dpoPairs(int count, long seed) {
        return DpoSamples.pairs(count, seed);
    }

    /** Good preference rows followed by rows that break each preference rule (and the score rules). */
    public static List<Row> badPreferences(int good, long seed) {
        return BadRows.badPreferences(good, seed);
    }

    /** Good sequence rows followed by rows that break each sequence rule. */
    public static List<Row> badSequences(int good, long seed) {
        return BadRows.badSequences(good, seed);
    }
}
