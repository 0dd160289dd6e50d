package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.where;
import static java.lang.String.format;

/**
 * Reads a HOCON (or JSON) job config, applies {@code --set key=value} overrides and validates every key
 * before Spark starts. Unknown keys are errors that list the valid ones; messages name the key and the
 * file (and line) it came from. Each block has its parser ({@link InputsBlock}, {@link ObjectivesBlock} and
 * {@link ObjectiveOptionsParser}, {@link OutputBlock}, {@link DiagnosticsBlock}, {@link FeaturesBlock},
 * {@link TrainBlock}, {@link SparkBlock}) built on the shared readers of {@link ConfigValues}.
 */
public final class ConfigLoader {
    public static final List<String> TOP_LEVEL_KEYS = List.of("inputs", "objectives", "groups", "output", "bootstrap",
            "confidence", "min-group-count", "target", "reference", "loss-bound", "shift", "drift", "preference-biases", "features", "train", "run_date",
            SparkBlock.KEY);
    public static final List<String> INPUT_KEYS = InputsBlock.KEYS;
    public static final List<String> OUTPUT_KEYS = OutputBlock.KEYS;
    /** How many failed-run folders ({@code <out>.failed-<id>}) are kept per output by default. */
    public static final int DEFAULT_KEEP_FAILED = OutputBlock.DEFAULT_KEEP_FAILED;
    /** The placeholder that paths may contain, replaced by the {@code run_date} key (the nightly script sets it). */
    public static final String RUN_DATE_PLACEHOLDER = RunDates.RUN_DATE_PLACEHOLDER;

    private ConfigLoader() {
    }

    /**
     * Loads and validates a job config; substitutions the config does not define come from the process environment.
     *
     * @param file      the config file (HOCON or JSON)
     * @param overrides {@code key=value} strings from --set, applied in order
     * @param out       --out, which overrides {@code output.path} when present
     */
    public static JobConfig load(File file, List<String> overrides, Optional<String> out) {
        return load(file, overrides, out, System.getenv());
    }

