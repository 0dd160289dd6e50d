package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

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
    @JsonPropertyOrder({"status", "description", "previous_description"})
    record Redefined(
            @JsonProperty("description") String description,
            @JsonProperty("previous_description") String previousDescription) implements ObjectiveDrift {
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
    @JsonPropertyOrder({"status", "loss", "previous_loss", "loss_change", "z", "p_value", "mix_tvd", "new_group_columns",
            "missing_group_columns"})
    record Compared(
            @JsonProperty("loss") Double loss,
            @JsonProperty("previous_loss") Double previousLoss,
            @JsonProperty("loss_change") Double lossChange,
            @JsonProperty("z") Double z,
            @JsonProperty("p_value") Double pValue,
            @JsonProperty("mix_tvd") Map<String, Double> mixTvd,
            @JsonProperty("new_group_columns") List<String> newGroupColumns,
            @JsonProperty("missing_group_columns") List<String> missingGroupColumns) implements ObjectiveDrift {
        public static final String STATUS = "compared";

        @Override
        public String status() {
            return STATUS;
        }
    }
}
