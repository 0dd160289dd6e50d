package io.alignloss.bench;

import io.alignloss.data.InputContract;
import io.alignloss.data.RowRule;
import io.alignloss.objective.bradleyterry.BradleyTerryObjective;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.lang.String.format;

/**
 * The one-machine anchor of {@code bench evaluate}: the same figures as the evaluate job (the preference input's text,
 * score, weight and label rules, the Bradley-Terry loss, its stderr, accuracy, mean margin, counts and the figures per
 * group value), computed by DuckDB in-process over the same Parquet files with as many threads as Spark's local cores.
 * Like the job's scan it hashes every accepted row's cluster value into one of 100 buckets and sums per (group, bucket)
 * cell; DuckDB's {@code hash} is not Spark's XXH64, so only figures that do not depend on the buckets are compared.
 *
 * <p>DuckDB is reached through plain JDBC ({@code jdbc:duckdb:}); its driver ({@code org.duckdb:duckdb_jdbc}) is not
 * in alignloss.jar: {@code jobs/alignloss} puts it on the classpath for {@code bench} only ({@link #driverPresent()}).
 * The SQL is written out on purpose, not generated from the job's Spark columns: it is the independent reference.
 */
public final class DuckDbAnchor implements AutoCloseable {
    static final String URL = "jdbc:duckdb:";
    static final String ARTIFACT = "org.duckdb:duckdb_jdbc";

    private final Connection connection;
    private final int threads;

    private DuckDbAnchor(Connection connection, int threads) {
        this.connection = connection;
        this.threads = threads;
    }

