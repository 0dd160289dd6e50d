package io.alignloss.optim;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A training loss and its gradient at one point, plus figures measured in the same pass (for a reward
 * model: train accuracy).
 *
 * @param value    the objective (regularised loss)
 * @param gradient its gradient
 * @param figures  extra figures of the same pass, by name
 */
public record Evaluation(double value, double[] gradient, Map<String, Double> figures) {
    public Evaluation {
        requireNonNull(gradient, "gradient is null");
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(figures, "figures is null")));
    }

    public Evaluation(double value, double[] gradient) {
        this(value, gradient, Map.of());
    }

    /** Whether the value and every gradient component are finite. */
    public boolean finite() {
        if (!Double.isFinite(value)) {
            return false;
        }
        for (double g : gradient) {
            if (!Double.isFinite(g)) {
                return false;
            }
        }
        return true;
    }
}
