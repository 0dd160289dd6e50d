package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Map;
import java.util.TreeMap;

import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.where;

/**
 * The top-level {@code spark} block: Spark properties by their full names, applied when the job builds its session
 * (e.g. {@code "spark.sql.catalog.lake" = org.apache.iceberg.spark.SparkCatalog}). Nested keys are joined with '.'
 * ({@code spark { spark.sql.shuffle.partitions = 8 }}); a key that is also another's prefix (a catalog and its
 * settings) must be quoted. Values are strings, numbers or booleans, passed to Spark as text. Values under
 * secret-looking keys are masked in what the job shows, like every other secret ({@link Redaction}).
 */
final class SparkBlock {
    static final String KEY = "spark";

    private SparkBlock() {
    }

    /** The properties in sorted order of their names; empty without the block. */
    static Map<String, String> parse(Config config, String source) {
        Map<String, String> properties = new TreeMap<>();
        if (config.hasPath(KEY)) {
            flatten(object(config, KEY, source), "", properties, source);
        }
        return properties;
    }

    private static void flatten(ConfigObject object, String prefix, Map<String, String> properties, String source) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String name = prefix + entry.getKey();
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT) {
                flatten((ConfigObject) value, name + ".", properties, source);
                continue;
            }
            if (!name.startsWith("spark.")) {
                throw error(source, "Invalid '%s.%s' (%s): the spark block holds Spark properties by their full names "
                        + "(\"spark.sql.catalog.lake\" = …); quote a key that is also another key's prefix", KEY, name, where(value));
            }
            if (value.valueType() == ConfigValueType.LIST || value.valueType() == ConfigValueType.NULL) {
                throw error(source, "Invalid '%s.%s' (%s): expected a string, number or boolean", KEY, name, where(value));
            }
            properties.put(name, String.valueOf(value.unwrapped()));
        }
    }
}
