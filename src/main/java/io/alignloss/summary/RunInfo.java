package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How the run was started ({@code run}): config file, output (redacted), the command-line settings, the Spark
 * master, and the tasks Spark re-ran and executors it lost while the run went on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunInfo(
        String configFile,
        String out,
        Boolean overwrite,
        Double maxRejectFraction,
        Long seed,
        String sparkMaster,
        Long taskFailures,
        Long executorsLost) {
}
