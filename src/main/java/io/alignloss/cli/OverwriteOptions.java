package io.alignloss.cli;

import io.alignloss.output.Overwrite;
import picocli.CommandLine.Option;

/** {@code --overwrite} and {@code --force-overwrite}, on every command that publishes an output folder it names. */
public final class OverwriteOptions {
    @Option(names = "--overwrite", description = "Replace an existing output folder that alignloss wrote (atomically).")
    boolean overwrite;

    @Option(names = "--force-overwrite", description = "Replace an existing output folder even if alignloss did not write it.")
    boolean force;

    /** What the flags allow: anything with --force-overwrite, an alignloss output with --overwrite, else nothing. */
    Overwrite overwrite() {
        return force ? Overwrite.ANY : Overwrite.fromFlag(overwrite);
    }
}
