package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.quote;
import static io.alignloss.config.ConfigValues.string;
import static io.alignloss.config.ConfigValues.where;

/** The {@code run_date} key and the {@code ${run_date}} placeholder of path keys. */
final class RunDates {
    private RunDates() {
    }

    /** The placeholder that paths may contain, replaced by the {@code run_date} key (the nightly script sets it). */
    static final String RUN_DATE_PLACEHOLDER = "${run_date}";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * Replaces {@code ${run_date}} in the path keys (inputs.*.path, reference.path, output.path,
     * drift.previous), in inputs.*.as-of and inputs.*.filter by the top-level {@code run_date} (YYYY-MM-DD). HOCON leaves {@code ${…}} inside quoted
     * strings alone, so paths like {@code "hdfs://…/prefs/${run_date}"} arrive here verbatim.
     */
    static Config substitute(Config config, String source) {
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
                keys.add("inputs." + quote(name) + ".as-of");
                keys.add("inputs." + quote(name) + ".filter");
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
}
