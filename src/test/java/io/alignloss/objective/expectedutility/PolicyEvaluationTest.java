package io.alignloss.objective.expectedutility;

import io.alignloss.config.FeatureSpec;
import io.alignloss.model.FeatureVector;
import io.alignloss.model.PolicyBlock;
import io.alignloss.model.RewardModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A trained policy's expected utility on candidate sets, against the uniform policy's: hand-worked values. */
class PolicyEvaluationTest {
    private static FeatureVector dense(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return FeatureVector.dense(floats);
    }

    /**
     * PolicyLossTest's example, θ = (ln 3, ln 2): A (w = 1) π = (¾, ¼), U = (1, 0): V_π = ¾, V_uniform = ½;
     * B (w = 3) π = (4/7, 2/7, 1/7), U = (2, −1, 0): V_π = 6/7, V_uniform = 1/3.
     * V(π) = (¾ + 3·6/7) / 4 = 93/112; V(uniform) = (½ + 1) / 4 = 3/8; gain = 93/112 − 42/112 = 51/112.
     */
    @Test
    void expectedUtilityOfThePolicyAndOfTheUniformPolicyAndTheirGain() {
        PolicyBlock.Builder builder = new PolicyBlock.Builder(2, true);
        builder.add(new FeatureVector[] {dense(1, 0), dense(0, 0)}, new double[] {1, 0}, 1, 1L);
        builder.add(new FeatureVector[] {dense(0, 1), dense(0, 0), dense(0, -1)}, new double[] {2, -1, 0}, 3, 2L);
        Map<String, Object> figures = PolicyEvaluation.local(List.of(builder.build()), new double[] {Math.log(3), Math.log(2)}, 7, 50, 0.95);
        assertThat(figures.get("prompts")).isEqualTo(2L);
        assertThat((Double) figures.get("mean_utility")).isCloseTo(93.0 / 112, within(1e-12));
        assertThat((Double) figures.get("loss")).isCloseTo(-93.0 / 112, within(1e-12));
        assertThat((Double) figures.get("uniform_mean_utility")).isCloseTo(3.0 / 8, within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> gain = (Map<String, Object>) figures.get("gain");
        assertThat((Double) gain.get("value")).isCloseTo(51.0 / 112, within(1e-12));
        assertThat(gain).containsKey("ci");
        // θ = 0 is the uniform policy: no gain
        Map<String, Object> uniform = PolicyEvaluation.local(List.of(builder.build()), new double[2], 7, 0, 0.95);
        assertThat((Double) uniform.get("mean_utility")).isCloseTo(3.0 / 8, within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> none = (Map<String, Object>) uniform.get("gain");
        assertThat((Double) none.get("value")).isCloseTo(0, within(1e-12));
    }

    @Test
    void aRewardModelIsNotAPolicy() {
        RewardModel reward = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[2],
                Map.of("objective", Map.of("name", "rm", "type", "bradley-terry")));
        RewardModel policy = new RewardModel(FeatureSpec.fromDescription(Map.of("type", "embedding")), new double[2],
                Map.of("objective", Map.of("name", "eu", "type", "expected-utility")));
        assertThat(PolicyEvaluation.isPolicy(policy)).isTrue();
        assertThat(PolicyEvaluation.isPolicy(reward)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyEvaluation.requirePolicy(reward, "runs/rm/model", "objective eu"))
                .hasMessageContaining("runs/rm/model").hasMessageContaining("not a policy");
    }
}
