package io.alignloss.data;

import io.alignloss.config.ClusterKey;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.config.TableFormat;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.lang.String.format;
import static io.alignloss.data.PreparedInput.column;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Reads an input ({@link InputTables}: Parquet, or a Delta or Iceberg table pinned to one version), checks its schema against the contract (fails at once, naming the column, the
 * expected type and the columns present), checks each file's footer against that schema
 * ({@link ParquetFooters}) and prepares typed rows with the row rules evaluated.
 */
public final class InputReader {
    private InputReader() {
    }

    /**
     * @param configured   the input; the prepared input's config is it pinned to the version read ({@link InputTables#pin})
     * @param extraColumns columns the objectives on this input read
     * @param extraRules   their row rules
     * @param groups       configured group columns; those absent from the input are reported in {@code warnings}
     */
    public static PreparedInput prepare(SparkSession spark, InputConfig configured, List<ColumnSpec> extraColumns,
            List<RowRule> extraRules, List<String> groups, List<String> warnings) {
        return prepare(spark, open(spark, configured), extraColumns, extraRules, groups, warnings);
    }

    /**
     * An input pinned to its version and read (its schema resolved: for Parquet, one Spark job that reads a footer),
     * so that its column names and its preparation share that one read.
     */
    public record Opened(InputConfig input, Dataset<Row> raw) {
        /** The input's column names, in file order. */
        public List<String> columnNames() {
            return List.of(raw.columns());
        }
    }

    /** Pins the input ({@link InputTables#pin}) and reads it once; the rows are not scanned. */
    public static Opened open(SparkSession spark, InputConfig configured) {
        InputConfig input = InputTables.pin(spark, configured);
        return new Opened(input, read(spark, input));
    }

    /** {@link #prepare(SparkSession, InputConfig, List, List, List, List)} of an input already opened. */
    public static PreparedInput prepare(SparkSession spark, Opened opened, List<ColumnSpec> extraColumns,
            List<RowRule> extraRules, List<String> groups, List<String> warnings) {
        InputConfig input = opened.input();
        Dataset<Row> raw = opened.raw();
        StructType schema = raw.schema();
        Map<String, StructField> fields = new LinkedHashMap<>();
        for (StructField field : schema.fields()) {
            fields.put(field.name(), field);
        }
        Map<String, ColumnSpec> specs = columnSpecs(input, extraColumns);
        checkClusterColumn(input, fields, schema);
        List<String> presentGroups = presentGroups(input, groups, fields, specs, warnings);
        checkColumns(input, specs, fields, schema);

        List<String> read = specs.keySet().stream().filter(fields::containsKey).toList();
        if (input.source().format() == TableFormat.PARQUET) {
            // a Delta or Iceberg table's log holds its schema (and may map columns to other names in the files)
            ParquetFooters.check(spark, input, raw, read);
        }

        Column[] projection = projection(input, schema, specs);
        Map<String, Column> byCode = rulesByCode(input, fields, extraRules);
        Dataset<Row> typed = raw.select(projection);
        return new PreparedInput(input, typed, new ArrayList<>(fields.keySet()), presentGroups, byCode);
    }

    /** The contract's columns of the input's kind, then those the objectives read that it lacks or requires. */
    private static Map<String, ColumnSpec> columnSpecs(InputConfig input, List<ColumnSpec> extraColumns) {
        Map<String, ColumnSpec> specs = new LinkedHashMap<>();
        for (ColumnSpec spec : InputContract.columns(input.kind())) {
            specs.put(spec.name(), spec);
        }
        for (ColumnSpec spec : extraColumns) {
            ColumnSpec known = specs.get(spec.name());
            if (known != null && known.type() != spec.type()) {
                throw new AlignLossException(ErrorCode.CONFIG, format(
                        "Cannot read input '%s': column '%s' is read as %s by %s and as %s by %s",
                        input.name(), spec.name(), known.type().description(), known.neededBy(), spec.type().description(),
                        spec.neededBy()));
            }
            if (known == null || spec.required()) {
                specs.put(spec.name(), spec);
            }
        }
        return specs;
    }

    private static void checkClusterColumn(InputConfig input, Map<String, StructField> fields, StructType schema) {
        if (input.cluster().choice() == ClusterKey.Choice.COLUMN && !fields.containsKey(input.cluster().column())) {
            throw new AlignLossException(ErrorCode.CONFIG, format(
                    "Invalid 'inputs.%s.cluster' (%s): column '%s' is not in input '%s' (%s); set a column of the input or \"%s\"; "
                            + "columns present: %s", input.name(), input.cluster().origin(), input.cluster().column(), input.name(),
                    input.path(), ClusterKey.NONE_VALUE, describe(schema)));
        }
    }

