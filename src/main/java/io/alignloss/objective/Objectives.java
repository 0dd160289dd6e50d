package io.alignloss.objective;

import io.alignloss.config.ObjectiveConfig;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;
import io.alignloss.objective.dpo.DpoObjective;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.objective.sequence.SelfTargetObjective;
import io.alignloss.objective.sequence.SequenceLikelihoodObjective;

/** Builds the objective a config entry names. */
public final class Objectives {
    private Objectives() {
    }

    public static Objective create(ObjectiveConfig config) {
        return switch (config.type()) {
            case BRADLEY_TERRY -> new BradleyTerryObjective(config);
            case SEQUENCE_LIKELIHOOD -> new SequenceLikelihoodObjective(config);
            case EXPECTED_UTILITY -> new ExpectedUtilityObjective(config);
            case SELF_TARGET -> new SelfTargetObjective(config);
            case DPO -> new DpoObjective(config);
        };
    }
}
