package io.alignloss.train;

import java.util.Map;
import java.util.function.Function;

/**
 * A held-out loss followed during training: {@code perIteration} gives the figures logged each iteration
 * ({@code loss}, optionally {@code accuracy}), {@code figures} the final block.
 */
record Validation(Function<double[], Map<String, Double>> perIteration, Function<double[], Map<String, Object>> figures) {
}
