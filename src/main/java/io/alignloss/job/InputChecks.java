package io.alignloss.job;

import io.alignloss.model.PolicyData;
import io.alignloss.objective.Objective;
import io.alignloss.stats.LossStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;

/** The checks after the scan that stop a run before it publishes: too many rejects, nothing to evaluate. */
final class InputChecks {
    private InputChecks() {
    }

    /** One line per input whose reject fraction (rejected / rows read) is above {@code maxRejectFraction}. */
    static List<String> rejectFractionExceeded(Map<String, InputStats> stats, double maxRejectFraction) {
        List<String> exceeded = new ArrayList<>();
        stats.forEach((name, inputStats) -> {
            if (inputStats.rejectFraction() > maxRejectFraction) {
                exceeded.add(format("input '%s': %d of %d rows rejected (%.4f > %s)", name, inputStats.rejected(),
                        inputStats.rows(), inputStats.rejectFraction(), maxRejectFraction));
            }
        });
        return exceeded;
    }

    /**
     * The inputs with nothing to evaluate, each with why: no accepted rows (rows read − rejects = 0; on an input
     * with an off-policy objective whose target is a policy, only the logged rows are read), or an objective on it
     * whose accepted rows weigh nothing ({@code Σ w·x = 0}).
     */
    static Map<String, String> nothingToEvaluate(EvaluateInputs inputs, Map<String, InputStats> stats) {
        Map<String, String> empty = new LinkedHashMap<>();
        stats.forEach((name, inputStats) -> {
            boolean loggedOnly = inputs.on(name).stream().anyMatch(Objective::policyTarget);
            if (inputStats.rows() == 0) {
                empty.put(name, loggedOnly ? format("no logged rows: no row has %s = true", PolicyData.LOGGED) : "0 rows read");
                return;
            }
            if (inputStats.rows() == inputStats.rejected()) {
                empty.put(name, format("%d %srows read, all rejected", inputStats.rows(), loggedOnly ? "logged " : ""));
                return;
            }
            for (Objective objective : inputs.on(name)) {
                LossStats total = inputStats.total(objective.name());
                if (total.loss().isEmpty()) {
                    empty.put(name, format("objective '%s': its %d rows weigh 0 in total", objective.name(), total.count()));
                    return;
                }
            }
        });
        return empty;
    }
}
