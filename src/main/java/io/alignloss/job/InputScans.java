package io.alignloss.job;

import io.alignloss.config.DiagnosticsConfig;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.diagnostics.Clustering;
import io.alignloss.objective.Objective;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static java.lang.String.format;

/** One aggregate per input ({@link InputAggregation}) for all the objectives on it, and the clusters it counted. */
final class InputScans {
    /** The job's log: its stages and figures read as they did when EvaluateJob wrote them. */
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    private InputScans() {
    }

    /**
     * Scans every input once; resamples when the input is clustered or an objective on it asks for bootstrap
     * replicates.
     *
     * @param evaluating whether the run evaluates (not only validates): then a clustered input's clusters are counted
     * @param resampling an objective's bootstrap and confidence settings
     */
    static Map<String, InputStats> scan(EvaluateInputs inputs, boolean evaluating, long seed,
            Function<Objective, DiagnosticsConfig> resampling, List<String> warnings, Stages stages) {
        Map<String, InputStats> stats = new LinkedHashMap<>();
        for (PreparedInput input : inputs.inputs().values()) {
            List<Objective> on = inputs.on(input.name());
            // clusters need their buckets for the cluster-robust stderr even without bootstrap replicates; the scan
            // counts them for the summary
            boolean countClusters = evaluating && input.clusterColumn().isPresent() && !on.isEmpty();
            InputStats inputStats = stages.timed("scan input " + input.name(), () -> InputAggregation.run(input, on,
                    input.originalColumns().contains(InputContract.WEIGHT), seed,
                    input.clusterColumn().isPresent() || on.stream().anyMatch(objective -> resampling.apply(objective).bootstrap() > 0),
                    countClusters));
            LOG.info("input {}: {} rows read, {} rejected ({})", input.name(), inputStats.rows(), inputStats.rejected(),
                    format("%.4f%%", 100 * inputStats.rejectFraction()));
            stats.put(input.name(), inputStats);
            if (inputStats.rows() == 0) {
                warnings.add(format("input '%s' has no rows", input.name()));
            }
        }
        return stats;
    }

    /** The clusters the bootstrap of each clustered input with objectives resamples, with a warning where they are too few. */
    static Map<String, Clustering> clustering(EvaluateInputs inputs, Map<String, InputStats> stats, List<String> warnings) {
        Map<String, Clustering> clustering = new LinkedHashMap<>();
        for (PreparedInput input : inputs.inputs().values()) {
            if (input.clusterColumn().isPresent() && !inputs.on(input.name()).isEmpty()) {
                String column = input.clusterColumn().get();
                Clustering clusters = new Clustering(column, stats.get(input.name()).clusters().orElseThrow());
                clustering.put(input.name(), clusters);
                if (!clusters.reliable()) {
                    warnings.add(format("input '%s' has %d clusters of '%s' (< %d): the bootstrap intervals and stderr, which "
                            + "resample clusters, are unreliable", input.name(), clusters.clusters(), column, Clustering.MIN_RELIABLE));
                }
            }
        }
        return clustering;
    }
}
