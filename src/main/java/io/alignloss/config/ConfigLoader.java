package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;

import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static java.lang.String.format;

/**
 * Reads a HOCON (or JSON) job config, applies {@code --set key=value} overrides and validates every key
 * before Spark starts. Unknown keys are errors that list the valid ones; messages name the key and the
 * file (and line) it came from.
 */
public final class ConfigLoader {
    public static final List<String> TOP_LEVEL_KEYS = List.of("inputs", "objectives", "groups", "output", "bootstrap",
            "confidence", "min-group-count", "target", "reference", "loss-bound", "shift", "drift", "preference-biases", "features", "train", "run_date");
    public static final List<String> INPUT_KEYS = List.of("path", "kind", "position", "cluster", "allow-empty");
    public static final List<String> OUTPUT_KEYS = List.of("path", "per-example", "keep-failed");
    /** How many failed-run folders ({@code <out>.failed-<id>}) are kept per output by default. */
    public static final int DEFAULT_KEEP_FAILED = 5;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

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
            config = applyOverride(config, override, source);
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
            Config substituted = substituteRunDate(resolved, source);
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

    /** The placeholder that paths may contain, replaced by the {@code run_date} key (the nightly script sets it). */
    public static final String RUN_DATE_PLACEHOLDER = "${run_date}";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * Replaces {@code ${run_date}} in the path keys (inputs.*.path, reference.path, output.path,
     * drift.previous) by the top-level {@code run_date} (YYYY-MM-DD). HOCON leaves {@code ${…}} inside quoted
     * strings alone, so paths like {@code "hdfs://…/prefs/${run_date}"} arrive here verbatim.
     */
    static Config substituteRunDate(Config config, String source) {
        Optional<String> runDate = Optional.empty();
        if (config.hasPath("run_date")) {
            String value = string(config, "run_date", source);
            if (!DATE.matcher(value).matches()) {
                throw error(source, "Invalid 'run_date' (%s): '%s' (expected YYYY-MM-DD)", where(config.getValue("run_date")), value);
            }
            runDate = Optional.of(value);
        }
        List<String> keys = new ArrayList<>(List.of("reference.path", "output.path", "drift.previous"));
        if (config.hasPath("inputs") && config.getValue("inputs").valueType() == ConfigValueType.OBJECT) {
            for (String name : config.getObject("inputs").keySet()) {
                keys.add("inputs." + quote(name) + ".path");
            }
        }
        Config result = config;
        for (String key : keys) {
            if (!result.hasPath(key) || result.getValue(key).valueType() != ConfigValueType.STRING) {
                continue;
            }
            String path = result.getString(key);
            if (!path.contains(RUN_DATE_PLACEHOLDER)) {
                continue;
            }
            if (runDate.isEmpty()) {
                throw error(source, "Invalid '%s' (%s): '%s' contains %s but no run_date is set (run it with jobs/nightly-eval.sh "
                        + "--date YYYY-MM-DD, or --set run_date=YYYY-MM-DD)", key, where(result.getValue(key)), path, RUN_DATE_PLACEHOLDER);
            }
            result = result.withValue(key, ConfigValueFactory.fromAnyRef(path.replace(RUN_DATE_PLACEHOLDER, runDate.get()),
                    result.getValue(key).origin().description() + " with run_date " + runDate.get()));
        }
        return result;
    }

