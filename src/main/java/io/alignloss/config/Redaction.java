package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.alignloss.error.AlignLossException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a config may be shown in messages, summary.json and the report. Secret are the string values built
 * with an environment substitution ({@code ${K}}, also inside a concatenation such as {@code "s3a://"${K}"/x"}) and
 * the string values whose key matches {@link #SECRET_KEY}: in the shown config each is {@value #MASK}, and in any
 * text each occurrence of one (or of an environment variable's value used in the config) is {@value #MASK} when it
 * has at least {@value #MIN_PIECE} characters (so a short one such as "100" does not mask every number). A URI's
 * user-info is masked everywhere ({@code s3a://KEY:SECRET@bucket/x} → {@code s3a://***@bucket/x}). The job itself
 * always uses the real values.
 */
public final class Redaction {
    public static final String MASK = "***";
    /** Spark's {@code spark.redaction.regex} default, matched against a value's full key (e.g. {@code inputs.x.password}). */
    public static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|token|access[.]?key");
    /** A secret is masked inside other text only from this length on. */
    public static final int MIN_PIECE = 4;
    private static final Pattern USER_INFO = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\\s]+@");
    private static final Redaction NONE = new Redaction(Set.of(), List.of());

    private final Set<String> maskedKeys;
    private final List<String> secrets;

    private Redaction(Collection<String> maskedKeys, Collection<String> secrets) {
        this.maskedKeys = Set.copyOf(maskedKeys);
        List<String> sorted = new ArrayList<>(new TreeSet<>(secrets));
        sorted.removeIf(secret -> secret.length() < MIN_PIECE);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(sorted);
    }

    /** Masks only URI user-info. */
    public static Redaction none() {
        return NONE;
    }

    /**
     * @param maskedKeys the config keys whose values are shown as {@value #MASK} ({@link #key} spelling)
     * @param secrets    the values masked wherever they occur in text (those shorter than {@value #MIN_PIECE} are ignored)
     */
    public static Redaction of(Collection<String> maskedKeys, Collection<String> secrets) {
        return new Redaction(maskedKeys, secrets);
    }

    /** How a config value's key is spelled here: object keys joined by '.', list entries as {@code [i]}. */
    static String key(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    static String entry(String list, int index) {
        return list + "[" + index + "]";
    }

    /** The config keys whose values are masked. */
    public Set<String> maskedKeys() {
        return maskedKeys;
    }

    /** The values masked in text, longest first. */
    List<String> secrets() {
        return secrets;
    }

    /** The text as it may be shown. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        String shown = text;
        for (String secret : secrets) {
            shown = shown.replace(secret, MASK);
        }
        Matcher matcher = USER_INFO.matcher(shown);
        return matcher.find() ? matcher.replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@") : shown;
    }

    /** The same failure with its message as it may be shown (and no cause, whose message may hold a secret). */
    public AlignLossException exception(AlignLossException failure) {
        String shown = text(failure.getMessage());
        if (shown.equals(failure.getMessage())) {
            return failure;
        }
        AlignLossException redacted = new AlignLossException(failure.code(), shown);
        redacted.setStackTrace(failure.getStackTrace());
        return redacted;
    }

    /** The config as it may be shown: masked keys as {@value #MASK}, other strings as {@link #text}; origins kept. */
    public Config config(Config config) {
        return ((ConfigObject) value(config.root(), "")).toConfig();
    }

    private ConfigValue value(ConfigValue value, String key) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            Map<String, ConfigValue> entries = new LinkedHashMap<>();
            ((ConfigObject) value).forEach((child, entry) -> entries.put(child, value(entry, key(key, child))));
            return ConfigValueFactory.fromMap(entries, value.origin().description());
        }
        if (value.valueType() == ConfigValueType.LIST) {
            List<ConfigValue> entries = new ArrayList<>();
            ConfigList list = (ConfigList) value;
            for (int i = 0; i < list.size(); i++) {
                entries.add(value(list.get(i), entry(key, i)));
            }
            return ConfigValueFactory.fromIterable(entries, value.origin().description());
        }
        if (value.valueType() != ConfigValueType.STRING) {
            return value;
        }
        String real = (String) value.unwrapped();
        String shown = maskedKeys.contains(key) ? MASK : text(real);
        return shown.equals(real) ? value : ConfigValueFactory.fromAnyRef(shown, value.origin().description());
    }
}
