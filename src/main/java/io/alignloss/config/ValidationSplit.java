package io.alignloss.config;

/**
 * The held-out validation rows of the {@code train} block and early stopping on them.
 *
 * @param fraction share of rows held out, chosen by a seeded hash of {@code id} ({@code train.validation-fraction}, 0..0.9)
 * @param patience stop after this many iterations without a better validation loss ({@code train.early-stopping-patience};
 *                 0: off, and &gt; 0 needs a fraction &gt; 0)
 */
public record ValidationSplit(double fraction, int patience) {
}
