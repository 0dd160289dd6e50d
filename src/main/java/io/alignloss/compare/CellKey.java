package io.alignloss.compare;

/**
 * A cell of a comparison: all paired rows ({@link #OVERALL}) or the rows with one value of a group column (a null
 * value as {@value #NULL_VALUE}, as evaluate names it).
 */
record CellKey(String column, String value) {
    static final String NULL_VALUE = "(null)";
    static final CellKey OVERALL = new CellKey("", "");

    boolean overall() {
        return column.isEmpty();
    }
}
