package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * One objective in the {@code drift} block: {@code new} (the previous run did not have it), {@code redefined} (a
 * different type or description: the losses measure different things) or {@code compared}. The {@code status} key,
 * written first, is the record's {@code @JsonTypeName}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(ObjectiveDrift.New.class),
        @JsonSubTypes.Type(ObjectiveDrift.Redefined.class),
        @JsonSubTypes.Type(ObjectiveDrift.Compared.class)})
public sealed interface ObjectiveDrift {
    /** Not in the previous run. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonTypeName("new")
    record New() implements ObjectiveDrift {
    }

    /** Measured differently than in the previous run: no change is computed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"description", "previous_description"})
    @JsonTypeName("redefined")
    record Redefined(String description, String previousDescription) implements ObjectiveDrift {
    }

    /**
     * {@code loss_change = L_cur − L_prev}, {@code z = change / √(se_cur² + se_prev²)}, the two-sided p-value, and per
     * group column the total variation distance between the two runs' weight shares.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"loss", "previous_loss", "loss_change", "z", "p_value", "mix_tvd", "new_group_columns",
            "missing_group_columns"})
    @JsonTypeName("compared")
    record Compared(Double loss, Double previousLoss, Double lossChange, Double z, Double pValue, Map<String, Double> mixTvd,
            List<String> newGroupColumns, List<String> missingGroupColumns) implements ObjectiveDrift {
    }
}
