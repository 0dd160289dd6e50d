package io.alignloss.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import static io.alignloss.config.ConfigValues.choice;
import static io.alignloss.config.ConfigValues.error;
import static io.alignloss.config.ConfigValues.number;
import static io.alignloss.config.ConfigValues.where;

/** Parses a {@code dpo} objective entry's keys into {@link DpoOptions}; each error names the key, file and line. */
final class DpoOptionsParser {
    private DpoOptionsParser() {
    }

    static DpoOptions parse(Config entry, String prefix, Resampling resampling, String source) {
        double beta = DpoOptions.DEFAULT_BETA;
        if (entry.hasPath(DpoOptions.BETA)) {
            ConfigValue value = entry.getValue(DpoOptions.BETA);
            beta = value.valueType() == ConfigValueType.NUMBER ? ((Number) value.unwrapped()).doubleValue() : Double.NaN;
            if (!(beta > 0) || !Double.isFinite(beta)) {
                throw error(source, "Invalid '%s%s' (%s): %s (must be a finite number > 0)", prefix, DpoOptions.BETA, where(value),
                        value.render());
            }
        }
        DpoLossType lossType = entry.hasPath(DpoOptions.LOSS_TYPE)
                ? choice(entry, DpoOptions.LOSS_TYPE, prefix + DpoOptions.LOSS_TYPE, source, DpoLossType::fromConfig)
                : DpoLossType.SIGMOID;
        DpoReference reference = entry.hasPath(DpoOptions.REFERENCE)
                ? choice(entry, DpoOptions.REFERENCE, prefix + DpoOptions.REFERENCE, source, DpoReference::fromConfig)
                : DpoReference.LOGGED;
        double smoothing = 0;
        if (entry.hasPath(DpoOptions.LABEL_SMOOTHING)) {
            String key = prefix + DpoOptions.LABEL_SMOOTHING;
            smoothing = number(entry, DpoOptions.LABEL_SMOOTHING, key, source, 0, 0.5, false);
            String at = where(entry.getValue(DpoOptions.LABEL_SMOOTHING));
            if (lossType == DpoLossType.ROBUST && smoothing >= 0.5) {
                throw error(source, "Invalid '%s' (%s): %s (loss-type robust needs 0 <= label-smoothing < 0.5: it divides by 1 - 2*eps)",
                        key, at, smoothing);
            }
            if (!lossType.smoothed() && smoothing != 0) {
                throw error(source, "Invalid '%s' (%s): %s (loss-type %s has no label smoothing; only sigmoid and robust do)",
                        key, at, smoothing, lossType.configName());
            }
        }
        return new DpoOptions(resampling, beta, lossType, smoothing, reference);
    }
}
