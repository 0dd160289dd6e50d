package io.alignloss.summary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One input ({@code inputs.<name>}): where it was read (redacted), its kind, the rows read and rejected,
 * {@code reject_fraction = rejected / rows}, the group columns its figures are split by, and for a Delta or Iceberg
 * input the version read ({@code table}, absent for Parquet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InputSummary(
        String path,
        String kind,
        Long rows,
        Long rejected,
        Double rejectFraction,
        List<String> groupColumns,
        TableSummary table) {
    public InputSummary(String path, String kind, Long rows, Long rejected, Double rejectFraction, List<String> groupColumns) {
        this(path, kind, rows, rejected, rejectFraction, groupColumns, null);
    }
}
