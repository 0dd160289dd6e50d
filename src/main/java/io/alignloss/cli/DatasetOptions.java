package io.alignloss.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --input}, {@code --out} and the overwrite flags of the commands that write a Parquet dataset row by row (embed, score). */
public final class DatasetOptions {
    @Option(names = "--input", paramLabel = "PATH", required = true, description = "Parquet input (any Hadoop file system URI).")
    String input;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output Parquet dataset (published atomically).")
    String out;

    @Mixin
    OverwriteOptions overwrite;
}
