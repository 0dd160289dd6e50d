package io.alignloss.leaderboard;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The accepted values of a battle's {@code winner} column and the label each gives model_a. */
public enum Winner {
    MODEL_A("model_a", 1.0),
    MODEL_B("model_b", 0.0),
    TIE("tie", 0.5),
    TIE_BOTH_BAD("tie (bothbad)", 0.5);

    private final String value;
    private final double label;

    Winner(String value, double label) {
        this.value = value;
        this.label = label;
    }

    /** The string stored in the {@code winner} column. */
    public String value() {
        return value;
    }

    /** y = P(model_a wins) as observed: 1, 0, or ½ for a tie. */
    public double label() {
        return label;
    }

    /** Every accepted {@code winner} string, in declaration order. */
    public static List<String> strings() {
        return Arrays.stream(values()).map(Winner::value).toList();
    }

    public static Optional<Winner> parse(String value) {
        return Arrays.stream(values()).filter(winner -> winner.value.equals(value)).findFirst();
    }
}
