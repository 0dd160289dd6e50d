package io.alignloss.objective;

import io.alignloss.config.FeatureSpec;
import io.alignloss.config.JobConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.lm.LanguageModel;
import io.alignloss.lm.LmShape;
import io.alignloss.lm.Vocabulary;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.objective.sequence.SelfTargetObjective;
import io.alignloss.objective.sequence.SequenceLikelihoodObjective;
import io.alignloss.text.Tokens;
import io.alignloss.testing.Configs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Objective#withModels}: each objective takes the model a train run fitted for it over its {@code model}
 * folder, loads the folder only without one, stays as it is without either (or, for self-target, fails), and says
 * what evaluate must do with it ({@link Objective#policyTarget}, {@link Objective#evaluatesPolicy}).
 */
class ObjectiveModelsTest {
    private static final RewardModel REWARD_MODEL = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")),
            new double[] {0.5, -1.0}, Map.of("objective", Map.of("name", "bt", "type", "bradley-terry")));
    private static final RewardModel POLICY = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")),
            new double[] {0.7, -1.3}, Map.of("objective", Map.of("name", "eu", "type", "expected-utility")));

    /** Hands over the given trained models and records every folder it is asked to load. */
    private static final class FakeModels implements ModelSource {
        final Map<String, RewardModel> trained = new HashMap<>();
        final Map<String, LanguageModel> trainedLanguageModels = new HashMap<>();
        final Map<String, RewardModel> folders = new HashMap<>();
        final Map<String, LanguageModel> languageModelFolders = new HashMap<>();
        final List<String> loaded = new ArrayList<>();

        @Override
        public Optional<RewardModel> trainedRewardModel(String objective) {
            return Optional.ofNullable(trained.get(objective));
        }

        @Override
        public Optional<LanguageModel> trainedLanguageModel(String objective) {
            return Optional.ofNullable(trainedLanguageModels.get(objective));
        }

        @Override
        public RewardModel loadRewardModel(String path) {
            loaded.add("reward model " + path);
            return folders.get(path);
        }

        @Override
        public RewardModel loadPolicy(String path) {
            loaded.add("policy " + path);
            return folders.get(path);
        }

        @Override
        public LanguageModel loadLanguageModel(String path) {
            loaded.add("language model " + path);
            return languageModelFolders.get(path);
        }
    }

    private static JobConfig config(String kind, String objective) {
        return Configs.parse("inputs.in { path = \"unused\", kind = " + kind + " }\nobjectives = [ " + objective + " ]");
    }

    private static Objective objective(JobConfig config) {
        return Objectives.create(config.objectives().get(0));
    }

    private static LanguageModel languageModel(double weight) {
        Map<Integer, Long> counts = new HashMap<>();
        for (int id : Tokens.encode("a small text")) {
            counts.merge(id, 1L, Long::sum);
        }
        counts.put(Tokens.END, 2L);
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, 1, 0);
        LmShape shape = new LmShape(2, 6, 4, true);
        double[] weights = new double[LanguageModel.size(shape, vocabulary)];
        java.util.Arrays.fill(weights, weight);
        return new LanguageModel(shape, vocabulary, weights);
    }

    private static List<String> columnNames(Objective objective) {
        return objective.columns().stream().map(ColumnSpec::name).toList();
    }

    @Test
    void bradleyTerryScoresWithTheTrainedModelElseTheFolderElseReadsLoggedScores() {
        JobConfig withFolder = config("preference", "{ name = bt, type = bradley-terry, input = in, model = \"runs/rm/model\" }");
        FakeModels models = new FakeModels();
        models.trained.put("bt", REWARD_MODEL);
        BradleyTerryObjective trained = (BradleyTerryObjective) objective(withFolder).withModels(models, withFolder);
        assertThat(trained.model()).containsSame(REWARD_MODEL);
        assertThat(models.loaded).isEmpty();
        assertThat(columnNames(trained)).containsExactly(FeatureSpec.CHOSEN_EMBEDDING, FeatureSpec.REJECTED_EMBEDDING);

        FakeModels folders = new FakeModels();
        RewardModel saved = new RewardModel(REWARD_MODEL.features(), new double[] {2.0, 3.0}, REWARD_MODEL.metadata());
        folders.folders.put("runs/rm/model", saved);
        BradleyTerryObjective loaded = (BradleyTerryObjective) objective(withFolder).withModels(folders, withFolder);
        assertThat(loaded.model()).containsSame(saved);
        assertThat(folders.loaded).containsExactly("reward model runs/rm/model");
        assertThat(loaded.modelPath()).contains("runs/rm/model");

        JobConfig logged = config("preference", "{ name = bt, type = bradley-terry, input = in }");
        Objective plain = objective(logged);
        FakeModels none = new FakeModels();
        assertThat(plain.withModels(none, logged)).isSameAs(plain);
        assertThat(none.loaded).isEmpty();
        assertThat(columnNames(plain)).containsExactly(BradleyTerryObjective.CHOSEN_SCORE, BradleyTerryObjective.REJECTED_SCORE);
        assertThat(plain.modelPath()).isEmpty();
        assertThat(plain.policyTarget()).isFalse();
        assertThat(plain.evaluatesPolicy()).isFalse();
        assertThatThrownBy(() -> plain.evaluatePolicy(null, Optional.empty(), 1, 0, 0.95))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'bt'");
    }

    @Test
    void sequenceLikelihoodTakesTheTrainedLanguageModelOverItsFolder() {
        JobConfig withFolder = config("sequence", "{ name = lm, type = sequence-likelihood, input = in, model = \"runs/lm/model\" }");
        LanguageModel fitted = languageModel(0.25);
        LanguageModel saved = languageModel(-0.5);
        FakeModels models = new FakeModels();
        models.trainedLanguageModels.put("lm", fitted);
        models.languageModelFolders.put("runs/lm/model", saved);
        assertThat(((SequenceLikelihoodObjective) objective(withFolder).withModels(models, withFolder)).model()).containsSame(fitted);
        assertThat(models.loaded).isEmpty();

        models.trainedLanguageModels.clear();
        SequenceLikelihoodObjective loaded = (SequenceLikelihoodObjective) objective(withFolder).withModels(models, withFolder);
        assertThat(loaded.model()).containsSame(saved);
        assertThat(models.loaded).containsExactly("language model runs/lm/model");
        assertThat(columnNames(loaded)).isEmpty();   // the log-probabilities come from the model, not the input

        JobConfig logged = config("sequence", "{ name = lm, type = sequence-likelihood, input = in }");
        Objective plain = objective(logged);
        assertThat(plain.withModels(new FakeModels(), logged)).isSameAs(plain);
        assertThat(columnNames(plain)).containsExactly(SequenceLikelihoodObjective.PROMPT_LOGPROBS,
                SequenceLikelihoodObjective.RESPONSE_LOGPROBS);
    }

    @Test
    void selfTargetNeedsALanguageModel() {
        JobConfig noModel = config("self-target", "{ name = st, type = self-target, input = in }");
        assertThatThrownBy(() -> objective(noModel).withModels(new FakeModels(), noModel))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("Config test.conf: objective 'st' (self-target) needs a language model to pick its targets: "
                        + "set objectives.st.model = \"<train output>/model\"");

        FakeModels models = new FakeModels();
        LanguageModel fitted = languageModel(0.125);
        models.trainedLanguageModels.put("st", fitted);
        assertThat(((SelfTargetObjective) objective(noModel).withModels(models, noModel)).model()).containsSame(fitted);

        JobConfig withFolder = config("self-target", "{ name = st, type = self-target, input = in, model = \"runs/lm/model\" }");
        FakeModels folders = new FakeModels();
        LanguageModel saved = languageModel(0.5);
        folders.languageModelFolders.put("runs/lm/model", saved);
        assertThat(((SelfTargetObjective) objective(withFolder).withModels(folders, withFolder)).model()).containsSame(saved);
        assertThat(folders.loaded).containsExactly("language model runs/lm/model");
    }

    @Test
    void expectedUtilityEvaluatesItsPolicyUnlessThePolicyIsTheOffPolicyTarget() {
        String entry = "{ name = eu, type = expected-utility, input = in, utility { reward = 1 }, model = \"runs/policy/model\" }";
        JobConfig candidates = config("sequence", entry);
        FakeModels models = new FakeModels();
        models.trained.put("eu", POLICY);
        Objective trained = objective(candidates).withModels(models, candidates);
        assertThat(((ExpectedUtilityObjective) trained).policy()).containsSame(POLICY);
        assertThat(models.loaded).isEmpty();
        assertThat(trained.evaluatesPolicy()).isTrue();
        assertThat(trained.policyTarget()).isFalse();
        // on logged data (behavior_prob present) the policy is the off-policy target instead
        Objective target = trained.forInput(List.of("prompt_id", "reward", "embedding", ExpectedUtilityObjective.BEHAVIOR_PROB, "logged"));
        assertThat(target.policyTarget()).isTrue();
        assertThat(target.evaluatesPolicy()).isFalse();

        FakeModels folders = new FakeModels();
        folders.folders.put("runs/policy/model", POLICY);
        assertThat(((ExpectedUtilityObjective) objective(candidates).withModels(folders, candidates)).policy()).containsSame(POLICY);
        assertThat(folders.loaded).containsExactly("policy runs/policy/model");

        FakeModels notAPolicy = new FakeModels();
        notAPolicy.folders.put("runs/policy/model", REWARD_MODEL);
        assertThatThrownBy(() -> objective(candidates).withModels(notAPolicy, candidates))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageStartingWith("Cannot use model runs/policy/model for objective eu: it is not a policy");

        JobConfig preferences = config("preference", entry);
        FakeModels unused = new FakeModels();
        assertThatThrownBy(() -> objective(preferences).withModels(unused, preferences))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("Config test.conf: objective 'eu' has model = \"runs/policy/model\" (a policy), which needs a sequence "
                        + "input of candidate sets (rows = candidate responses sharing prompt_id), but 'in' is a preference input");
        assertThat(unused.loaded).isEmpty();

        JobConfig noModel = config("sequence", "{ name = eu, type = expected-utility, input = in, utility { reward = 1 } }");
        Objective plain = objective(noModel);
        assertThat(plain.withModels(new FakeModels(), noModel)).isSameAs(plain);
        assertThat(plain.evaluatesPolicy()).isFalse();
    }
}
