package io.alignloss.error;

/**
 * Failure categories and the process exit status each maps to. The statuses are a contract that
 * schedulers rely on: 0 ok, 2 usage/config/input-schema error, 3 reject fraction exceeded or an input
 * with nothing to evaluate, 4 configured threshold exceeded, 1 anything else.
 */
public enum ErrorCode {
    /** Bad command line. */
    USAGE(2),
    /** Bad or inconsistent configuration. */
    CONFIG(2),
    /** An input is missing, unreadable, or its schema does not satisfy the contract. */
    INPUT_SCHEMA(2),
    /** The output folder exists and --overwrite was not given, or it is not an alignloss output. */
    OUTPUT_EXISTS(2),
    /** An input's reject fraction is above --max-reject-fraction. */
    REJECT_FRACTION_EXCEEDED(3),
    /** An input has no accepted rows, or an objective's rows weigh 0 in total (inputs.NAME.allow-empty not set). */
    NOTHING_TO_EVALUATE(3),
    /** A configured threshold (e.g. drift) was exceeded. */
    THRESHOLD_EXCEEDED(4),
    /** Anything unexpected. */
    INTERNAL(1);

    private final int exitStatus;

    ErrorCode(int exitStatus) {
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
