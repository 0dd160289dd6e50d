package io.alignloss.summary;

import java.util.OptionalDouble;

/** Small helpers for figures that may be undefined (JSON null). */
public final class Json {
    private Json() {
    }

    /** The value, or null (JSON null) when undefined or not finite. */
    public static Double number(OptionalDouble value) {
        return value.isPresent() && Double.isFinite(value.getAsDouble()) ? value.getAsDouble() : null;
    }

    public static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
