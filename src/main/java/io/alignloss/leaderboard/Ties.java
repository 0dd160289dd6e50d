package io.alignloss.leaderboard;

import io.alignloss.config.ConfigName;

/**
 * How a tie enters the likelihood ({@code --ties}).
 * <ul>
 *   <li>{@code half} (the default): a tie is one battle with label ½ in the Bradley-Terry loss, half a win for each side.
 *   <li>{@code rao-kupper}: a tie is its own outcome, {@code P(a beats b) = π_a/(π_a + ν·π_b)},
 *       {@code P(tie) = (ν² − 1)·π_a·π_b / ((π_a + ν·π_b)(π_b + ν·π_a))}, with ν ≥ 1 fitted (Rao and Kupper 1967; {@link RaoKupper}).
 * </ul>
 * {@code tie (bothbad)} is a tie under both.
 */
public enum Ties implements ConfigName {
    HALF,
    RAO_KUPPER
}
