package io.alignloss.cli;

import picocli.CommandLine.Option;

/** The reject limit and the seed of an evaluating run (evaluate, validate, train, nightly). */
public final class RunOptions {
    @Option(names = "--max-reject-fraction", paramLabel = "F", defaultValue = "0.01",
            description = "Fail with exit 3 when an input rejects more than this fraction of its rows (default: ${DEFAULT-VALUE}).")
    double maxRejectFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
}
