package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * One objective in the {@code drift} block: {@code new} (the previous run did not have it), {@code redefined} (a
 * different type or description: the losses measure different things) or {@code compared}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "status")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ObjectiveDrift.New.class, name = ObjectiveDrift.New.STATUS),
        @JsonSubTypes.Type(value = ObjectiveDrift.Redefined.class, name = ObjectiveDrift.Redefined.STATUS),
        @JsonSubTypes.Type(value = ObjectiveDrift.Compared.class, name = ObjectiveDrift.Compared.STATUS)})
public sealed interface ObjectiveDrift {
    @JsonProperty("status")
    String status();

    /** Not in the previous run. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record New() implements ObjectiveDrift {
        public static final String STATUS = "new";

        @Override
        public String status() {
            return STATUS;
        }
    }

    /** Measured differently than in the previous run: no change is computed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"status", "description", "previous_description"})
    record Redefined(
            String description,
            String previousDescription) implements ObjectiveDrift {
        public static final String STATUS = "redefined";

        @Override
        public String status() {
            return STATUS;
        }
    }

    /**
     * {@code loss_change = L_cur − L_prev}, {@code z = change / √(se_cur² + se_prev²)}, the two-sided p-value, and per
     * group column the total variation distance between the two runs' weight shares.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"status", "loss", "previous_loss", "loss_change", "z", "p_value", "mix_tvd", "new_group_columns",
            "missing_group_columns"})
    record Compared(
            Double loss,
            Double previousLoss,
            Double lossChange,
            Double z,
            Double pValue,
            Map<String, Double> mixTvd,
            List<String> newGroupColumns,
            List<String> missingGroupColumns) implements ObjectiveDrift {
        public static final String STATUS = "compared";

        @Override
        public String status() {
            return STATUS;
        }
    }
}
