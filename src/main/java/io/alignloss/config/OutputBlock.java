package io.alignloss.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Optional;

import static io.alignloss.config.ConfigValues.checkKeys;
import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.where;
import static io.alignloss.config.ConfigValues.flag;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.object;
import static io.alignloss.config.ConfigValues.string;

/**
 * The {@code output} block.
 *
 * @param path       {@code output.path} (or --out)
 * @param perExample {@code output.per-example} (true by default)
 * @param keepFailed {@code output.keep-failed}, 1..10000 ({@link #DEFAULT_KEEP_FAILED} by default)
 * @param perExampleTable {@code output.per-example-table}, if set
 */
record OutputBlock(Optional<String> path, boolean perExample, int keepFailed, Optional<PerExampleTable> perExampleTable) {
    static final List<String> KEYS = List.of("path", "per-example", "keep-failed", "per-example-table");
    static final List<String> TABLE_KEYS = List.of("format", "path", "table");
    /** How many failed-run folders ({@code <out>.failed-<id>}) are kept per output by default. */
    static final int DEFAULT_KEEP_FAILED = 5;

    static OutputBlock parse(Config config, String source) {
        Optional<String> outputPath = Optional.empty();
        boolean perExample = true;
        int keepFailed = DEFAULT_KEEP_FAILED;
        Optional<PerExampleTable> perExampleTable = Optional.empty();
        if (config.hasPath("output")) {
            checkKeys(object(config, "output", source), "output.", KEYS, source);
            if (config.hasPath("output.path")) {
                outputPath = Optional.of(string(config, "output.path", source));
            }
            if (config.hasPath("output.per-example")) {
                perExample = flag(config, "output.per-example", source);
            }
            if (config.hasPath("output.keep-failed")) {
                keepFailed = (int) number(config, "output.keep-failed", "output.keep-failed", source, 1, 10_000, true);
            }
            if (config.hasPath("output.per-example-table")) {
                perExampleTable = Optional.of(perExampleTable(config, source));
            }
        }
        return new OutputBlock(outputPath, perExample, keepFailed, perExampleTable);
    }

    private static PerExampleTable perExampleTable(Config config, String source) {
        String key = "output.per-example-table";
        checkKeys(object(config, key, source), key + ".", TABLE_KEYS, source);
        TableFormat format = choice(config, key + ".format", key + ".format", source, TableFormat::fromConfig);
        if (format == TableFormat.PARQUET) {
            throw error(source, "Invalid '%s.format' (%s): a table is delta or iceberg (per-example Parquet is output.per-example)",
                    key, where(config.getValue(key + ".format")));
        }
        Optional<String> path = config.hasPath(key + ".path") ? Optional.of(string(config, key + ".path", source)) : Optional.empty();
        Optional<String> table = config.hasPath(key + ".table") ? Optional.of(string(config, key + ".table", source)) : Optional.empty();
        if (path.isPresent() == table.isPresent()) {
            throw error(source, "Invalid '%s' (%s): give either path or table (<catalog>.<db>.<table>, iceberg only)", key,
                    where(config.getValue(key)));
        }
        if (table.isPresent() && format != TableFormat.ICEBERG) {
            throw error(source, "Invalid '%s.table' (%s): only iceberg tables are named in a catalog; a delta table has a path", key,
                    where(config.getValue(key + ".table")));
        }
        return new PerExampleTable(format, path, table);
    }
}
