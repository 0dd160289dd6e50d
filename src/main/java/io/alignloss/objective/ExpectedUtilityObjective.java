package io.alignloss.objective;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.spark.sql.Column;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;

/**
 * Negative expected utility {@code L = −E[U(x, y)]} with {@code U = Σ_k w_k·score_k} a configured
 * combination of score columns ({@code utility { helpfulness = 0.8, harmfulness = -0.2 }}). The loss is
 * always {@code −E[U]}: minimising it maximises utility, and no option flips the sign.
 */
public final class ExpectedUtilityObjective implements Objective {
    private final ObjectiveConfig config;
    private final Map<String, Double> utility;

    public ExpectedUtilityObjective(ObjectiveConfig config) {
        this.config = config;
        this.utility = parseUtility(config);
    }

    private static Map<String, Double> parseUtility(ObjectiveConfig config) {
        String key = config.key("utility");
        if (!config.options().hasPath("utility")) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Missing key '%s': an expected-utility objective needs utility { <score column> = <weight>, … }", key));
        }
        ConfigValue value = config.options().getValue("utility");
        if (value.valueType() != ConfigValueType.OBJECT || ((ConfigObject) value).isEmpty()) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Invalid %s (%s): expected utility { <score column> = <weight>, … } with at least one column",
                    key, value.origin().description()));
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            ConfigValue weight = entry.getValue();
            if (weight.valueType() != ConfigValueType.NUMBER
                    || !Double.isFinite(((Number) weight.unwrapped()).doubleValue())) {
                throw new AlignLossException(ErrorCode.CONFIG, format("Invalid %s.%s (%s): expected a finite number, got %s",
                        key, entry.getKey(), weight.origin().description(), weight.render()));
            }
            weights.put(entry.getKey(), ((Number) weight.unwrapped()).doubleValue());
        }
        return Collections.unmodifiableMap(weights);
    }

    /** Score column to its weight in U. */
    public Map<String, Double> utilityWeights() {
        return utility;
    }

    @Override
    public ObjectiveConfig config() {
        return config;
    }

    @Override
    public List<ColumnSpec> columns() {
        List<ColumnSpec> columns = new ArrayList<>();
        for (String score : utility.keySet()) {
            columns.add(ColumnSpec.required(score, ColumnType.DOUBLE, "objective " + name() + " (utility)"));
        }
        return columns;
    }

    @Override
    public List<RowRule> rules() {
        return utility.keySet().stream().map(Rules::badScore).toList();
    }

    // U(x, y) = Σ_k w_k·score_k
    Column utilityOf() {
        Column total = lit(0.0);
        for (Map.Entry<String, Double> term : utility.entrySet()) {
            total = total.plus(PreparedInput.column(term.getKey()).multiply(term.getValue()));
        }
        return total;
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("utility", utilityOf());
        figures.put("weight", col(InputContract.WEIGHT));
        figures.put("loss", lossNumerator());
        return figures;
    }

    // ℓ = −U(x, y)
    @Override
    public Column lossNumerator() {
        return negate(utilityOf());
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.empty();
    }

    @Override
    public Map<String, Column> sums() {
        return Map.of();
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        // mean_utility = E[U] = −loss
        OptionalDouble loss = stats.loss();
        figures.put("mean_utility", loss.isPresent() ? Json.number(-loss.getAsDouble()) : null);
        figures.put("utility", formula());
        return figures;
    }

    /** The utility as text, e.g. {@code 0.8*helpfulness - 0.2*harmfulness}. */
    public String formula() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Double> term : utility.entrySet()) {
            double weight = term.getValue();
            if (text.length() == 0) {
                text.append(weight < 0 ? "-" : "");
            }
            else {
                text.append(weight < 0 ? " - " : " + ");
            }
            text.append(Math.abs(weight)).append('*').append(term.getKey());
        }
        return text.toString();
    }

    @Override
    public String describe() {
        return "negative expected utility: loss = -E[U], U = " + formula() + " (minimising the loss maximises U)";
    }
}
