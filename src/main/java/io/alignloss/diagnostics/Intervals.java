package io.alignloss.diagnostics;

import io.alignloss.stats.Resampling;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The intervals of one objective's figures at {@code confidence}: percentile intervals of bucket replicates that all
 * share the same Poisson weights ({@link Resampling#poissonWeights}), and normal intervals {@code L̂ ± z·stderr}.
 * Without resampling ({@code bootstrap = 0}) there are none (null).
 */
final class Intervals {
    private final int bootstrap;
    private final double confidence;
    private final double[][] weights;

    Intervals(LossEstimates.Settings settings) {
        this.bootstrap = settings.bootstrap();
        this.confidence = settings.confidence();
        this.weights = Resampling.poissonWeights(settings.bootstrap(), settings.seed());
    }

    /** The replicates' bucket weights, {@code [replicate][bucket]}. */
    double[][] weights() {
        return weights;
    }

    /** The percentile interval of the replicates of a figure. */
    List<Double> percentile(double[] replicates) {
        double[] interval = bootstrap > 0 ? Resampling.percentileInterval(replicates, confidence) : null;
        return interval == null ? null : List.of(interval[0], interval[1]);
    }

    /**
     * {@code L̂ ± z·stderr} from the linearised standard error: the learning curve's subsamples are made of
     * few buckets (1% is one), too few to resample, so their intervals are normal ones.
     */
    List<Double> normal(OptionalDouble loss, OptionalDouble stderr) {
        if (bootstrap == 0 || loss.isEmpty() || stderr.isEmpty()) {
            return null;
        }
        double z = new NormalDistribution().inverseCumulativeProbability((1 + confidence) / 2);
        double halfWidth = z * stderr.getAsDouble();
        return List.of(loss.getAsDouble() - halfWidth, loss.getAsDouble() + halfWidth);
    }
}
