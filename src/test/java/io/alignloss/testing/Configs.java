package io.alignloss.testing;

import com.typesafe.config.ConfigFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;

import java.util.List;
import java.util.Optional;

/** Builds validated configs from HOCON text in tests. */
public final class Configs {
    private Configs() {
    }

    public static JobConfig parse(String hocon) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "test.conf", List.of(), Optional.empty());
    }

    /** The single objective of a config with one input of the given kind. */
    public static ObjectiveConfig objective(String kind, String objectiveEntry) {
        return parse("inputs.in { path = \"unused\", kind = " + kind + " }\nobjectives = [ " + objectiveEntry + " ]")
                .objectives().get(0);
    }
}
