package io.alignloss.error;

import static java.util.Objects.requireNonNull;

/** An error with a category; its message says what could not be done and why. */
public class AlignLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public AlignLossException(ErrorCode code, String message) {
        super(message);
        this.code = requireNonNull(code, "code is null");
    }

    public AlignLossException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }
}
