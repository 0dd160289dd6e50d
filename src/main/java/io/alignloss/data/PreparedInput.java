package io.alignloss.data;

import io.alignloss.config.ClusterKey;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * An input whose schema passed the contract: {@code rows} holds the input's columns widened to their
 * contract types, plus {@code id} (given or derived), {@code weight} and (preference inputs) {@code label},
 * defaulted to 1 when the input has none. {@code rules} maps each reject code to its predicate (several rules
 * of one code joined with OR); {@link #reasons()} lists the codes a row fails. A predicate that is null for a
 * row rejects it as {@link RowRule#RULE_ERROR}: every row read is either accepted or rejected.
 *
 * @param config          the input's configuration
 * @param rows            the typed rows with the reasons column
 * @param originalColumns the input's own column names, in file order (rejects keep these)
 * @param groupColumns    the configured group columns this input has
 * @param rules           reject code → predicate that is true for a row failing it, in rule order
 */
public record PreparedInput(
        InputConfig config,
        Dataset<Row> rows,
        List<String> originalColumns,
        List<String> groupColumns,
        Map<String, Column> rules) {
    /** The column of a prompt's identifier: the default cluster when an input has it. */
    public static final String PROMPT_ID = "prompt_id";

    public PreparedInput {
        requireNonNull(config, "config is null");
        requireNonNull(rows, "rows is null");
        originalColumns = List.copyOf(originalColumns);
        groupColumns = List.copyOf(groupColumns);
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    }

    public String name() {
        return config.name();
    }

    /**
     * True for a row that passes every rule, never null: {@code ¬coalesce(r₁ ∨ … ∨ rₙ, true)}, so a row is
     * rejected when a rule is true or, with none true, when a rule is null (a {@link RowRule#RULE_ERROR}). For
     * null-safe rules (all built by {@link RowRule#of}) Spark drops the coalesce.
     */
    public Column accepted() {
        return rules.values().stream().reduce(Column::or).map(any -> not(coalesce(any, lit(true)))).orElse(lit(true));
    }

    /**
     * The codes of every rule the row fails, in rule order, with {@link RowRule#RULE_ERROR} (once) in place of
     * a rule that evaluates to null; an empty array for an accepted row.
     */
    public Column reasons() {
        if (rules.isEmpty()) {
            return array().cast("array<string>");
        }
        return array_distinct(array_compact(array(rules.entrySet().stream()
                .map(rule -> when(rule.getValue(), lit(rule.getKey())).when(rule.getValue().isNull(), lit(RowRule.RULE_ERROR)))
                .toArray(Column[]::new))));
    }

    /**
     * A seeded 64-bit hash that identifies the row independently of partitioning: of {@code id} when the
     * input has an id column, else directly of the required text columns (what the derived id hashes;
     * hashing them directly skips formatting the id as text).
     */
    public Column rowHash(long seed) {
        if (originalColumns.contains(InputContract.ID)) {
            return xxhash64(lit(seed), col(InputContract.ID));
        }
        Column[] columns = new Column[1 + InputContract.textColumns(config.kind()).size()];
        columns[0] = lit(seed);
        int c = 1;
        for (String text : InputContract.textColumns(config.kind())) {
            columns[c++] = column(text);
        }
        return xxhash64(columns);
    }

    /**
     * The column whose equal values the bootstrap resamples together (see {@link ClusterKey}): the configured
     * column; by default {@code prompt_id} when the input has it, else the prompt text ({@code prompt}, or
     * {@code context} for self-target inputs); empty for {@code cluster = none} (rows are resampled).
     */
    public Optional<String> clusterColumn() {
        return switch (config.cluster().choice()) {
            case NONE -> Optional.empty();
            case COLUMN -> Optional.of(config.cluster().column());
            case DEFAULT -> Optional.of(originalColumns.contains(PROMPT_ID) ? PROMPT_ID
                    : config.kind() == InputKind.SELF_TARGET ? InputContract.CONTEXT : InputContract.PROMPT);
        };
    }

    /**
     * The seeded hash that assigns a row to a resampling bucket (bootstrap, learning curve, stderr). With a
     * cluster column, {@code xxhash64(seed, string(cluster value))}: rows of one cluster share a bucket (the
     * text form makes a numeric {@code prompt_id} hash as the policy evaluation's candidate sets do; a null
     * value is one cluster of its own). With {@code cluster = none}, as before clusters existed: of {@code id}
     * when the input has an id column, else of the response text alone ({@code chosen}, {@code response}, or
     * the self-target {@code context}); rows with the same response text then share a bucket, which only
     * matters for exact duplicates.
     */
    public Column bucketHash(long seed) {
        Optional<String> cluster = clusterColumn();
        if (cluster.isPresent()) {
            return xxhash64(lit(seed), column(cluster.get()).cast("string"));
        }
        if (originalColumns.contains(InputContract.ID)) {
            return xxhash64(lit(seed), col(InputContract.ID));
        }
        String response = switch (config.kind()) {
            case PREFERENCE -> InputContract.CHOSEN;
            case SEQUENCE -> InputContract.RESPONSE;
            case SELF_TARGET -> InputContract.CONTEXT;
        };
        return xxhash64(lit(seed), column(response));
    }

    /** The same input with one more rule, joined by OR with any rule of the same code. */
    public PreparedInput withRule(RowRule rule) {
        Map<String, Column> merged = new LinkedHashMap<>(rules);
        merged.merge(rule.code(), rule.failsWhen(), Column::or);
        return new PreparedInput(config, rows, originalColumns, groupColumns, merged);
    }

    public List<String> ruleCodes() {
        return List.copyOf(rules.keySet());
    }

    /** Quoted column reference, safe for names with dots or spaces. */
    public static Column column(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }
}