    /** Whether a DuckDB JDBC driver is on the classpath. */
    public static boolean driverPresent() {
        try {
            DriverManager.getDriver(URL);
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    /** An in-memory DuckDB database limited to {@code threads} threads (loads the driver's native library). */
    public static DuckDbAnchor open(int threads) throws SQLException {
        if (threads < 1) {
            throw new IllegalArgumentException("Cannot open DuckDB: threads must be at least 1, got " + threads);
        }
        Connection connection = DriverManager.getConnection(URL);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = " + threads);
        }
        catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new DuckDbAnchor(connection, threads);
    }

    public int threads() {
        return threads;
    }

    /** DuckDB's version, e.g. {@code v2.0.0}. */
    public String version() throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT version()")) {
            result.next();
            return result.getString(1);
        }
    }

    /** The Parquet files of a folder Spark wrote (its {@code *.parquet}, sorted), or the file itself. */
    public static List<Path> parquetFiles(Path folderOrFile) throws IOException {
        if (!Files.isDirectory(folderOrFile)) {
            return List.of(folderOrFile);
        }
        try (Stream<Path> files = Files.list(folderOrFile)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /**
     * The figures of a preference input's Bradley-Terry objective over {@code files}, per value of {@code groupColumn}
     * (a string column) and in total; rows are bucketed by {@code hash(clusterColumn) % 100}. The optional
     * {@code weight} and {@code label} columns are used when the files have them (1 otherwise), as the job does.
     */
    public AnchorFigures figures(List<Path> files, String groupColumn, String clusterColumn) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql(files, groupColumn, clusterColumn))) {
            long rows = 0;
            long rejected = 0;
            Map<String, Long> byReason = new LinkedHashMap<>();
            AnchorFigures.LossFigures total = null;
            Map<String, AnchorFigures.LossFigures> groups = new LinkedHashMap<>();
            while (result.next()) {
                AnchorFigures.LossFigures figures = new AnchorFigures.LossFigures(result.getLong("accepted"),
                        result.getDouble("weight_sum"), number(result, "loss"), number(result, "stderr"),
                        number(result, "accuracy"), number(result, "mean_margin"));
                if (result.getBoolean("is_total")) {
                    rows = result.getLong("rows_read");
                    rejected = result.getLong("rejected");
                    for (String reason : List.of(RowRule.MISSING_TEXT, RowRule.BAD_SCORE, RowRule.BAD_WEIGHT, RowRule.BAD_LABEL)) {
                        long count = result.getLong(reason);
                        if (count > 0) {
                            byReason.put(reason, count);
                        }
                    }
                    total = figures;
                }
                else if (figures.count() > 0) {
                    groups.put(result.getString("g"), figures);
                }
            }
            if (total == null) {
                throw new IllegalStateException("Cannot read DuckDB's figures: no total row");
            }
            return new AnchorFigures(rows, rejected, byReason, total, groups);
        }
    }

    private static Double number(ResultSet result, String column) throws SQLException {
        double value = result.getDouble(column);
        return result.wasNull() ? null : value;
    }

    /**
     * One pass: each row's rule verdicts, margin {@code m}, weight {@code w}, label {@code y} and loss
     * {@code ℓ = softplus(z) + (y ≥ ½ ? (1 − y)·m : −y·m)}, {@code z = y ≥ ½ ? −m : m},
     * {@code softplus(z) = max(z, 0) + log1p(e^−|m|)} ({@code log1p(e)} as {@code ln(1 + e)·e / ((1 + e) − 1)}, exact
     * where {@code ln(1 + e)} alone rounds: DuckDB has no log1p); sums over the accepted rows per (group, bucket) cell,
     * then per group and in total (grouping sets) with the figures of {@link AnchorFigures.LossFigures}.
     */
    String sql(List<Path> files, String groupColumn, String clusterColumn) throws SQLException {
        String source = files.stream().map(file -> "'" + file.toAbsolutePath().toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "read_parquet([", "])"));
        Set<String> columns = columns(source);
        boolean weight = columns.contains(InputContract.WEIGHT);
        boolean label = columns.contains(InputContract.LABEL);
        String prompt = quote(InputContract.PROMPT);
        String chosen = quote(InputContract.CHOSEN);
        String rejected = quote(InputContract.REJECTED);
        String chosenScore = quote(BradleyTerryObjective.CHOSEN_SCORE);
        String rejectedScore = quote(BradleyTerryObjective.REJECTED_SCORE);
        String w = quote(InputContract.WEIGHT);
        String y = quote(InputContract.LABEL);
        return format("""
                WITH checked AS (
                  SELECT coalesce(CAST(%1$s AS VARCHAR), '(null)') AS g,
                         hash(%2$s) %% 100 AS bucket,
                         %3$s IS NULL OR %3$s = '' OR %4$s IS NULL OR %4$s = '' OR %5$s IS NULL OR %5$s = '' AS missing_text,
                         %6$s IS NULL OR NOT isfinite(%6$s) OR %7$s IS NULL OR NOT isfinite(%7$s) AS bad_score,
                         %8$s AS bad_weight,
                         %9$s AS bad_label,
                         CAST(%6$s AS DOUBLE) - CAST(%7$s AS DOUBLE) AS m,
                         %10$s AS w,
                         %11$s AS y
                  FROM %12$s),
                scored AS (
                  SELECT *, NOT (missing_text OR bad_score OR bad_weight OR bad_label) AS ok, exp(-abs(m)) AS e FROM checked),
                losses AS (
                  SELECT *,
                         CASE WHEN y >= 0.5 THEN greatest(-m, 0) + (1 - y) * m ELSE greatest(m, 0) - y * m END
                           + CASE WHEN 1 + e = 1 THEN e ELSE ln(1 + e) * e / ((1 + e) - 1) END AS loss
                  FROM scored),
                cells AS (
                  SELECT g, bucket,
                         count(*) AS rows_read, count_if(NOT ok) AS rejected,
                         count_if(missing_text) AS missing_text, count_if(bad_score) AS bad_score,
                         count_if(bad_weight) AS bad_weight, count_if(bad_label) AS bad_label,
                         count_if(ok) AS accepted,
                         sum(w) FILTER (WHERE ok) AS sw, sum(w * loss) FILTER (WHERE ok) AS swl,
                         sum(w * w) FILTER (WHERE ok) AS sww, sum(w * w * loss) FILTER (WHERE ok) AS swwl,
                         sum(w * w * loss * loss) FILTER (WHERE ok) AS swwll,
                         sum(w * m) FILTER (WHERE ok) AS swm,
                         sum(CASE WHEN y <> 0.5 THEN w ELSE 0 END) FILTER (WHERE ok) AS s_decided,
                         sum(CASE WHEN (y > 0.5 AND m > 0) OR (y < 0.5 AND m < 0) THEN w ELSE 0 END) FILTER (WHERE ok) AS s_correct
                  FROM losses GROUP BY g, bucket),
                sums AS (
                  SELECT g, grouping(g) = 1 AS is_total,
                         CAST(sum(rows_read) AS BIGINT) AS rows_read, CAST(sum(rejected) AS BIGINT) AS rejected,
                         CAST(sum(missing_text) AS BIGINT) AS missing_text, CAST(sum(bad_score) AS BIGINT) AS bad_score,
                         CAST(sum(bad_weight) AS BIGINT) AS bad_weight, CAST(sum(bad_label) AS BIGINT) AS bad_label,
                         CAST(sum(accepted) AS BIGINT) AS accepted,
                         coalesce(sum(sw), 0) AS sw, sum(swl) AS swl, sum(sww) AS sww, sum(swwl) AS swwl, sum(swwll) AS swwll,
                         sum(swm) AS swm, coalesce(sum(s_decided), 0) AS s_decided, sum(s_correct) AS s_correct
                  FROM cells GROUP BY GROUPING SETS ((g), ()))
                SELECT g, is_total, rows_read, rejected, missing_text, bad_score, bad_weight, bad_label, accepted,
                       sw AS weight_sum,
                       CASE WHEN sw > 0 THEN swl / sw END AS loss,
                       CASE WHEN sw > 0 AND accepted >= 2
                            THEN sqrt(greatest(swwll - 2 * (swl / sw) * swwl + (swl / sw) * (swl / sw) * sww, 0)) / sw END AS stderr,
                       CASE WHEN s_decided > 0 THEN s_correct / s_decided END AS accuracy,
                       CASE WHEN sw > 0 THEN swm / sw END AS mean_margin
                FROM sums""",
                quote(groupColumn), quote(clusterColumn), prompt, chosen, rejected, chosenScore, rejectedScore,
                weight ? format("%1$s IS NULL OR NOT isfinite(%1$s) OR %1$s < 0", w) : "false",
                label ? format("%1$s IS NULL OR isnan(%1$s) OR %1$s < 0 OR %1$s > 1", y) : "false",
                weight ? format("CAST(%s AS DOUBLE)", w) : "CAST(1 AS DOUBLE)",
                label ? format("CAST(%s AS DOUBLE)", y) : "CAST(1 AS DOUBLE)",
                source);
    }

    private Set<String> columns(String source) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (result.next()) {
                columns.add(result.getString("column_name"));
            }
        }
        return columns;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
