package io.alignloss.config;

import com.typesafe.config.Config;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        assertThat(config.objectives().get(1).optionsAs(SequenceLikelihoodOptions.class).mode()).isEqualTo(SequenceMode.JOINT);
        assertThat(config.inputs().get("seqs").path()).isEqualTo("hdfs://127.0.0.1:9000/x/y");
        assertThat(config.perExample()).isFalse();
        assertThat(config.objectives().get(2).optionsAs(ExpectedUtilityOptions.class).utility()).containsOnlyKeys("helpfulness");
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
                .hasMessageContaining("job.conf: 6): 'bradley_terry' (valid types: bradley-terry, "
                        + "sequence-likelihood, expected-utility, self-target, dpo)");
        File badInput = write(VALID.replace("input = prefs }", "input = prefz }"));
        assertThatThrownBy(() -> ConfigLoader.load(badInput, List.of(), Optional.empty()))
                .hasMessageContaining("no input named 'prefz' (inputs: prefs, seqs)");
        File badKind = write(VALID.replace("kind = preference", "kind = pairs"));
        assertThatThrownBy(() -> ConfigLoader.load(badKind, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid 'inputs.prefs.kind' (").hasMessageContaining("job.conf: 2): 'pairs' (valid: preference, sequence, self-target)");
    }

    @Test
    void enumValueErrorsNameTheFileAndLine() throws Exception {
        File badKind = write(VALID.replace("kind = preference", "kind = preferense"));
        assertThatThrownBy(() -> ConfigLoader.load(badKind, List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessage("Config " + badKind + ": Invalid 'inputs.prefs.kind' (" + badKind
                        + ": 2): 'preferense' (valid: preference, sequence, self-target)");
        File badFeatures = write(VALID + "features { type = bag-of-words }\n");
        assertThatThrownBy(() -> ConfigLoader.load(badFeatures, List.of(), Optional.empty()))
                .hasMessageContaining("Invalid 'features.type' (").hasMessageContaining("job.conf: 12): 'bag-of-words' (valid: ");
    }

    @Test
    void anIncludeIsReadRelativeToTheFileAndAMissingOneIsAnError() throws Exception {
        Path shared = Files.createDirectories(temp.resolve("conf"));
        Files.writeString(shared.resolve("base.conf"), VALID);
        Path job = shared.resolve("job.conf");
        Files.writeString(job, "include \"base.conf\"\nbootstrap = 7\n");
        assertThat(ConfigLoader.load(job.toFile(), List.of(), Optional.empty()).diagnostics().bootstrap()).isEqualTo(7);
        Files.writeString(job, "include \"base\"\nbootstrap = 8\n");
        assertThat(ConfigLoader.load(job.toFile(), List.of(), Optional.empty()).diagnostics().bootstrap()).isEqualTo(8);

        // plain HOCON ignores a missing plain include; here it is a config error (exit 2) naming the file
        Files.writeString(job, "include \"bsae.conf\"\nbootstrap = 7\n");
        assertThatThrownBy(() -> ConfigLoader.load(job.toFile(), List.of(), Optional.empty()))
                .isInstanceOfSatisfying(AlignLossException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("Cannot read config " + job)
                .hasMessageContaining("included file " + shared.resolve("bsae.conf") + " does not exist")
                .hasMessageContaining("every include must exist here");
        Files.writeString(job, "include file(\"" + shared.resolve("nowhere.conf") + "\")\n");
        assertThatThrownBy(() -> ConfigLoader.load(job.toFile(), List.of(), Optional.empty()))
                .hasMessageContaining(shared.resolve("nowhere.conf").toString());
        Files.writeString(job, "include \"bsae\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(job.toFile(), List.of(), Optional.empty()))
                .hasMessageContaining("included file " + shared.resolve("bsae") + " (.conf, .json or .properties) does not exist");
    }

    /** An environment holding a key pair and a bucket, as a scheduler would export them. */
    private static final Map<String, String> ENV = Map.of("AWS_KEY", "AKIAEXAMPLE", "AWS_SECRET", "wJalrXUtnFEMI/K7MDENG",
            "BUCKET", "team-bucket-7", "SHORT", "ab");

    @Test
    void valuesBuiltFromTheEnvironmentAreUsedButShownMasked() throws Exception {
        File file = write("""
                inputs {
                  prefs { path = "s3a://"${BUCKET}"/lake/prefs", kind = preference }
                  seqs { path = "data/"${SHORT}"/seqs", kind = sequence }
                  logged { path = "s3a://"${AWS_KEY}":"${AWS_SECRET}"@other/logged", kind = sequence }
                }
                objectives = [ { name = bt, type = bradley-terry, input = prefs } ]
                drift { previous = ${inputs.prefs.path}"/yesterday" }
                output.path = "s3a://KEYID:s3cr3t@"${BUCKET}"/out"
                reference { path = "s3a://ID2:pw2@plain-bucket/ref" }
                """);
        JobConfig config = ConfigLoader.load(file, List.of(), Optional.empty(), ENV);
        // the job uses the real values
        assertThat(config.inputs().get("prefs").path()).isEqualTo("s3a://team-bucket-7/lake/prefs");
        assertThat(config.inputs().get("seqs").path()).isEqualTo("data/ab/seqs");
        assertThat(config.inputs().get("logged").path()).isEqualTo("s3a://AKIAEXAMPLE:wJalrXUtnFEMI/K7MDENG@other/logged");
        assertThat(config.outputPath()).contains("s3a://KEYID:s3cr3t@team-bucket-7/out");
        assertThat(config.diagnostics().drift().get().previous()).isEqualTo("s3a://team-bucket-7/lake/prefs/yesterday");

        Config shown = config.shownConfig();
        assertThat(shown.getString("inputs.prefs.path")).isEqualTo("***");
        assertThat(shown.getString("inputs.seqs.path")).isEqualTo("***");
        assertThat(shown.getString("inputs.logged.path")).isEqualTo("***");
        assertThat(shown.getString("drift.previous")).as("through a ${inputs.prefs.path} chain").isEqualTo("***");
        assertThat(shown.getString("output.path")).isEqualTo("***");
        assertThat(shown.getString("reference.path")).as("user-info of a literal URI").isEqualTo("s3a://***@plain-bucket/ref");
        assertThat(shown.getString("inputs.prefs.kind")).isEqualTo("preference");
        String rendered = shown.root().render();
        for (String secret : List.of("AKIAEXAMPLE", "wJalrXUtnFEMI", "team-bucket-7", "s3cr3t", "pw2", "data/ab")) {
            assertThat(rendered).doesNotContain(secret);
        }

        // in free text: whole values and the variables' values (4 characters or more) are masked, and user-info
        Redaction redaction = config.redaction();
        assertThat(redaction.text("Cannot read input 'prefs' at s3a://team-bucket-7/lake/prefs/part-0.parquet"))
                .isEqualTo("Cannot read input 'prefs' at ***/part-0.parquet");
        assertThat(redaction.text("listing s3a://team-bucket-7/elsewhere failed")).isEqualTo("listing s3a://***/elsewhere failed");
        assertThat(redaction.text("s3a://u:p@host/x and data/ab/seqs, ab, 25 rounds")).isEqualTo("s3a://***@host/x and ***, ab, 25 rounds");
    }

    @Test
    void keysThatLookSecretAreMaskedAsSparkDoes() throws Exception {
        File file = write(VALID.replace("prefs {", "secret_prefs {").replace("input = prefs", "input = secret_prefs"));
        JobConfig config = ConfigLoader.load(file, List.of(), Optional.empty(), Map.of());
        assertThat(config.inputs().get("secret_prefs").path()).isEqualTo("hdfs://127.0.0.1:9000/lake/prefs");
        assertThat(config.shownConfig().getString("inputs.secret_prefs.path")).isEqualTo("***");
        assertThat(config.shownConfig().getString("inputs.seqs.path")).isEqualTo("data/seqs");
        assertThat(Redaction.SECRET_KEY.matcher("fs.s3a.access.key").find()).isTrue();
        assertThat(Redaction.SECRET_KEY.matcher("inputs.prefs.path").find()).isFalse();
    }

    @Test
    void aConfigErrorDoesNotEchoAValueFromTheEnvironment() throws Exception {
        File file = write(VALID.replace("kind = preference", "kind = ${KIND}"));
        assertThatThrownBy(() -> ConfigLoader.load(file, List.of(), Optional.empty(), Map.of("KIND", "hunter2-token")))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Invalid 'inputs.prefs.kind'").hasMessageContaining("'***'")
                .hasMessageNotContaining("hunter2");
        File run = write(VALID + "run_date = ${RUN}\ninputs.seqs.path = \"s3a://"+"\"${BUCKET}\"/${run_date}\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(run, List.of(), Optional.empty(), Map.of("RUN", "24.11.2026", "BUCKET", "team-bucket-7")))
                .hasMessageContaining("Invalid 'run_date'").hasMessageNotContaining("24.11.2026");
        JobConfig dated = ConfigLoader.load(run, List.of(), Optional.empty(), Map.of("RUN", "2026-11-24", "BUCKET", "team-bucket-7"));
        assertThat(dated.inputs().get("seqs").path()).isEqualTo("s3a://team-bucket-7/2026-11-24");
        assertThat(dated.shownConfig().getString("inputs.seqs.path")).isEqualTo("***");
        assertThat(dated.redaction().text("at s3a://team-bucket-7/2026-11-24/part-1")).isEqualTo("at ***/part-1");
    }

    @Test
    void withoutTheEnvironmentNothingIsMaskedButUserInfo() throws Exception {
        JobConfig config = ConfigLoader.load(write(VALID), List.of(), Optional.empty(), Map.of("HOME", "/home/someone"));
        assertThat(config.shownConfig().root().render()).isEqualTo(config.resolved().root().render());
        assertThat(config.redaction().text("s3a://k:s@b/x, /home/someone")).isEqualTo("s3a://***@b/x, /home/someone");
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
    void outputLifecycleKeysHaveDefaultsAndAreValidated() throws Exception {
        JobConfig defaults = ConfigLoader.load(write(VALID), List.of(), Optional.empty());
        assertThat(defaults.keepFailed()).isEqualTo(5);
        assertThat(defaults.inputs().get("prefs").allowEmpty()).isFalse();

        JobConfig set = ConfigLoader.load(write(VALID + "output.keep-failed = 2\ninputs.seqs.allow-empty = true\n"), List.of(),
                Optional.empty());
        assertThat(set.keepFailed()).isEqualTo(2);
        assertThat(set.inputs().get("seqs").allowEmpty()).isTrue();
        assertThat(set.inputs().get("prefs").allowEmpty()).isFalse();

        assertThatThrownBy(() -> ConfigLoader.load(write(VALID + "output.keep-failed = 0\n"), List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class).hasMessageContaining("Invalid 'output.keep-failed' (")
                .hasMessageContaining("job.conf: 12): 0 (must be an integer in [1");
        assertThatThrownBy(() -> ConfigLoader.load(write(VALID + "inputs.prefs.allow-empty = sometimes\n"), List.of(), Optional.empty()))
                .isInstanceOf(AlignLossException.class)
                .hasMessageContaining("Invalid 'inputs.prefs.allow-empty' (").hasMessageContaining("expected true or false");
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
        assertThat(configured.objectives().get(0).diagnostics(configured.diagnostics()).bootstrap()).isEqualTo(50);
        assertThat(configured.objectives().get(0).diagnostics(configured.diagnostics()).confidence()).isEqualTo(0.9);

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
        assertThat(Overrides.value("5", "k=5").unwrapped()).isEqualTo(5L);
        assertThat(Overrides.value("0.25", "k=0.25").unwrapped()).isEqualTo(0.25);
        assertThat(Overrides.value("true", "k=true").unwrapped()).isEqualTo(true);
        assertThat(Overrides.value("hdfs://127.0.0.1/x", "k").unwrapped()).isEqualTo("hdfs://127.0.0.1/x");
        assertThat(Overrides.value("\"5\"", "k").unwrapped()).isEqualTo("5");
    }
}
