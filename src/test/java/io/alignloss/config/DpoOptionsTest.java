package io.alignloss.config;

import com.typesafe.config.ConfigFactory;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code dpo} objective's keys: defaults, typed values, and each invalid value's message (word for word, with the
 * file and line: the entry is on line 2 of the text) and exit code 2.
 */
class DpoOptionsTest {
    private static JobConfig parse(String kind, String entry) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("inputs.in { path = \"unused\", kind = " + kind + " }\n"
                + "objectives = [ " + entry + " ]\n"), "test.conf", List.of(), Optional.empty());
    }

    private static DpoOptions options(String entry) {
        return (DpoOptions) parse("preference", entry).objectives().get(0).options();
    }

    private static void fails(String kind, String entry, String message) {
        assertThatThrownBy(() -> parse(kind, entry)).isInstanceOfSatisfying(AlignLossException.class,
                e -> assertThat(e.code().exitStatus()).isEqualTo(2)).hasMessage(message);
    }

    @Test
    void defaultsAreSigmoidBetaPointOneNoSmoothingLoggedReference() {
        DpoOptions bare = options("{ name = d, type = dpo, input = in }");
        assertThat(bare).isEqualTo(DpoOptions.defaults());
        assertThat(bare.beta()).isEqualTo(0.1);
        assertThat(bare.lossType()).isEqualTo(DpoLossType.SIGMOID);
        assertThat(bare.labelSmoothing()).isEqualTo(0.0);
        assertThat(bare.reference()).isEqualTo(DpoReference.LOGGED);
        assertThat(bare.model()).isEmpty();
        assertThat(bare.type()).isEqualTo(ObjectiveType.DPO);
    }

    @Test
    void typedValues() {
        DpoOptions given = options("{ name = d, type = dpo, input = in, beta = 0.25, loss-type = robust, label-smoothing = 0.1, "
                + "reference = none, bootstrap = 50 }");
        assertThat(given).isEqualTo(new DpoOptions(new Resampling(OptionalInt.of(50), OptionalDouble.empty()), 0.25, DpoLossType.ROBUST,
                0.1, DpoReference.NONE));
        assertThat(options("{ name = d, type = dpo, input = in, loss-type = sigmoid_norm }").lossType()).isEqualTo(DpoLossType.SIGMOID_NORM);
        assertThat(options("{ name = d, type = dpo, input = in, loss-type = ipo, beta = 2 }").lossType().lengthNormalised()).isTrue();
        assertThat(options("{ name = d, type = dpo, input = in, label-smoothing = 0.5 }").labelSmoothing()).isEqualTo(0.5);
        assertThat(ConfigName.valid(DpoLossType.class)).isEqualTo("sigmoid, robust, hinge, ipo, sigmoid_norm");
    }

    @Test
    void invalidValuesAreConfigErrorsNamingFileAndLine() {
        fails("preference", "{ name = d, type = dpo, input = in, beta = 0 }",
                "Config test.conf: Invalid 'objectives.d.beta' (String: 2): 0 (must be a finite number > 0)");
        fails("preference", "{ name = d, type = dpo, input = in, beta = -0.1 }",
                "Config test.conf: Invalid 'objectives.d.beta' (String: 2): -0.1 (must be a finite number > 0)");
        fails("preference", "{ name = d, type = dpo, input = in, beta = high }",
                "Config test.conf: Invalid 'objectives.d.beta' (String: 2): \"high\" (must be a finite number > 0)");
        fails("preference", "{ name = d, type = dpo, input = in, loss-type = kto }",
                "Config test.conf: Invalid 'objectives.d.loss-type' (String: 2): 'kto' (valid: sigmoid, robust, hinge, ipo, sigmoid_norm)");
        fails("preference", "{ name = d, type = dpo, input = in, reference = model }",
                "Config test.conf: Invalid 'objectives.d.reference' (String: 2): 'model' (valid: logged, none)");
        fails("preference", "{ name = d, type = dpo, input = in, loss-type = robust, label-smoothing = 0.5 }",
                "Config test.conf: Invalid 'objectives.d.label-smoothing' (String: 2): 0.5 (loss-type robust needs "
                        + "0 <= label-smoothing < 0.5: it divides by 1 - 2*eps)");
        fails("preference", "{ name = d, type = dpo, input = in, label-smoothing = 0.6 }",
                "Config test.conf: Invalid 'objectives.d.label-smoothing' (String: 2): 0.6 (must be a number in [0.0, 0.5])");
        fails("preference", "{ name = d, type = dpo, input = in, label-smoothing = -0.1 }",
                "Config test.conf: Invalid 'objectives.d.label-smoothing' (String: 2): -0.1 (must be a number in [0.0, 0.5])");
        fails("preference", "{ name = d, type = dpo, input = in, loss-type = hinge, label-smoothing = 0.1 }",
                "Config test.conf: Invalid 'objectives.d.label-smoothing' (String: 2): 0.1 (loss-type hinge has no label smoothing; "
                        + "only sigmoid and robust do)");
        fails("preference", "{ name = d, type = dpo, input = in, model = \"m\" }",
                "Config test.conf: Unknown key 'objectives.d.model' (String: 2); valid keys here: name, type, input, bootstrap, "
                        + "confidence, beta, loss-type, label-smoothing, reference");
        fails("sequence", "{ name = d, type = dpo, input = in }",
                "Config test.conf: Invalid objectives.d.input (String: 2): a dpo objective reads a preference input, but 'in' is a "
                        + "sequence input");
    }

    @Test
    void theRecordRefusesWhatTheParserRefuses() {
        assertThatThrownBy(() -> new DpoOptions(Resampling.NONE, 0, DpoLossType.SIGMOID, 0, DpoReference.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be finite and > 0: 0.0");
        assertThatThrownBy(() -> new DpoOptions(Resampling.NONE, 0.1, DpoLossType.ROBUST, 0.5, DpoReference.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("label smoothing 0.5 is not valid for loss type robust");
        assertThatThrownBy(() -> new DpoOptions(Resampling.NONE, 0.1, DpoLossType.IPO, 0.1, DpoReference.LOGGED))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("label smoothing 0.1 is not valid for loss type ipo");
        assertThat(ErrorCode.CONFIG.exitStatus()).isEqualTo(2);
    }
}