    /** Applies one {@code key=value}; {@code objectives.<name>.<key>} addresses an objective by its name. */
    static Config applyOverride(Config config, String override, String source) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': expected key=value", override));
        }
        String key = override.substring(0, equals).trim();
        ConfigValue value = parseValue(override.substring(equals + 1), override);
        try {
            if (key.startsWith("objectives.") && config.hasPath("objectives")
                    && config.getValue("objectives").valueType() == ConfigValueType.LIST) {
                String rest = key.substring("objectives.".length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new AlignLossException(ErrorCode.USAGE, format(
                            "Invalid --set '%s': address an objective's option as objectives.<name>.<key>", override));
                }
                return setObjectiveOption(config, rest.substring(0, dot), rest.substring(dot + 1), value, override, source);
            }
            return config.withValue(key, value);
        }
        catch (ConfigException e) {
            throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': %s", override, e.getMessage()), e);
        }
    }

    private static Config setObjectiveOption(Config config, String name, String option, ConfigValue value,
            String override, String source) {
        List<ConfigObject> entries = new ArrayList<>();
        boolean found = false;
        List<String> names = new ArrayList<>();
        for (ConfigObject entry : objectEntries(config, "objectives", source)) {
            ConfigValue entryName = entry.get("name");
            String entryNameText = entryName == null ? null : String.valueOf(entryName.unwrapped());
            names.add(String.valueOf(entryNameText));
            if (name.equals(entryNameText)) {
                entries.add(entry.toConfig().withValue(option, value).root());
                found = true;
            }
            else {
                entries.add(entry);
            }
        }
        if (!found) {
            throw new AlignLossException(ErrorCode.USAGE, format(
                    "Invalid --set '%s': no objective named '%s' (objectives: %s)", override, name, String.join(", ", names)));
        }
        return config.withValue("objectives", ConfigValueFactory.fromIterable(entries));
    }

    /**
     * A --set value: HOCON when it starts like a list, object or quoted string; a number or boolean when it
     * reads as one; otherwise the text verbatim (so URIs with {@code //} need no quoting on the command line).
     */
    static ConfigValue parseValue(String raw, String override) {
        String text = raw.trim();
        String origin = "--set " + override;
        if (text.startsWith("[") || text.startsWith("{") || text.startsWith("\"")) {
            try {
                return ConfigFactory.parseString("v = " + text, ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setOriginDescription(origin)).getValue("v");
            }
            catch (ConfigException e) {
                throw new AlignLossException(ErrorCode.USAGE, format("Invalid --set '%s': %s", override, e.getMessage()), e);
            }
        }
        if (text.equals("true") || text.equals("false")) {
            return ConfigValueFactory.fromAnyRef(Boolean.parseBoolean(text), origin);
        }
        if (NUMBER.matcher(text).matches()) {
            if (text.matches("[-+]?\\d{1,18}")) {
                return ConfigValueFactory.fromAnyRef(Long.parseLong(text), origin);
            }
            return ConfigValueFactory.fromAnyRef(Double.parseDouble(text), origin);
        }
        return ConfigValueFactory.fromAnyRef(text, origin);
    }

    private static JobConfig validate(Config config, String source, Redaction redaction) {
        checkKeys(config.root(), "", TOP_LEVEL_KEYS, source);

        Map<String, InputConfig> inputs = new LinkedHashMap<>();
        if (!config.hasPath("inputs")) {
            throw error(source, "Missing key 'inputs': configure at least one input as inputs.<name> { path, kind }");
        }
        ConfigObject inputsObject = object(config, "inputs", source);
        if (inputsObject.isEmpty()) {
            throw error(source, "Invalid 'inputs' (%s): configure at least one input as inputs.<name> { path, kind }",
                    where(inputsObject));
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            checkName(name, "inputs." + name, inputsObject.get(name), source);
        }
        for (String name : new TreeSet<>(inputsObject.keySet())) {
            String prefix = "inputs." + name;
            ConfigObject input = object(config, prefix, source);
            checkKeys(input, prefix + ".", INPUT_KEYS, source);
            String path = string(config, prefix + ".path", source);
            InputKind kind = choice(config, prefix + ".kind", prefix + ".kind", source, InputKind::fromConfig);
            Optional<String> position = config.hasPath(prefix + ".position")
                    ? Optional.of(string(config, prefix + ".position", source)) : Optional.empty();
            if (position.isPresent() && kind != InputKind.PREFERENCE) {
                throw error(source, "Invalid '%s.position' (%s): only preference inputs have a position column", prefix,
                        where(config.getValue(prefix + ".position")));
            }
            ClusterKey cluster = ClusterKey.DEFAULT;
            if (config.hasPath(prefix + ".cluster")) {
                String value = string(config, prefix + ".cluster", source);
                cluster = ClusterKey.of(value, where(config.getValue(prefix + ".cluster")));
            }
            boolean allowEmpty = config.hasPath(prefix + ".allow-empty") && flag(config, prefix + ".allow-empty", source);
            inputs.put(name, new InputConfig(name, path, kind, position, cluster, allowEmpty));
        }

        if (!config.hasPath("objectives")) {
            throw error(source, "Missing key 'objectives': configure at least one objective as objectives = [ { name, type, input } ]");
        }
        List<ObjectiveConfig> objectives = new ArrayList<>();
        Set<String> objectiveNames = new HashSet<>();
        for (ConfigObject entry : objectEntries(config, "objectives", source)) {
            Config entryConfig = entry.toConfig();
            String name = entryString(entryConfig, "name", "objectives[" + objectives.size() + "]", entry, source);
            String prefix = "objectives." + name;
            checkName(name, prefix, entry, source);
            if (!objectiveNames.add(name)) {
                throw error(source, "Duplicate objective name '%s' (%s): names must be unique", name, where(entry));
            }
            entryString(entryConfig, "type", prefix, entry, source);
            ObjectiveType type = choice(entryConfig, "type", prefix + ".type", source, ObjectiveType::fromConfig);
            List<String> valid = new ArrayList<>(ObjectiveType.COMMON_KEYS);
            valid.addAll(type.ownKeys());
            checkKeys(entry, prefix + ".", valid, source);
            String input = entryString(entryConfig, "input", prefix, entry, source);
            InputConfig inputConfig = inputs.get(input);
            if (inputConfig == null) {
                throw error(source, "Invalid %s.input (%s): no input named '%s' (inputs: %s)", prefix, where(entry.get("input")),
                        input, String.join(", ", inputs.keySet()));
            }
            if (type.inputKind().isPresent() && type.inputKind().get() != inputConfig.kind()) {
                throw error(source, "Invalid %s.input (%s): a %s objective reads a %s input, but '%s' is a %s input",
                        prefix, where(entry.get("input")), type.configName(), type.inputKind().get().configName(), input,
                        inputConfig.kind().configName());
            }
            objectives.add(new ObjectiveConfig(name, type, input, entryConfig));
        }
        if (objectives.isEmpty()) {
            throw error(source, "Invalid 'objectives' (%s): configure at least one objective", where(config.getValue("objectives")));
        }

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

        Optional<String> outputPath = Optional.empty();
        boolean perExample = true;
        int keepFailed = DEFAULT_KEEP_FAILED;
        if (config.hasPath("output")) {
            checkKeys(object(config, "output", source), "output.", OUTPUT_KEYS, source);
            if (config.hasPath("output.path")) {
                outputPath = Optional.of(string(config, "output.path", source));
            }
            if (config.hasPath("output.per-example")) {
                perExample = flag(config, "output.per-example", source);
            }
            if (config.hasPath("output.keep-failed")) {
                keepFailed = (int) number(config, "output.keep-failed", "output.keep-failed", source, 1, 10_000, true);
            }
        }
        DiagnosticsConfig diagnostics = diagnostics(config, source);
        for (ObjectiveConfig objective : objectives) {
            resampling(objective.options(), objective.key(""), diagnostics, source);
        }
        Optional<FeatureSpec> features = config.hasPath("features")
                ? Optional.of(TrainConfig.features(config, "features", source)) : Optional.empty();
        for (ObjectiveConfig objective : objectives) {
            if (objective.options().hasPath("features")) {
                TrainConfig.features(objective.options(), "features", source);
            }
        }
        TrainConfig train = TrainConfig.parse(config, objectives, source);
        return new JobConfig(inputs, objectives, groups, outputPath, perExample, keepFailed, diagnostics, features, train, source,
                config, redaction);
    }

    /** The diagnostics settings, with an objective's own {@code bootstrap} and {@code confidence} when given. */
    public static DiagnosticsConfig resampling(Config entry, String prefix, DiagnosticsConfig defaults, String source) {
        int bootstrap = defaults.bootstrap();
        double confidence = defaults.confidence();
        if (entry.hasPath("bootstrap")) {
            bootstrap = (int) number(entry, "bootstrap", prefix + "bootstrap", source, 0, 100_000, true);
        }
        if (entry.hasPath("confidence")) {
            confidence = number(entry, "confidence", prefix + "confidence", source, 0, 1, false);
            if (confidence <= 0 || confidence >= 1) {
                throw error(source, "Invalid '%sconfidence' (%s): %s (must be strictly between 0 and 1)", prefix,
                        where(entry.getValue("confidence")), confidence);
            }
        }
        return defaults.withResampling(bootstrap, confidence);
    }

    private static DiagnosticsConfig diagnostics(Config config, String source) {
        DiagnosticsConfig settings = resampling(config, "", DiagnosticsConfig.defaults(), source);
        int minGroupCount = DiagnosticsConfig.DEFAULT_MIN_GROUP_COUNT;
        if (config.hasPath("min-group-count")) {
            minGroupCount = (int) number(config, "min-group-count", "min-group-count", source, 1, Integer.MAX_VALUE, true);
        }
        Map<String, Map<String, Double>> target = new LinkedHashMap<>();
        if (config.hasPath("target")) {
            ConfigObject columns = object(config, "target", source);
            for (String column : new TreeSet<>(columns.keySet())) {
                String key = "target." + quote(column);
                ConfigValue value = columns.get(column);
                if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
                    throw error(source, "Invalid '%s' (%s): expected { <value> = <share>, … }", key, where(value));
                }
                Map<String, Double> shares = new LinkedHashMap<>();
                double total = 0;
                for (Map.Entry<String, ConfigValue> share : ((ConfigObject) value).entrySet()) {
                    ConfigValue number = share.getValue();
                    if (number.valueType() != ConfigValueType.NUMBER || ((Number) number.unwrapped()).doubleValue() < 0
                            || !Double.isFinite(((Number) number.unwrapped()).doubleValue())) {
                        throw error(source, "Invalid '%s.%s' (%s): expected a share ≥ 0, got %s", key, share.getKey(),
                                where(number), number.render());
                    }
                    shares.put(share.getKey(), ((Number) number.unwrapped()).doubleValue());
                    total += ((Number) number.unwrapped()).doubleValue();
                }
                if (Math.abs(total - 1) > 1e-6) {
                    throw error(source, "Invalid '%s' (%s): shares sum to %s (they must sum to 1)", key, where(value), total);
                }
                target.put(column, shares);
            }
        }
        Optional<String> reference = Optional.empty();
        if (config.hasPath("reference")) {
            checkKeys(object(config, "reference", source), "reference.", List.of("path"), source);
            reference = Optional.of(string(config, "reference.path", source));
        }
        Optional<DiagnosticsConfig.LossBound> lossBound = Optional.empty();
        if (config.hasPath("loss-bound")) {
            ConfigValue value = config.getValue("loss-bound");
            if (value.valueType() == ConfigValueType.NUMBER) {
                lossBound = Optional.of(new DiagnosticsConfig.LossBound(0, number(config, "loss-bound", "loss-bound", source,
                        0, Double.MAX_VALUE, false)));
            }
            else {
                List<Double> bounds;
                try {
                    bounds = config.getDoubleList("loss-bound");
                }
                catch (ConfigException.WrongType e) {
                    bounds = List.of();
                }
                if (bounds.size() != 2 || !(bounds.get(0) < bounds.get(1))) {
                    throw error(source, "Invalid 'loss-bound' (%s): expected a number (upper bound, lower 0) or [low, high] with low < high",
                            where(value));
                }
                lossBound = Optional.of(new DiagnosticsConfig.LossBound(bounds.get(0), bounds.get(1)));
            }
        }
        double clip = DiagnosticsConfig.DEFAULT_SHIFT_CLIP;
        if (config.hasPath("shift")) {
            checkKeys(object(config, "shift", source), "shift.", List.of("clip"), source);
            if (config.hasPath("shift.clip")) {
                clip = number(config, "shift.clip", "shift.clip", source, 1, Double.MAX_VALUE, false);
            }
        }
        Optional<DiagnosticsConfig.Drift> drift = Optional.empty();
        if (config.hasPath("drift")) {
            checkKeys(object(config, "drift", source), "drift.", List.of("previous", "max-loss-change", "max-mix-change"), source);
            OptionalDouble maxLoss = config.hasPath("drift.max-loss-change")
                    ? OptionalDouble.of(number(config, "drift.max-loss-change", "drift.max-loss-change", source, 0, Double.MAX_VALUE, false))
                    : OptionalDouble.empty();
            OptionalDouble maxMix = config.hasPath("drift.max-mix-change")
                    ? OptionalDouble.of(number(config, "drift.max-mix-change", "drift.max-mix-change", source, 0, 1, false))
                    : OptionalDouble.empty();
            drift = Optional.of(new DiagnosticsConfig.Drift(string(config, "drift.previous", source), maxLoss, maxMix));
        }
        boolean biases = true;
        if (config.hasPath("preference-biases")) {
            try {
                biases = config.getBoolean("preference-biases");
            }
            catch (ConfigException.WrongType e) {
                throw error(source, "Invalid 'preference-biases' (%s): expected true or false", where(config.getValue("preference-biases")));
            }
        }
        return new DiagnosticsConfig(settings.bootstrap(), settings.confidence(), minGroupCount, target, reference, lossBound,
                clip, drift, biases);
    }

    private static String quote(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    }

    static double number(Config config, String path, String key, String source, double min, double max, boolean integral) {
        ConfigValue value = config.getValue(path);
        if (value.valueType() != ConfigValueType.NUMBER) {
            throw error(source, "Invalid '%s' (%s): expected a number, got %s", key, where(value), value.render());
        }
        double number = ((Number) value.unwrapped()).doubleValue();
        if (!(number >= min && number <= max) || (integral && number != Math.rint(number))) {
            throw error(source, "Invalid '%s' (%s): %s (must be %s in [%s, %s])", key, where(value), value.render(),
                    integral ? "an integer" : "a number", integral ? (long) min : min, integral ? (long) max : max);
        }
        return number;
    }

    static void checkKeys(ConfigObject object, String prefix, List<String> valid, String source) {
        for (String key : new TreeSet<>(object.keySet())) {
            if (!valid.contains(key)) {
                throw error(source, "Unknown key '%s%s' (%s); valid keys here: %s", prefix, key, where(object.get(key)),
                        String.join(", ", valid));
            }
        }
    }

    private static void checkName(String name, String key, ConfigValue value, String source) {
        if (!NAME.matcher(name).matches()) {
            throw error(source, "Invalid name '%s' at %s (%s): use letters, digits, '_', '-' and '.'", name, key, where(value));
        }
    }

    static ConfigObject object(Config config, String key, String source) {
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw error(source, "Invalid '%s' (%s): expected an object { … }, got %s", key, where(value),
                    value.valueType().name().toLowerCase());
        }
        return (ConfigObject) value;
    }

    private static List<ConfigObject> objectEntries(Config config, String key, String source) {
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw error(source, "Invalid '%s' (%s): expected a list [ { … }, … ]", key, where(value));
        }
        try {
            return new ArrayList<>(config.getObjectList(key));
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid '%s' (%s): every entry must be an object { name, type, input, … }", key, where(value));
        }
    }

    static boolean flag(Config config, String key, String source) {
        try {
            return config.getBoolean(key);
        }
        catch (ConfigException.WrongType e) {
            throw error(source, "Invalid '%s' (%s): expected true or false", key, where(config.getValue(key)));
        }
    }

    static String string(Config config, String key, String source) {
        if (!config.hasPath(key)) {
            throw error(source, "Missing key '%s'", key);
        }
        ConfigValue value = config.getValue(key);
        if (value.valueType() != ConfigValueType.STRING) {
            throw error(source, "Invalid '%s' (%s): expected a string, got %s (quote URIs in HOCON: // starts a comment)",
                    key, where(value), value.valueType().name().toLowerCase());
        }
        String text = config.getString(key);
        if (text.isBlank()) {
            throw error(source, "Invalid '%s' (%s): empty", key, where(value));
        }
        return text;
    }

    private static String entryString(Config entry, String key, String prefix, ConfigValue at, String source) {
        if (!entry.hasPath(key)) {
            throw error(source, "Missing key '%s.%s' (%s)", prefix, key, where(at));
        }
        return string(entry, key, source);
    }

    /**
     * A value from a fixed list (an enum's {@code fromConfig(value, key)}): its error names the key, the file and
     * line, the value and the valid values, like every other config error.
     */
    static <T> T choice(Config config, String path, String key, String source, BiFunction<String, String, T> parse) {
        String value = string(config, path, source);
        try {
            return parse.apply(value, format("'%s' (%s)", key, where(config.getValue(path))));
        }
        catch (AlignLossException e) {
            throw new AlignLossException(e.code(), format("Config %s: %s", source, e.getMessage()), e);
        }
    }

    static String where(ConfigValue value) {
        if (value == null) {
            return "unknown origin";
        }
        return value.origin().description();
    }

    static AlignLossException error(String source, String message, Object... args) {
        return new AlignLossException(ErrorCode.CONFIG, format("Config %s: ", source) + format(message, args));
    }
}