    /**
     * The configured group columns the input has (each added to {@code specs} as an optional group column unless
     * already there); a warning for each it lacks.
     */
    private static List<String> presentGroups(InputConfig input, List<String> groups, Map<String, StructField> fields,
            Map<String, ColumnSpec> specs, List<String> warnings) {
        List<String> presentGroups = new ArrayList<>();
        for (String group : groups) {
            if (!fields.containsKey(group)) {
                warnings.add(format("group column '%s' is not in input '%s': no per-group figures for it there", group, input.name()));
            }
            else if (!specs.containsKey(group)) {
                specs.put(group, ColumnSpec.optional(group, ColumnType.GROUP, "groups"));
                presentGroups.add(group);
            }
            else {
                presentGroups.add(group);
            }
        }
        return presentGroups;
    }

    /** Every required column is present and every present column has a type its spec accepts. */
    private static void checkColumns(InputConfig input, Map<String, ColumnSpec> specs, Map<String, StructField> fields,
            StructType schema) {
        for (ColumnSpec spec : specs.values()) {
            StructField field = fields.get(spec.name());
            if (field == null) {
                if (spec.required()) {
                    throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                            "Cannot read input '%s' (%s): required column '%s' (%s, needed by %s) is missing; columns present: %s",
                            input.name(), input.path(), spec.name(), spec.type().description(), spec.neededBy(), describe(schema)));
                }
            }
            else if (!spec.type().accepts(field.dataType())) {
                throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                        "Cannot read input '%s' (%s): column '%s' has type %s, expected %s (needed by %s); columns present: %s",
                        input.name(), input.path(), spec.name(), field.dataType().simpleString(), spec.type().description(),
                        spec.neededBy(), describe(schema)));
            }
        }
    }

    /**
     * The typed rows' columns: every input column, cast to its spec's type where it differs, with a null {@code id}
     * replaced by the hash of the row's texts; then the defaults of the columns the input lacks ({@code id} the
     * same hash, {@code weight} 1, a preference's {@code label} 1).
     */
    private static Column[] projection(InputConfig input, StructType schema, Map<String, ColumnSpec> specs) {
        List<String> names = List.of(schema.fieldNames());
        List<Column> projection = new ArrayList<>();
        Column derivedId = lower(hex(xxhash64(InputContract.textColumns(input.kind()).stream()
                .map(PreparedInput::column).toArray(Column[]::new))));
        for (StructField field : schema.fields()) {
            ColumnSpec spec = specs.get(field.name());
            Column value = column(field.name());
            if (spec != null && !field.dataType().sameType(spec.type().target())) {
                value = value.cast(spec.type().target());
            }
            if (field.name().equals(InputContract.ID)) {
                value = coalesce(value, derivedId);
            }
            projection.add(value.as(field.name()));
        }
        if (!names.contains(InputContract.ID)) {
            projection.add(derivedId.as(InputContract.ID));
        }
        if (!names.contains(InputContract.WEIGHT)) {
            projection.add(lit(1.0).as(InputContract.WEIGHT));
        }
        if (input.kind() == InputKind.PREFERENCE && !names.contains(InputContract.LABEL)) {
            projection.add(lit(1.0).as(InputContract.LABEL));
        }
        return projection.toArray(Column[]::new);
    }

    /** The row rules of the input's kind and the objectives', one failure condition per reject code (or-ed). */
    private static Map<String, Column> rulesByCode(InputConfig input, Map<String, StructField> fields, List<RowRule> extraRules) {
        List<RowRule> rules = new ArrayList<>(InputContract.rules(input.kind(), new ArrayList<>(fields.keySet())));
        rules.addAll(extraRules);
        Map<String, Column> byCode = new LinkedHashMap<>();
        for (RowRule rule : rules) {
            byCode.merge(rule.code(), rule.failsWhen(), Column::or);
        }
        return byCode;
    }

    private static Dataset<Row> read(SparkSession spark, InputConfig input) {
        return InputTables.read(spark, input);
    }

    private static String describe(StructType schema) {
        return Arrays.stream(schema.fields())
                .map(field -> field.name() + ": " + field.dataType().simpleString())
                .collect(Collectors.joining(", "));
    }
}
