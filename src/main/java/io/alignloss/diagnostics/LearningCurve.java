package io.alignloss.diagnostics;

import io.alignloss.stats.LossStats;
import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The estimator learning curve: the empirical loss on nested subsamples (the rows in the first
 * {@code CURVE_FRACTIONS[k]} of the buckets) with normal intervals from the linearised standard error, and with a
 * target the reweighted loss of each subsample.
 */
final class LearningCurve {
    private static final int BUCKETS = Resampling.BUCKETS;

    private final Optional<Clustering> clustering;
    private final Intervals intervals;

    LearningCurve(Optional<Clustering> clustering, Intervals intervals) {
        this.clustering = clustering;
        this.intervals = intervals;
    }

    /** One point per subsample {@code levels[k]}: fraction, n, loss, ci and, with a target, reweighted_loss. */
    List<Map<String, Object>> points(Slice all, Slice[] levels, Optional<TargetReweighting> target, List<Cell> cells) {
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int k = 0; k < levels.length; k++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("fraction", Resampling.CURVE_FRACTIONS[k]);
            point.put("n", levels[k].stats.count());
            point.put("loss", Json.number(levels[k].loss()));
            point.put("ci", intervals.normal(levels[k].stats.loss(), stderr(all, levels[k], k)));
            if (target.isPresent()) {
                int buckets = Resampling.bucketsIn(Resampling.CURVE_FRACTIONS[k]);
                point.put("reweighted_loss", Json.number(target.get().reweighted(cells.stream()
                        .filter(cell -> cell.bucket() < buckets).toList())));
            }
            curve.add(point);
        }
        return curve;
    }

    /**
     * The standard error of the learning curve's subsample at {@code CURVE_FRACTIONS[k]}, its buckets
     * {@code 0 .. n_k − 1}. Rows resampled: the subsample's own row-level {@link LossStats#stderr()}. Clusters:
     * its own buckets are too few to measure a spread (1% is one bucket), so the full data's
     * {@code Σ_c e_c²} is scaled to the subsample's share of the clusters, {@code n_k/B} (the subsample is a
     * uniform random share of them): {@code sqrt(n_k/B · Σ_c e_c²) / Σ_{sub} wx}.
     */
    private OptionalDouble stderr(Slice all, Slice level, int k) {
        if (clustering.isEmpty()) {
            return level.stats.stderr();
        }
        if (!all.spread() || !(level.stats.denominatorSum() > 0)) {
            return OptionalDouble.empty();
        }
        double share = (double) Resampling.bucketsIn(Resampling.CURVE_FRACTIONS[k]) / BUCKETS;
        return OptionalDouble.of(Math.sqrt(share * all.clusterSquares()) / level.stats.denominatorSum());
    }
}
