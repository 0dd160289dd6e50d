package io.alignloss.config;

import com.typesafe.config.ConfigFactory;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each objective type's options record, parsed from config text: the typed values, the defaults when a key is absent,
 * and the message (word for word) and exit code of each invalid value. The objective entry is on line 2 of the text,
 * so values written there are reported at "String: 2".
 */
class ObjectiveOptionsTest {
    private static JobConfig parse(String kind, String entry) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("inputs.in { path = \"unused\", kind = " + kind + " }\n"
                + "objectives = [ " + entry + " ]\nbootstrap = 300\nconfidence = 0.8\n"), "test.conf", List.of(), Optional.empty());
    }

    private static ObjectiveOptions options(String kind, String entry) {
        return parse(kind, entry).objectives().get(0).options();
    }

    private static void fails(String kind, String entry, String message) {
        assertThatThrownBy(() -> parse(kind, entry)).isInstanceOfSatisfying(AlignLossException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG)).hasMessage(message);
    }

    @Test
    void bradleyTerryDefaultsAndTypedValues() {
        ObjectiveOptions bare = options("preference", "{ name = bt, type = bradley-terry, input = in }");
        assertThat(bare).isEqualTo(BradleyTerryOptions.defaults());
        assertThat(bare.features()).isEmpty();

        BradleyTerryOptions given = (BradleyTerryOptions) options("preference", "{ name = bt, type = bradley-terry, input = in, "
                + "model = \"out/rm/model\", bootstrap = 0, confidence = 0.9, features { type = text-hash, bits = 12 } }");
        assertThat(given.model()).contains("out/rm/model");
        assertThat(given.resampling()).isEqualTo(new Resampling(OptionalInt.of(0), OptionalDouble.of(0.9)));
        assertThat(given.features()).contains(new FeatureSpec(FeatureType.TEXT_HASH, 12, FeatureSpec.DEFAULT_NGRAMS,
                FeatureSpec.DEFAULT_CROSS_TOKENS, FeatureSpec.PROMPT_RESPONSE));
    }

    @Test
    void resamplingOverridesOnlyWhatTheEntryGives() {
        JobConfig config = parse("preference", "{ name = bt, type = bradley-terry, input = in, bootstrap = 40 }");
        DiagnosticsConfig own = config.objectives().get(0).diagnostics(config.diagnostics());
        assertThat(own.bootstrap()).isEqualTo(40);
        assertThat(own.confidence()).isEqualTo(0.8);
        assertThat(config.diagnostics().bootstrap()).isEqualTo(300);
        JobConfig none = parse("preference", "{ name = bt, type = bradley-terry, input = in }");
        assertThat(none.objectives().get(0).diagnostics(none.diagnostics())).isEqualTo(none.diagnostics());
    }

    @Test
    void invalidCommonValuesKeepTheirMessages() {
        fails("preference", "{ name = bt, type = bradley-terry, input = in, bootstrap = -1 }",
                "Config test.conf: Invalid 'objectives.bt.bootstrap' (String: 2): -1 (must be an integer in [0.0, 100000.0])");
        fails("preference", "{ name = bt, type = bradley-terry, input = in, bootstrap = 2.5 }",
                "Config test.conf: Invalid 'objectives.bt.bootstrap' (String: 2): 2.5 (must be an integer in [0.0, 100000.0])");
        fails("preference", "{ name = bt, type = bradley-terry, input = in, confidence = 1 }",
                "Config test.conf: Invalid 'objectives.bt.confidence' (String: 2): 1.0 (must be strictly between 0 and 1)");
        fails("preference", "{ name = bt, type = bradley-terry, input = in, confidence = high }",
                "Config test.conf: Invalid 'objectives.bt.confidence' (String: 2): expected a number, got \"high\"");
        fails("preference", "{ name = bt, type = bradley-terry, input = in, features { type = bag } }",
                "Config test.conf: Invalid 'features.type' (String: 2): 'bag' (valid: embedding, text-hash, encoder)");
        fails("preference", "{ name = bt, type = bradley-terry, input = in, model = [a] }",
                "Config test.conf: Invalid 'objectives.bt.model' (String: 2): expected a string, got list");
    }

    @Test
    void sequenceLikelihoodDefaultsAndTypedValues() {
        SequenceLikelihoodOptions bare = (SequenceLikelihoodOptions) options("sequence", "{ name = lm, type = sequence-likelihood, input = in }");
        assertThat(bare.mode()).isEqualTo(SequenceMode.CONDITIONAL);
        assertThat(bare.model()).isEmpty();
        assertThat(bare.languageModel()).isEmpty();
        assertThat(bare.resampling()).isEqualTo(Resampling.NONE);

        SequenceLikelihoodOptions given = (SequenceLikelihoodOptions) options("sequence", "{ name = lm, type = sequence-likelihood, "
                + "input = in, mode = joint, model = \"lm/model\", language-model { order = 2, bits = 10, dimension = 8, classes = 7, "
                + "min-count = 3, prompt-parameters = separate } }");
        assertThat(given.mode()).isEqualTo(SequenceMode.JOINT);
        assertThat(given.model()).contains("lm/model");
        assertThat(given.languageModel()).contains(new LanguageModelOptions(OptionalInt.of(2), OptionalInt.of(10), OptionalInt.of(8),
                OptionalInt.of(7), OptionalLong.of(3), true));

        SequenceLikelihoodOptions empty = (SequenceLikelihoodOptions) options("sequence",
                "{ name = lm, type = sequence-likelihood, input = in, language-model { } }");
        assertThat(empty.languageModel()).contains(LanguageModelOptions.defaults());
    }

    @Test
    void invalidSequenceLikelihoodValuesKeepTheirMessages() {
        fails("sequence", "{ name = lm, type = sequence-likelihood, input = in, mode = both }",
                "Invalid objectives.lm.mode (String: 2): 'both' (valid: joint, conditional)");
        fails("sequence", "{ name = lm, type = sequence-likelihood, input = in, mode = 3 }",
                "Invalid objectives.lm.mode (String: 2): '3' (valid: joint, conditional)");
        String lm = "{ name = lm, type = sequence-likelihood, input = in, language-model ";
        fails("sequence", lm + "= 5 }", "Config test.conf: Invalid objectives.lm.language-model: expected a block "
                + "{ order, bits, dimension, classes, min-count, prompt-parameters }");
        fails("sequence", lm + "{ depth = 2 } }", "Config test.conf: Unknown key 'objectives.lm.language-model.depth'; valid keys here: "
                + "order, bits, dimension, classes, min-count, prompt-parameters");
        fails("sequence", lm + "{ order = 9 } }",
                "Config test.conf: Invalid objectives.lm.language-model.order: 9 (expected an integer in 1..8)");
        fails("sequence", lm + "{ bits = 3 } }",
                "Config test.conf: Invalid objectives.lm.language-model.bits: 3 (expected an integer in 4..24)");
        fails("sequence", lm + "{ dimension = 1025 } }",
                "Config test.conf: Invalid objectives.lm.language-model.dimension: 1025 (expected an integer in 1..1024)");
        fails("sequence", lm + "{ classes = -1 } }",
                "Config test.conf: Invalid objectives.lm.language-model.classes: -1 (expected an integer in 0..100000)");
        fails("sequence", lm + "{ min-count = 0 } }",
                "Config test.conf: Invalid objectives.lm.language-model.min-count: 0 (expected an integer in 1..4611686018427387903)");
        fails("sequence", lm + "{ order = many } }",
                "Config test.conf: Invalid objectives.lm.language-model.order: 'many' (expected an integer in 1..8)");
        fails("sequence", lm + "{ prompt-parameters = tied } }",
                "Config test.conf: Invalid objectives.lm.language-model.prompt-parameters: 'tied' (valid: shared, separate)");
    }

    @Test
    void expectedUtilityDefaultsAndTypedValues() {
        ExpectedUtilityOptions bare = (ExpectedUtilityOptions) options("sequence",
                "{ name = eu, type = expected-utility, input = in, utility { helpfulness = 0.8, harmfulness = -0.2 } }");
        assertThat(bare.utility()).containsExactly(Map.entry("helpfulness", 0.8), Map.entry("harmfulness", -0.2));
        assertThat(bare.clip()).isEqualTo(10.0);
        assertThat(bare.entropy()).isEqualTo(0.0);
        assertThat(bare.model()).isEmpty();
        assertThat(bare.features()).isEmpty();

        ExpectedUtilityOptions given = (ExpectedUtilityOptions) options("preference", "{ name = eu, type = expected-utility, input = in, "
                + "utility { u = 1 }, clip = 2.5, entropy = 0.1, model = \"p/model\", features { type = embedding } }");
        assertThat(given.clip()).isEqualTo(2.5);
        assertThat(given.entropy()).isEqualTo(0.1);
        assertThat(given.model()).contains("p/model");
        assertThat(given.features()).contains(FeatureSpec.of(FeatureType.EMBEDDING));
    }

    @Test
    void invalidExpectedUtilityValuesKeepTheirMessages() {
        String eu = "{ name = eu, type = expected-utility, input = in";
        fails("sequence", eu + " }",
                "Missing key 'objectives.eu.utility': an expected-utility objective needs utility { <score column> = <weight>, … }");
        fails("sequence", eu + ", utility { } }",
                "Invalid objectives.eu.utility (String: 2): expected utility { <score column> = <weight>, … } with at least one column");
        fails("sequence", eu + ", utility = 3 }",
                "Invalid objectives.eu.utility (String: 2): expected utility { <score column> = <weight>, … } with at least one column");
        fails("sequence", eu + ", utility { helpfulness = high } }",
                "Invalid objectives.eu.utility.helpfulness (String: 2): expected a finite number, got \"high\"");
        fails("sequence", eu + ", utility { u = 1 }, clip = 0 }",
                "Invalid objectives.eu.clip (String: 2): 0 (must be a finite number > 0)");
        fails("sequence", eu + ", utility { u = 1 }, clip = wide }",
                "Invalid objectives.eu.clip (String: 2): \"wide\" (must be a finite number > 0)");
        fails("sequence", eu + ", utility { u = 1 }, entropy = -0.5 }",
                "Invalid objectives.eu.entropy: -0.5 (must be a finite number >= 0)");
        fails("sequence", eu + ", utility { u = 1 }, entropy = lots }",
                "Invalid objectives.eu.entropy: \"lots\" (must be a finite number >= 0)");
    }

    @Test
    void expectedUtilityDoublyRobustKeys() {
        String eu = "{ name = eu, type = expected-utility, input = in, utility { u = 1 }";
        ExpectedUtilityOptions bare = (ExpectedUtilityOptions) options("sequence", eu + " }");
        assertThat(bare.qHat()).isEmpty();
        ExpectedUtilityOptions byClip = (ExpectedUtilityOptions) options("sequence", eu + ", clip = 4, q-hat = rm_estimate }");
        assertThat(byClip.qHat()).contains("rm_estimate");
        assertThat(byClip.switchTau()).as("switch-tau defaults to clip").isEqualTo(4.0);
        ExpectedUtilityOptions given = (ExpectedUtilityOptions) options("sequence", eu + ", q-hat = q, switch-tau = 0 }");
        assertThat(given.switchTau()).isEqualTo(0.0);
        assertThat(given.clip()).isEqualTo(10.0);

        fails("sequence", eu + ", q-hat = q, switch-tau = -1 }",
                "Invalid objectives.eu.switch-tau (String: 2): -1 (must be a finite number >= 0)");
        fails("sequence", eu + ", q-hat = q, switch-tau = many }",
                "Invalid objectives.eu.switch-tau (String: 2): \"many\" (must be a finite number >= 0)");
        fails("sequence", eu + ", switch-tau = 2 }", "Invalid objectives.eu.switch-tau (String: 2): switch-DR needs a reward estimate: "
                + "set objectives.eu.q-hat = <column> too, or remove switch-tau");
        fails("sequence", eu + ", q-hat = 3 }", "Config test.conf: Invalid 'objectives.eu.q-hat' (String: 2): 3 (expected the name "
                + "of the column holding q̂(x, a) on every candidate row)");
    }

    @Test
    void selfTargetDefaultsAndTypedValues() {
        SelfTargetOptions bare = (SelfTargetOptions) options("self-target", "{ name = st, type = self-target, input = in }");
        assertThat(bare.maxTargetTokens()).isEmpty();
        assertThat(bare.model()).isEmpty();
        SelfTargetOptions given = (SelfTargetOptions) options("self-target",
                "{ name = st, type = self-target, input = in, max-target-tokens = 16, model = \"lm/model\" }");
        assertThat(given.maxTargetTokens()).hasValue(16);
        assertThat(given.model()).contains("lm/model");
    }

    /** A string under a key containing "token" is masked as a secret would be (Redaction), in this message too. */
    @Test
    void invalidSelfTargetValuesKeepTheirMessages() {
        fails("self-target", "{ name = st, type = self-target, input = in, max-target-tokens = 0 }",
                "Invalid objectives.st.max-target-tokens (String: 2): '0' (expected an integer in 1..4096)");
        fails("self-target", "{ name = st, type = self-target, input = in, max-target-tokens = 4097 }",
                "Invalid objectives.st.max-target-tokens (String: 2): '4097' (expected an integer in 1..4096)");
        fails("self-target", "{ name = st, type = self-target, input = in, max-target-tokens = long }",
                "Invalid objectives.st.max-target-tokens (String: 2): '***' (expected an integer in 1..4096)");
    }

    @Test
    void keysOfAnotherTypeAreUnknown() {
        fails("preference", "{ name = bt, type = bradley-terry, input = in, clip = 5 }",
                "Config test.conf: Unknown key 'objectives.bt.clip' (String: 2); valid keys here: name, type, input, bootstrap, "
                        + "confidence, model, features");
        fails("self-target", "{ name = st, type = self-target, input = in, language-model { order = 2 } }",
                "Config test.conf: Unknown key 'objectives.st.language-model' (String: 2); valid keys here: name, type, input, "
                        + "bootstrap, confidence, model, max-target-tokens");
    }

    @Test
    void anObjectiveConfigHoldsTheOptionsOfItsType() {
        assertThatThrownBy(() -> new ObjectiveConfig("bt", ObjectiveType.SELF_TARGET, "in", BradleyTerryOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        ObjectiveConfig bt = new ObjectiveConfig("bt", ObjectiveType.BRADLEY_TERRY, "in", BradleyTerryOptions.defaults());
        assertThat(bt.optionsAs(BradleyTerryOptions.class)).isSameAs(bt.options());
        assertThatThrownBy(() -> bt.optionsAs(SelfTargetOptions.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
