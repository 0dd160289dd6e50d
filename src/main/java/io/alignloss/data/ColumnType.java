package io.alignloss.data;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/** How a contract column is typed, which Parquet types widen safely to it, and to what it is cast. */
public enum ColumnType {
    /** Text: string only. */
    STRING("string", DataTypes.StringType),
    /** A real number: any integral, floating or decimal type, read as double. */
    DOUBLE("double (or float, integer, decimal)", DataTypes.DoubleType),
    /** A list of real numbers: array of any numeric type, read as array of double. */
    DOUBLE_ARRAY("array<double> (or array<float>)", DataTypes.createArrayType(DataTypes.DoubleType, true)),
    /** A list of texts: array of string. */
    STRING_ARRAY("array<string>", DataTypes.createArrayType(DataTypes.StringType, true)),
    /** An identifier: string, or an integral type read as its decimal text. */
    ID("string (or integer)", DataTypes.StringType),
    /** A flag: boolean only. */
    BOOLEAN("boolean", DataTypes.BooleanType),
    /** A group label: any atomic type, read as its text. */
    GROUP("string (or another atomic type)", DataTypes.StringType);

    private final String description;
    private final DataType target;

    ColumnType(String description, DataType target) {
        this.description = description;
        this.target = target;
    }

    public String description() {
        return description;
    }

    /** The Spark type a column of this kind is cast to. */
    public DataType target() {
        return target;
    }

    /** Whether a Parquet column of type {@code actual} widens safely to this type. */
    public boolean accepts(DataType actual) {
        switch (this) {
            case STRING:
                return actual instanceof StringType;
            case DOUBLE:
                return isNumeric(actual);
            case DOUBLE_ARRAY:
                return actual instanceof ArrayType array && isNumeric(array.elementType());
            case STRING_ARRAY:
                return actual instanceof ArrayType array && array.elementType() instanceof StringType;
            case ID:
                return actual instanceof StringType || isIntegral(actual);
            case BOOLEAN:
                return actual instanceof BooleanType;
            case GROUP:
                return actual instanceof StringType || isNumeric(actual) || actual instanceof BooleanType
                        || actual instanceof DateType;
        }
        throw new AssertionError(this);
    }

    private static boolean isIntegral(DataType type) {
        return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType;
    }

    private static boolean isNumeric(DataType type) {
        return isIntegral(type) || type instanceof FloatType || type instanceof DoubleType || type instanceof DecimalType;
    }
}
