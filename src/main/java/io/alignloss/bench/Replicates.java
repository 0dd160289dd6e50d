package io.alignloss.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.ConfigFactory;
import io.alignloss.config.ConfigLoader;
import io.alignloss.config.JobConfig;
import io.alignloss.job.EvaluateJob;
import io.alignloss.summary.SummaryJson;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static java.lang.String.format;

/**
 * Replicate datasets on disk and the real {@code evaluate} run over a batch of them.
 *
 * <p>Replicate k of a population is written as Parquet to {@code <folder>/replicate=k}. A batch run is one
 * {@link EvaluateJob} whose config has one input per replicate ({@code r007} reads replicate 7) and the
 * case's objective entries repeated per input ({@code bt_r007}). Everything the job computes for an
 * objective comes from its own input's scan (its cells, bucketed by the seeded hash of each row's id) and
 * the run's seed alone, so an objective's figures in the batch are those of a run over its replicate alone
 * ({@code CoverageBenchmarkTest} checks this figure for figure).
 */
final class Replicates {
    private Replicates() {
    }

    /** The input (and objective suffix) of replicate k. */
    static String input(int replicate) {
        return format("r%03d", replicate);
    }

    static String path(String folder, int replicate) {
        return folder + "/replicate=" + replicate;
    }

    /** The seeded random source of one replicate: its state is the mixed (seed, replicate), so replicates' streams do not overlap. */
    static SplittableRandom random(long seed, int replicate) {
        // Stafford's mix13 of seed + (replicate + 1)·γ, the golden-ratio increment
        long z = seed + (replicate + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** Draws replicates 0 .. count − 1 of a population (in Spark tasks) and writes each to its folder. */
    static void write(SparkSession spark, Population population, int count, long seed, String folder) {
        StructType schema = population.schema().add("replicate", DataTypes.IntegerType, false);
        List<Integer> replicates = IntStream.range(0, count).boxed().toList();
        int slices = Math.max(1, Math.min(count, 2 * spark.sparkContext().defaultParallelism()));
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(replicates, slices)
                .flatMap(replicate -> {
                    List<Row> drawn = new ArrayList<>();
                    for (Object[] values : population.draw(random(seed, replicate), replicate)) {
                        Object[] row = Arrays.copyOf(values, values.length + 1);
                        row[values.length] = replicate;
                        drawn.add(RowFactory.create(row));
                    }
                    return drawn.iterator();
                });
        spark.createDataFrame(rows, schema).write().partitionBy("replicate").parquet(folder);
    }

    /**
     * One evaluate run over replicates {@code replicates} of the data at {@code folder}.
     *
     * @param kind       the inputs' kind ({@code preference} or {@code sequence})
     * @param objectives objective entries with {@code %1$s} for the input name, e.g.
     *                   {@code { name = bt_%1$s, type = bradley-terry, input = %1$s }}
     * @param extra      further config (groups, target, reference, drift, …)
     * @return the run's summary.json content as nested maps (the coverage studies read figures by path)
     */
    static Map<String, Object> evaluate(SparkSession spark, String folder, List<Integer> replicates, String kind,
            List<String> objectives, String extra, String out, long seed) {
        return SummaryJson.convert(new EvaluateJob(new EvaluateJob.Settings(config(folder, replicates, kind, objectives, extra), out,
                false, 0.0, seed, EvaluateJob.Mode.EVALUATE)).run(spark).summary(), new TypeReference<Map<String, Object>>() { });
    }

    static JobConfig config(String folder, List<Integer> replicates, String kind, List<String> objectives, String extra) {
        StringBuilder text = new StringBuilder();
        List<String> entries = new ArrayList<>();
        for (int replicate : replicates) {
            String input = input(replicate);
            text.append(format("inputs.%s { path = \"%s\", kind = %s }%n", input, path(folder, replicate), kind));
            objectives.forEach(objective -> entries.add(format(objective, input)));
        }
        text.append("objectives = [\n  ").append(String.join(",\n  ", entries)).append("\n]\n");
        text.append("output.per-example = false\npreference-biases = false\n").append(extra);
        return ConfigLoader.fromConfig(ConfigFactory.parseString(text.toString()), "bench coverage", List.of(), Optional.empty());
    }

    /** The value at a path of nested summary maps (list elements by index); null when any step is absent. */
    static Object at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map && step instanceof String key) {
                current = map.get(key);
            }
            else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            }
            else {
                return null;
            }
        }
        return current;
    }

    /** The interval at a path: a two-element list of numbers, or null. */
    @SuppressWarnings("unchecked")
    static List<Double> interval(Object root, Object... path) {
        Object value = at(root, path);
        if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number && list.get(1) instanceof Number) {
            return List.of(((Number) list.get(0)).doubleValue(), ((Number) list.get(1)).doubleValue());
        }
        return null;
    }

    static double number(Object root, Object... path) {
        return at(root, path) instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
