package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One input ({@code inputs.<name>}): where it was read (redacted), its kind, the rows read and rejected,
 * {@code reject_fraction = rejected / rows}, and the group columns its figures are split by.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InputSummary(
        @JsonProperty("path") String path,
        @JsonProperty("kind") String kind,
        @JsonProperty("rows") Long rows,
        @JsonProperty("rejected") Long rejected,
        @JsonProperty("reject_fraction") Double rejectFraction,
        @JsonProperty("group_columns") List<String> groupColumns) {
}
