package io.alignloss.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Optional;

import static io.alignloss.config.ConfigValues.checkKeys;
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
 */
record OutputBlock(Optional<String> path, boolean perExample, int keepFailed) {
    static final List<String> KEYS = List.of("path", "per-example", "keep-failed");
    /** How many failed-run folders ({@code <out>.failed-<id>}) are kept per output by default. */
    static final int DEFAULT_KEEP_FAILED = 5;

    static OutputBlock parse(Config config, String source) {
        Optional<String> outputPath = Optional.empty();
        boolean perExample = true;
        int keepFailed = DEFAULT_KEEP_FAILED;
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
        }
        return new OutputBlock(outputPath, perExample, keepFailed);
    }
}
