package io.alignloss.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Flags every job command takes. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "Job config (HOCON or JSON).")
    File config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (any Hadoop file system URI); overrides output.path.")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable); "
            + "an objective's keys by its name, objectives.<name>.<key>=VALUE (see the example).")
    List<String> overrides = new ArrayList<>();

    @Mixin
    OverwriteOptions overwrite;

    @Mixin
    RunOptions run;
}
