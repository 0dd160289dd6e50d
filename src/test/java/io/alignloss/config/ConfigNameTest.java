package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConfigName}: the config names of every config enum, listed here as the literal strings the configs,
 * summaries and checkpoints have always used, and the lookup errors word for word.
 */
class ConfigNameTest {
    private static <E extends Enum<E> & ConfigName> String[] names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).toArray(String[]::new);
    }

    private static void fails(Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(AlignLossException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG)).hasMessage(message);
    }

    @Test
    void configNamesAreTheLiteralNames() {
        assertThat(names(FeatureType.class)).containsExactly("embedding", "text-hash", "encoder");
        assertThat(names(InputKind.class)).containsExactly("preference", "sequence", "self-target");
        assertThat(names(ObjectiveType.class)).containsExactly("bradley-terry", "sequence-likelihood", "expected-utility", "self-target", "dpo");
        assertThat(names(OptimizerType.class)).containsExactly("lbfgs", "adam");
        assertThat(names(PolicyEstimator.class)).containsExactly("exact", "ips", "snips");
        assertThat(names(SequenceMode.class)).containsExactly("joint", "conditional");
    }

    @Test
    void eachNameParsesToItsConstant() {
        assertThat(FeatureType.fromConfig("text-hash", "k")).isEqualTo(FeatureType.TEXT_HASH);
        assertThat(ObjectiveType.fromConfig("expected-utility", "k")).isEqualTo(ObjectiveType.EXPECTED_UTILITY);
        assertThat(OptimizerType.fromConfig("adam", "k")).isEqualTo(OptimizerType.ADAM);
        assertThat(PolicyEstimator.fromConfig("snips", "k")).isEqualTo(PolicyEstimator.SNIPS);
        assertThat(SequenceMode.fromConfig("joint", "k")).isEqualTo(SequenceMode.JOINT);
        assertThat(ConfigName.find(OptimizerType.class, "LBFGS")).isEmpty();
    }

    @Test
    void inputKindIgnoresCaseOthersDoNot() {
        assertThat(InputKind.fromConfig("Self-Target", "k")).isEqualTo(InputKind.SELF_TARGET);
        fails(() -> FeatureType.fromConfig("Embedding", "features.type (a.conf: 3)"),
                "Invalid features.type (a.conf: 3): 'Embedding' (valid: embedding, text-hash, encoder)");
    }

    @Test
    void errorsNameTheKeyTheValueAndTheValidNames() {
        fails(() -> InputKind.fromConfig("Pairs", "inputs.a.kind"), "Invalid inputs.a.kind: 'Pairs' (valid: preference, sequence, self-target)");
        fails(() -> OptimizerType.fromConfig("sgd", "train.optimizer"), "Invalid train.optimizer: 'sgd' (valid: lbfgs, adam)");
        fails(() -> PolicyEstimator.fromConfig("dr", "train.objective-estimator"),
                "Invalid train.objective-estimator: 'dr' (valid: exact, ips, snips)");
        fails(() -> SequenceMode.fromConfig("both", "objectives[0].mode"), "Invalid objectives[0].mode: 'both' (valid: joint, conditional)");
        fails(() -> ObjectiveType.fromConfig("kto", "objectives[0].type"),
                "Invalid objectives[0].type: 'kto' (valid types: bradley-terry, sequence-likelihood, expected-utility, self-target, dpo)");
    }
}
