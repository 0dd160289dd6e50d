package io.alignloss.leaderboard;

import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * One style feature of a battle ({@code --style NAME}): the value of side a and of side b as Spark columns, from
 * the numeric columns {@code a_NAME} and {@code b_NAME} when the battles have them, else counted in the text columns
 * {@code response_a} and {@code response_b} ({@link TextStyle}). Its per-battle value is
 * <pre>
 *   s = (a − b)/(a + b),   0 when a + b = 0
 * </pre>
 * a number in [−1, 1] for non-negative a and b; a null, NaN, infinite or negative value makes the battle a
 * {@code missing_style} reject.
 */
record StyleFeature(String name, Column a, Column b) {
    static final String RESPONSE_A = "response_a";
    static final String RESPONSE_B = "response_b";

    StyleFeature {
        requireNonNull(name, "name is null");
        requireNonNull(a, "a is null");
        requireNonNull(b, "b is null");
    }

    /** The features that {@code names} (e.g. length, markdown) stand for, in order; exit 2 for an unknown name or missing columns. */
    static List<StyleFeature> resolve(List<String> names, StructType schema, String path) {
        Map<String, StyleFeature> features = new LinkedHashMap<>();
        List<String> columns = Arrays.asList(schema.fieldNames());
        for (String name : names) {
            if (columns.contains("a_" + name) && columns.contains("b_" + name)) {
                numeric(schema, "a_" + name, path);
                numeric(schema, "b_" + name, path);
                features.put(name, new StyleFeature(name, col("`a_" + name + "`").cast(DataTypes.DoubleType),
                        col("`b_" + name + "`").cast(DataTypes.DoubleType)));
                continue;
            }
            List<TextStyle> counted = TextStyle.named(name).orElseThrow(() -> new AlignLossException(ErrorCode.USAGE, format(
                    "Invalid --style '%s': the battles have no numeric columns a_%s and b_%s, and it is not a text feature "
                            + "(valid: %s)", name, name, name, String.join(", ", TextStyle.names()))));
            for (String text : List.of(RESPONSE_A, RESPONSE_B)) {
                if (!columns.contains(text) || !schema.apply(text).dataType().equals(DataTypes.StringType)) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read battles at %s: --style %s needs "
                            + "string columns %s and %s (or numeric columns a_%s and b_%s)", path, name, RESPONSE_A, RESPONSE_B, name, name));
                }
            }
            for (TextStyle style : counted) {
                features.put(style.featureName(), new StyleFeature(style.featureName(), count(style, RESPONSE_A), count(style, RESPONSE_B)));
            }
        }
        return new ArrayList<>(features.values());
    }

    /** True when a side's value is unusable: null, NaN, infinite or negative. */
    Column missing() {
        return bad(a).or(bad(b));
    }

    // s = (a − b)/(a + b), 0 when both are 0
    Column difference() {
        return when(a.plus(b).equalTo(0), lit(0.0)).otherwise(a.minus(b).divide(a.plus(b)));
    }

    private static Column bad(Column value) {
        return value.isNull().or(isnan(value)).or(value.lt(0)).or(value.equalTo(Double.POSITIVE_INFINITY));
    }

    private static Column count(TextStyle style, String column) {
        UDF1<String, Double> counter = text -> text == null ? null : style.count(text);
        return udf(counter, DataTypes.DoubleType).apply(col(column));
    }

    private static void numeric(StructType schema, String column, String path) {
        DataType type = schema.apply(column).dataType();
        if (!(type instanceof NumericType)) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot read battles at %s: column '%s' is %s (must be numeric)",
                    path, column, type.simpleString()));
        }
    }
}
