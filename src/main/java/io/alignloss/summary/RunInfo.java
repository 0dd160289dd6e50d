package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the run was started ({@code run}): config file, output (redacted), the command-line settings, the Spark
 * master, and the tasks Spark re-ran and executors it lost while the run went on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunInfo(
        @JsonProperty("config_file") String configFile,
        @JsonProperty("out") String out,
        @JsonProperty("overwrite") Boolean overwrite,
        @JsonProperty("max_reject_fraction") Double maxRejectFraction,
        @JsonProperty("seed") Long seed,
        @JsonProperty("spark_master") String sparkMaster,
        @JsonProperty("task_failures") Long taskFailures,
        @JsonProperty("executors_lost") Long executorsLost) {
}
