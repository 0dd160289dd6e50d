package io.alignloss.output;

/**
 * The columns of {@code per_example/<objective>/} that every objective writes and {@code compare} reads back: the
 * names are a contract of the output folder (docs/outputs.md). Objectives add figures of their own beside these.
 */
public final class PerExampleColumns {
    /** The input row's id (the input's {@code id} column, as read). */
    public static final String ID = "id";
    /** The row's loss numerator y (for token-weighted objectives, the row's summed loss). */
    public static final String LOSS = "loss";
    /** The row's weight w (1 when the input has none). */
    public static final String WEIGHT = "weight";
    /** Whether the row was ranked correctly, for objectives with an accuracy. */
    public static final String CORRECT = "correct";
    /** The loss denominator x of a token-weighted objective (absent when x = 1). */
    public static final String LOSS_DENOMINATOR = "loss_denominator";
    /** The value whose rows the bootstrap resamples together (what {@code compare} pairs clusters by). */
    public static final String CLUSTER_KEY = "cluster_key";

    private PerExampleColumns() {
    }
}
