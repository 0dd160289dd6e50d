package io.alignloss.leaderboard;

import io.alignloss.summary.SummaryJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders leaderboard.csv and leaderboard.json; non-finite numbers become empty cells and JSON nulls. When the
 * battles form more than one group of models that never met, each row also names its group: a {@code component}
 * column appended after the existing ones in the CSV (empty for unbounded models) and a {@code component} field in
 * the JSON. With style control, {@code raw_rating,raw_lower,raw_upper} are appended last (after {@code component}).
 */
final class LeaderboardReport {
    static final String CSV_HEADER = "model,rating,lower,upper,battles";
    static final String COMPONENT_COLUMN = "component";
    static final String RAW_COLUMNS = "raw_rating,raw_lower,raw_upper";

    private LeaderboardReport() {
    }

    static String csv(List<Standing> standings, boolean components) {
        boolean raw = standings.stream().anyMatch(standing -> standing.raw().isPresent());
        StringBuilder csv = new StringBuilder(CSV_HEADER).append(components ? "," + COMPONENT_COLUMN : "")
                .append(raw ? "," + RAW_COLUMNS : "").append('\n');
        for (Standing standing : standings) {
            csv.append(quote(standing.model())).append(',')
                    .append(number(standing.rating())).append(',')
                    .append(number(standing.lower())).append(',')
                    .append(number(standing.upper())).append(',')
                    .append(standing.battles());
            if (components) {
                csv.append(',').append(standing.component().isPresent() ? String.valueOf(standing.component().getAsInt()) : "");
            }
            if (raw) {
                Standing.RawRating rawRating = standing.raw().orElseThrow();
                csv.append(',').append(number(rawRating.rating())).append(',').append(number(rawRating.lower())).append(',')
                        .append(number(rawRating.upper()));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    static String json(Map<String, Object> figures, List<Standing> standings, boolean components) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (Standing standing : standings) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", standing.model());
            row.put("rating", finiteOrNull(standing.rating()));
            row.put("lower", finiteOrNull(standing.lower()));
            row.put("upper", finiteOrNull(standing.upper()));
            row.put("battles", standing.battles());
            row.put("wins", standing.wins());
            row.put("losses", standing.losses());
            row.put("ties", standing.ties());
            row.put("unbounded", standing.unbounded());
            if (standing.unbounded()) {
                row.put("unbounded_side", Double.isNaN(standing.rating()) ? "unidentified" : standing.rating() > 0 ? "above" : "below");
            }
            if (components) {
                row.put(COMPONENT_COLUMN, standing.component().isPresent() ? standing.component().getAsInt() : null);
            }
            standing.raw().ifPresent(raw -> {
                row.put("raw_rating", finiteOrNull(raw.rating()));
                row.put("raw_lower", finiteOrNull(raw.lower()));
                row.put("raw_upper", finiteOrNull(raw.upper()));
            });
            models.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("models", models);
        return SummaryJson.render(json);
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "";
    }

    // RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside
    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
