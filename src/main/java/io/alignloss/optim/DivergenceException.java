package io.alignloss.optim;

/** The objective or gradient became NaN or infinite: the run cannot continue from this iterate. */
public final class DivergenceException extends RuntimeException {
    private final long iteration;

    public DivergenceException(long iteration, String message) {
        super(message);
        this.iteration = iteration;
    }

    /** The iteration during which the non-finite value appeared. */
    public long iteration() {
        return iteration;
    }
}
