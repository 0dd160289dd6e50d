package io.alignloss.config;

import com.typesafe.config.ConfigFactory;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code train} block as a {@link TrainConfig} of typed parts: every default, every key's typed value, and the
 * message (word for word) of each invalid value. The train block is on line 3 of the text ("String: 3").
 */
class TrainConfigTest {
    private static TrainConfig parse(String train) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("inputs.in { path = \"unused\", kind = preference }\n"
                + "objectives = [ { name = bt, type = bradley-terry, input = in }, { name = bt2, type = bradley-terry, input = in } ]\n"
                + "train { " + train + " }\n"), "test.conf", List.of(), Optional.empty()).train();
    }

    private static void fails(String train, String message) {
        assertThatThrownBy(() -> parse(train)).isInstanceOfSatisfying(AlignLossException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG)).hasMessage(message);
    }

    @Test
    void defaults() {
        TrainConfig train = parse("");
        assertThat(train.objective()).isEmpty();
        assertThat(train.optimization()).isEqualTo(new OptimizerSettings(OptimizerType.LBFGS, false, 100, false, 1e-9, 10, 0.01, 0.1, 10));
        assertThat(train.regularization()).isEqualTo(new Regularization(1e-6, 0));
        assertThat(train.validation()).isEqualTo(new ValidationSplit(0, 0));
        assertThat(train.checkpointEvery()).isEqualTo(10);
        assertThat(train.treeDepth()).isEqualTo(2);
        assertThat(train.margin()).isEmpty();
        assertThat(train.policyEstimator()).isEqualTo(PolicyEstimator.EXACT);
        assertThat(train.initModel()).isEmpty();
        assertThat(train.rounds()).isEqualTo(3);
        assertThat(train.optimization().iterations()).isEqualTo(100);
    }

    @Test
    void everyKeyGoesToItsPart() {
        TrainConfig train = parse("objective = bt2, optimizer = adam, max-iter = 7, tol = 1e-4, l2 = 0.5, memory = 4, "
                + "validation-fraction = 0.2, checkpoint-every = 0, tree-depth = 3, lr = 0.1, batch-fraction = 0.25, epochs = 3, "
                + "margin = m, center-rewards = 0.01, early-stopping-patience = 5, objective-estimator = snips, init-model = \"lm/model\", "
                + "rounds = 4");
        assertThat(train.objective()).contains("bt2");
        assertThat(train.optimization()).isEqualTo(new OptimizerSettings(OptimizerType.ADAM, true, 7, true, 1e-4, 4, 0.1, 0.25, 3));
        assertThat(train.regularization()).isEqualTo(new Regularization(0.5, 0.01));
        assertThat(train.validation()).isEqualTo(new ValidationSplit(0.2, 5));
        assertThat(train.checkpointEvery()).isZero();
        assertThat(train.treeDepth()).isEqualTo(3);
        assertThat(train.margin()).contains("m");
        assertThat(train.policyEstimator()).isEqualTo(PolicyEstimator.SNIPS);
        assertThat(train.policyEstimator().logged()).isTrue();
        assertThat(train.initModel()).contains("lm/model");
        assertThat(train.rounds()).isEqualTo(4);
        assertThat(train.optimization().iterations()).isEqualTo(7);
    }

    @Test
    void adamWithoutMaxIterRunsEpochsOverTheBatchFraction() {
        // ⌈3 / 0.25⌉ = 12 and ⌈1 / 0.3⌉ = 4 iterations
        assertThat(parse("optimizer = adam, epochs = 3, batch-fraction = 0.25").optimization().iterations()).isEqualTo(12);
        assertThat(parse("optimizer = adam, epochs = 1, batch-fraction = 0.3").optimization().iterations()).isEqualTo(4);
        assertThat(parse("epochs = 3, batch-fraction = 0.25").optimization().iterations()).isEqualTo(100);
    }

    @Test
    void aLanguageModelDefaultsToAdamUnlessTheOptimizerIsGiven() {
        assertThat(parse("").forLanguageModel().optimization().optimizer()).isEqualTo(OptimizerType.ADAM);
        assertThat(parse("").forLanguageModel().optimization().iterations()).isEqualTo(100);
        assertThat(parse("optimizer = lbfgs").forLanguageModel().optimization().optimizer()).isEqualTo(OptimizerType.LBFGS);
        TrainConfig train = parse("checkpoint-every = 3, rounds = 2");
        assertThat(train.withoutCheckpoints().checkpointEvery()).isZero();
        assertThat(train.withoutCheckpoints().rounds()).isEqualTo(2);
        assertThat(PolicyEstimator.EXACT.logged()).isFalse();
        assertThat(PolicyEstimator.IPS.logged()).isTrue();
    }

    /** Integer ranges print as doubles ("[1.0, 10.0]"): today's messages, kept word for word. */
    @Test
    void invalidValuesKeepTheirMessages() {
        fails("optimizer = sgd", "Config test.conf: Invalid 'train.optimizer' (String: 3): 'sgd' (valid: lbfgs, adam)");
        fails("objective-estimator = dr", "Config test.conf: Invalid 'train.objective-estimator' (String: 3): 'dr' (valid: exact, ips, snips)");
        fails("objective = nope", "Config test.conf: Invalid 'train.objective' (String: 3): no objective named 'nope' (objectives: bt, bt2)");
        fails("l2 = -1", "Config test.conf: Invalid 'train.l2' (String: 3): -1 (must be a number in [0.0, 1.7976931348623157E308])");
        fails("max-iter = 1.5", "Config test.conf: Invalid 'train.max-iter' (String: 3): 1.5 (must be an integer in [0.0, 1.0E9])");
        fails("tol = 2", "Config test.conf: Invalid 'train.tol' (String: 3): 2 (must be a number in [0.0, 1.0])");
        fails("memory = 0", "Config test.conf: Invalid 'train.memory' (String: 3): 0 (must be an integer in [1.0, 1000.0])");
        fails("validation-fraction = 0.95",
                "Config test.conf: Invalid 'train.validation-fraction' (String: 3): 0.95 (must be a number in [0.0, 0.9])");
        fails("checkpoint-every = -1", "Config test.conf: Invalid 'train.checkpoint-every' (String: 3): -1 (must be an integer in [0.0, 1.0E9])");
        fails("tree-depth = 11", "Config test.conf: Invalid 'train.tree-depth' (String: 3): 11 (must be an integer in [1.0, 10.0])");
        fails("lr = 0", "Config test.conf: Invalid 'train.lr' (String: 3): 0 (must be a number in [1.0E-12, 1000000.0])");
        fails("batch-fraction = 2", "Config test.conf: Invalid 'train.batch-fraction' (String: 3): 2 (must be a number in [1.0E-9, 1.0])");
        fails("epochs = 0", "Config test.conf: Invalid 'train.epochs' (String: 3): 0 (must be a number in [1.0E-9, 1000000.0])");
        fails("center-rewards = -1", "Config test.conf: Invalid 'train.center-rewards' (String: 3): -1 (must be a number in [0.0, 1000000.0])");
        fails("rounds = 0", "Config test.conf: Invalid 'train.rounds' (String: 3): 0 (must be an integer in [1.0, 1000.0])");
        fails("early-stopping-patience = 3", "Config test.conf: Invalid 'train.early-stopping-patience' (String: 3): early stopping needs "
                + "a validation split (set train.validation-fraction > 0)");
        fails("margin = \"\"", "Config test.conf: Invalid 'margin' (String: 3): empty");
        fails("optimizer = 3", "Config test.conf: Invalid 'optimizer' (String: 3): expected a string, got number "
                + "(quote URIs in HOCON: // starts a comment)");
        fails("rate = 1", "Config test.conf: Unknown key 'train.rate' (String: 3); valid keys here: " + String.join(", ", TrainConfig.KEYS));
    }
}