    /** As {@link #load(File, List, Optional)}, with {@code ${NAME}} falling back to these environment variables. */
    public static JobConfig load(File file, List<String> overrides, Optional<String> out, Map<String, String> environment) {
        if (!file.isFile()) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read config %s: no such file", file));
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file, RequiredIncluder.options(file));
        }
        catch (ConfigException.IO e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot read config %s: %s (every include must exist here, "
                    + "unlike plain HOCON)", file, e.getMessage()), e);
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot parse config %s: %s (quote URIs in HOCON: // starts a comment)",
                    file, e.getMessage()), e);
        }
        return fromConfig(parsed, file.getPath(), overrides, out, environment);
    }

    /** Validates an already parsed config; {@code source} names it in messages. */
    public static JobConfig fromConfig(Config parsed, String source, List<String> overrides, Optional<String> out) {
        return fromConfig(parsed, source, overrides, out, System.getenv());
    }

    /**
     * Validates an already parsed config, resolving substitutions it does not define from {@code environment}.
     * Values built from the environment are found by resolving a second time with every variable replaced by a
     * marker; they, and values under secret-looking keys, are masked in what the job shows ({@link Redaction}).
     */
    public static JobConfig fromConfig(Config parsed, String source, List<String> overrides, Optional<String> out,
            Map<String, String> environment) {
        Config config = parsed;
        for (String override : overrides) {
            config = Overrides.apply(config, override, source);
        }
        if (out.isPresent()) {
            config = config.withValue("output.path", ConfigValueFactory.fromAnyRef(out.get(), "--out"));
        }
        Environment used = Environment.of(environment);
        Config resolved;
        Config marked;
        try {
            ConfigResolveOptions options = ConfigResolveOptions.defaults().setUseSystemEnvironment(false);
            resolved = config.resolve(options.appendResolver(used));
            marked = config.resolve(options.appendResolver(Environment.marking(environment)));
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot resolve config %s: %s", source, e.getMessage()), e);
        }
        Redaction redaction = redaction(resolved, marked, used.usedValues());
        try {
            Config substituted = RunDates.substitute(resolved, source);
            redaction = redaction(substituted, marked, used.usedValues(), redaction);
            return validate(substituted, source, redaction);
        }
        catch (AlignLossException e) {
            throw redaction.exception(e);
        }
    }

    private static Redaction redaction(Config resolved, Config marked, Set<String> environmentValues, Redaction... before) {
        Set<String> maskedKeys = new TreeSet<>();
        List<String> secrets = new ArrayList<>(environmentValues);
        findSecrets(resolved.root(), marked.root(), "", maskedKeys, secrets);
        for (Redaction earlier : before) {
            maskedKeys.addAll(earlier.maskedKeys());
            secrets.addAll(earlier.secrets());
        }
        return Redaction.of(maskedKeys, secrets);
    }

    // walks the real and the marked resolution side by side: a string is secret when its marked twin holds the
    // marker (it was built from the environment) or its key looks like a secret's
    private static void findSecrets(ConfigValue real, ConfigValue marked, String key, Set<String> maskedKeys, List<String> secrets) {
        switch (real.valueType()) {
            case OBJECT -> {
                ConfigObject markedObject = marked != null && marked.valueType() == ConfigValueType.OBJECT ? (ConfigObject) marked : null;
                ((ConfigObject) real).forEach((child, value) -> findSecrets(value, markedObject == null ? null : markedObject.get(child),
                        Redaction.key(key, child), maskedKeys, secrets));
            }
            case LIST -> {
                ConfigList list = (ConfigList) real;
                ConfigList markedList = marked != null && marked.valueType() == ConfigValueType.LIST ? (ConfigList) marked : null;
                for (int i = 0; i < list.size(); i++) {
                    findSecrets(list.get(i), markedList == null || i >= markedList.size() ? null : markedList.get(i),
                            Redaction.entry(key, i), maskedKeys, secrets);
                }
            }
            case STRING -> {
                boolean fromEnvironment = marked != null && marked.valueType() == ConfigValueType.STRING
                        && ((String) marked.unwrapped()).contains(Environment.MARKER);
                if (fromEnvironment || Redaction.SECRET_KEY.matcher(key).find()) {
                    maskedKeys.add(key);
                    secrets.add((String) real.unwrapped());
                }
            }
            default -> {
            }
        }
    }

    private static JobConfig validate(Config config, String source, Redaction redaction) {
        checkKeys(config.root(), "", TOP_LEVEL_KEYS, source);
        Map<String, InputConfig> inputs = InputsBlock.parse(config, source);
        List<ObjectivesBlock.Entry> entries = ObjectivesBlock.parse(config, inputs, source);
        List<String> groups = List.of();
        if (config.hasPath("groups")) {
            try {
                groups = config.getStringList("groups");
            }
            catch (ConfigException.WrongType e) {
                throw error(source, "Invalid 'groups' (%s): expected a list of column names", where(config.getValue("groups")));
            }
            if (new HashSet<>(groups).size() != groups.size()) {
                throw error(source, "Invalid 'groups' (%s): a column is listed twice: %s", where(config.getValue("groups")), groups);
            }
        }
        OutputBlock output = OutputBlock.parse(config, source);
        DiagnosticsConfig diagnostics = DiagnosticsBlock.parse(config, source);
        Optional<FeatureSpec> features = config.hasPath("features")
                ? Optional.of(FeaturesBlock.parse(config, "features", source)) : Optional.empty();
        List<ObjectiveConfig> objectives = new ArrayList<>();
        for (ObjectivesBlock.Entry entry : entries) {
            objectives.add(new ObjectiveConfig(entry.name(), entry.type(), entry.input(), ObjectiveOptionsParser.parse(entry, source)));
        }
        TrainConfig train = TrainBlock.parse(config, objectives, source);
        return new JobConfig(inputs, objectives, groups, output.path(), output.perExample(), output.keepFailed(), diagnostics, features,
                train, source, config, redaction, SparkBlock.parse(config, source), output.perExampleTable());
    }
}
