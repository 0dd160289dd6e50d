package io.alignloss.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    static String confidence(JsonNode figures) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * figures.path("confidence").asDouble(0.95));
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

    static String cellText(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "n/a";
    }

    static String interval(JsonNode ci) {
        return ci.size() == 2 ? number(ci.get(0).asDouble()) + " – " + number(ci.get(1).asDouble()) : "";
    }

    static String intervalText(JsonNode ci) {
        return ci.size() == 2 ? "[" + number(ci.get(0).asDouble()) + ", " + number(ci.get(1).asDouble()) + "]" : "n/a";
    }
}
