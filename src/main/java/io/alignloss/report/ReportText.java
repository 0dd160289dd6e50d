package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.alignloss.summary.ObjectiveSummary;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** How the report writes text and figures: HTML escaping, numbers to four significant digits, percentages, intervals, times. */
final class ReportText {
    private ReportText() {
    }

    /** summary.json's start instant ({@code 2026-12-01T15:04:05.123456789Z}) to the second, in UTC. */
    static String startTime(String instant) {
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                    .format(Instant.parse(instant));
        }
        catch (DateTimeParseException e) {
            return instant;
        }
    }

    static String confidence(ObjectiveSummary objective) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * objective.confidenceOrDefault());
    }

    /** A block kept as a JSON tree, or a missing node when the summary lacks it (so that {@code path} chains work). */
    static JsonNode tree(JsonNode block) {
        return block == null ? MissingNode.getInstance() : block;
    }

    /** A figure, or NaN when the summary lacks it. */
    static double value(Double figure) {
        return figure == null ? Double.NaN : figure;
    }

    /** A figure, or nothing. */
    static String text(Object figure) {
        return figure == null ? "" : figure.toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : "n/a";
    }

    static String signed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.4g", value) : "n/a";
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * value);
    }

    static String cell(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "";
    }

    static String cell(Double value) {
        return value != null ? number(value) : "";
    }

    static String cellText(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "n/a";
    }

    static String interval(List<Double> ci) {
        return isInterval(ci) ? number(ci.get(0)) + " – " + number(ci.get(1)) : "";
    }

    static String intervalText(List<Double> ci) {
        return isInterval(ci) ? "[" + number(ci.get(0)) + ", " + number(ci.get(1)) + "]" : "n/a";
    }

    /** Two bounds, both known. */
    static boolean isInterval(List<Double> ci) {
        return ci != null && ci.size() == 2 && ci.get(0) != null && ci.get(1) != null;
    }
}
