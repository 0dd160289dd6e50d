package io.alignloss.train;

import io.alignloss.summary.Json;
import io.alignloss.optim.OptimizerState;

import java.util.List;
import java.util.Map;

/** The optimiser's outcome, the figures of the returned weights, and the seconds the optimisation took. */
record Fit(OptimizerState state, double finalObjective, long resumedFrom, List<Map<String, Object>> history,
        Map<String, Object> train, Map<String, Object> validation, double seconds) {

    /** Adds the outcome to a summary block: final_objective, iterations, converged, stop_reason, resumed_from_iteration. */
    void putOutcome(Map<String, Object> block) {
        block.put("final_objective", Json.number(finalObjective));
        block.put("iterations", state.iteration());
        block.put("converged", state.converged());
        block.put("stop_reason", state.stopReason().orElse(""));
        block.put("resumed_from_iteration", resumedFrom);
    }
}
