package io.alignloss.config;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.objective.ObjectiveType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String VALID = """
            inputs {
              prefs { path = "hdfs://127.0.0.1:9000/lake/prefs", kind = preference }
              seqs { path = "data/seqs", kind = sequence }
            }
            objectives = [
              { name = bt, type = bradley-terry, input = prefs }
              { name = lm, type = sequence-likelihood, input = seqs }
              { name = eu, type = expected-utility, input = seqs, utility { helpfulness = 0.8, harmfulness = -0.2 } }
            ]
            groups = [ language ]
            output.path = "out/run"
            """;

    @TempDir
    Path temp;

    private File write(String text) throws Exception {
        Path file = temp.resolve("job.conf");
        Files.writeString(file, text);
        return file.toFile();
    }

    @Test
    void readsAValidConfig() throws Exception {
        JobConfig config = ConfigLoader.load(write(VALID), List.of(), Optional.empty());
        assertThat(config.inputs().keySet()).containsExactly("prefs", "seqs");
        assertThat(config.inputs().get("prefs").path()).isEqualTo("hdfs://127.0.0.1:9000/lake/prefs");
        assertThat(config.objectives()).extracting(ObjectiveConfig::type)
                .containsExactly(ObjectiveType.BRADLEY_TERRY, ObjectiveType.SEQUENCE_LIKELIHOOD, ObjectiveType.EXPECTED_UTILITY);
        assertThat(config.groups()).containsExactly("language");
        assertThat(config.outputPath()).contains("out/run");
        assertThat(config.perExample()).isTrue();
    }

    @Test
    void clusterIsTheDefaultNoneOrAColumnWithWhereItWasSet() throws Exception {
        JobConfig config = ConfigLoader.load(write(VALID + "\ninputs.prefs.cluster = none\ninputs.seqs.cluster = conversation\n"),
                List.of(), Optional.empty());
        assertThat(config.inputs().get("prefs").cluster().choice()).isEqualTo(ClusterKey.Choice.NONE);
        ClusterKey seqs = config.inputs().get("seqs").cluster();
        assertThat(seqs.choice()).isEqualTo(ClusterKey.Choice.COLUMN);
        assertThat(seqs.column()).isEqualTo("conversation");
        assertThat(seqs.origin()).endsWith("job.conf: 14");
        assertThat(ConfigLoader.load(write(VALID), List.of(), Optional.empty()).inputs().get("prefs").cluster())
                .isEqualTo(ClusterKey.DEFAULT);
        File empty = write(VALID + "\ninputs.prefs.cluster = \"\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(empty, List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Invalid 'inputs.prefs.cluster' (")
                .hasMessageContaining("job.conf: 13): empty");
    }

    @Test
    void unknownKeyListsTheValidKeysAndNamesTheFileAndLine() throws Exception {
        File file = write(VALID + "\noutptu.path = x\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Unknown key 'outptu'")
                .hasMessageContaining("job.conf: 13")
                .hasMessageContaining("valid keys here: inputs, objectives, groups, output");
    }

    @Test
    void unknownObjectiveKeyIsAnErrorNamingTheObjective() throws Exception {
        File file = write(VALID.replace("input = prefs }", "input = prefs, maximize = true }"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Unknown key 'objectives.bt.maximize'")
                .hasMessageContaining("valid keys here: name, type, input");
    }

    @Test
    void setOverridesAnyKeyAndAddressesObjectivesByName() throws Exception {
        JobConfig config = ConfigLoader.load(write(VALID),
                List.of("objectives.lm.mode=joint", "inputs.seqs.path=hdfs://127.0.0.1:9000/x/y", "output.per-example=false",
                        "objectives.eu.utility={ helpfulness = 1 }", "groups=[language, domain]"),
                Optional.of("elsewhere"));
        assertThat(config.objectives().get(1).options().getString("mode")).isEqualTo("joint");
        assertThat(config.inputs().get("seqs").path()).isEqualTo("hdfs://127.0.0.1:9000/x/y");
        assertThat(config.perExample()).isFalse();
        assertThat(config.objectives().get(2).options().getConfig("utility").root().keySet()).containsExactly("helpfulness");
        assertThat(config.groups()).containsExactly("language", "domain");
        assertThat(config.outputPath()).contains("elsewhere");
    }

    @Test
    void setOnAnUnknownObjectiveListsTheObjectives() throws Exception {
        File file = write(VALID);
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of("objectives.nope.mode=joint"), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("no objective named 'nope' (objectives: bt, lm, eu)")
                .extracting(error -> ((AlignLossException) error).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void setOfAnUnknownKeyFailsValidation() throws Exception {
        File file = write(VALID);
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of("objectives.bt.clip=5"), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Unknown key 'objectives.bt.clip'")
                .hasMessageContaining("--set objectives.bt.clip=5");
    }

    @Test
    void objectiveMustReadAnInputOfItsKind() throws Exception {
        File file = write(VALID.replace("{ name = bt, type = bradley-terry, input = prefs }",
                "{ name = bt, type = bradley-terry, input = seqs }"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty()))
                .hasMessageContaining("a bradley-terry objective reads a preference input, but 'seqs' is a sequence input");
    }

    @Test
    void unknownTypeAndInputAndKindAreErrors() throws Exception {
        File badType = write(VALID.replace("type = bradley-terry", "type = bradley_terry"));
        assertThatThrownBy(() -> ConfigLoader.load(badType, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid objectives.bt.type: 'bradley_terry' (valid types: bradley-terry, sequence-likelihood, expected-utility, self-target)");
        File badInput = write(VALID.replace("input = prefs }", "input = prefz }"));
        assertThatThrownBy(() -> ConfigLoader.load(badInput, List.of(), Optional.empty()))
                .hasMessageContaining("no input named 'prefz' (inputs: prefs, seqs)");
        File badKind = write(VALID.replace("kind = preference", "kind = pairs"));
        assertThatThrownBy(() -> ConfigLoader.load(badKind, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid inputs.prefs.kind: 'pairs' (valid: preference, sequence, self-target)");
    }

    @Test
    void unquotedUriIsCaughtWithAHint() throws Exception {
        File file = write(VALID.replace("\"hdfs://127.0.0.1:9000/lake/prefs\"", "hdfs://127.0.0.1:9000/lake/prefs"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("quote URIs");
    }

    @Test
    void duplicateObjectiveNamesAndMissingFileAreErrors() throws Exception {
        File file = write(VALID.replace("name = lm", "name = bt"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty()))
                .hasMessageContaining("Duplicate objective name 'bt'");
        assertThatThrownBy(() -> ConfigLoader.load(temp.resolve("absent.conf").toFile(), List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("absent.conf: no such file");
    }

    @Test
    void diagnosticsKeysHaveDefaultsAndAreValidated() throws Exception {
        JobConfig defaults = ConfigLoader.load(write(VALID), List.of(), Optional.empty());
        assertThat(defaults.diagnostics().bootstrap()).isEqualTo(200);
        assertThat(defaults.diagnostics().confidence()).isEqualTo(0.95);
        assertThat(defaults.diagnostics().minGroupCount()).isEqualTo(30);
        assertThat(defaults.diagnostics().target()).isEmpty();
        assertThat(defaults.diagnostics().biases()).isTrue();

        JobConfig configured = ConfigLoader.load(write(VALID + """
                bootstrap = 500
                confidence = 0.9
                target { language { en = 0.5, de = 0.5 } }
                reference { path = "ref.parquet" }
                loss-bound = [0, 5]
                shift { clip = 20 }
                drift { previous = "out/yesterday", max-loss-change = 0.02 }
                """), List.of("objectives.bt.bootstrap=50"), Optional.empty());
        assertThat(configured.diagnostics().target()).containsKey("language");
        assertThat(configured.diagnostics().reference()).contains("ref.parquet");
        assertThat(configured.diagnostics().lossBound().get().high()).isEqualTo(5.0);
        assertThat(configured.diagnostics().drift().get().maxLossChange().getAsDouble()).isEqualTo(0.02);
        assertThat(ConfigLoader.resampling(configured.objectives().get(0).options(), "objectives.bt.", configured.diagnostics(), "x")
                .bootstrap()).isEqualTo(50);

        File badShares = write(VALID + "target { language { en = 0.5, de = 0.4 } }\n");
        assertThatThrownBy(() -> ConfigLoader.load(badShares, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid 'target.language'").hasMessageContaining("shares sum to 0.9");
        File badConfidence = write(VALID + "confidence = 95\n");
        assertThatThrownBy(() -> ConfigLoader.load(badConfidence, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid 'confidence'");
        File badDrift = write(VALID + "drift { previous = x, max-los-change = 1 }\n");
        assertThatThrownBy(() -> ConfigLoader.load(badDrift, List.of(), Optional.empty()))
                .hasMessageContaining("Unknown key 'drift.max-los-change'");
    }

    @Test
    void parseValueTypesNumbersBooleansAndKeepsUrisVerbatim() {
        assertThat(ConfigLoader.parseValue("5", "k=5").unwrapped()).isEqualTo(5L);
        assertThat(ConfigLoader.parseValue("0.25", "k=0.25").unwrapped()).isEqualTo(0.25);
        assertThat(ConfigLoader.parseValue("true", "k=true").unwrapped()).isEqualTo(true);
        assertThat(ConfigLoader.parseValue("hdfs://127.0.0.1/x", "k").unwrapped()).isEqualTo("hdfs://127.0.0.1/x");
        assertThat(ConfigLoader.parseValue("\"5\"", "k").unwrapped()).isEqualTo("5");
    }
}
