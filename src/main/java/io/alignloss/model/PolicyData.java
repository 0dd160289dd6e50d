package io.alignloss.model;

import io.alignloss.config.FeatureType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Groups accepted candidate rows by {@code prompt_id} once (one shuffle) and turns each prompt's candidates
 * into {@link PolicyBlock}s of f(x, y) and U(x, y). A prompt's weight w_x is the mean of its candidates'
 * {@code weight} (1 without a weight column).
 */
public final class PolicyData {
    /** The column whose equal values make one candidate set. */
    public static final String PROMPT_ID = PreparedInput.PROMPT_ID;
    /** A sequence row's precomputed response embedding (embedding features). */
    public static final String EMBEDDING = "embedding";
    /** Logged data: true on the candidate that was shown. */
    public static final String LOGGED = "logged";
    /** Logged data: the behaviour policy's probability of the shown candidate. */
    public static final String BEHAVIOR_PROB = "behavior_prob";
    /** Prompts per block. */
    public static final int BLOCK_SETS = 1024;

    private PolicyData() {
    }

    /**
     * The blocks of the accepted rows of a sequence input.
     *
     * @param utility U(x, y) of a row, e.g. {@code ExpectedUtilityObjective.utilityOf()}
     */
    public static JavaRDD<PolicyBlock> blocks(Dataset<Row> accepted, Featurizer featurizer, Column utility, long seed) {
        return blocks(accepted, featurizer, utility, lit(Double.NaN), seed, PROMPT_ID);
    }

    /**
     * The same, each set's resampling hash taken of {@code cluster} (a column constant within a candidate set,
     * e.g. a topic; the set takes its first candidate's value) instead of its {@code prompt_id}: the input's
     * cluster column, so that the policy's bootstrap resamples the clusters the scan's buckets hold.
     */
    public static JavaRDD<PolicyBlock> blocks(Dataset<Row> accepted, Featurizer featurizer, Column utility, long seed, String cluster) {
        return blocks(accepted, featurizer, utility, lit(Double.NaN), seed, cluster);
    }

    /**
     * The blocks of logged candidate sets: on rows with {@code logged = true} the recorded utility and
     * {@code behavior_prob}; the other candidates only normalise the policy (their utility is not read).
     */
    public static JavaRDD<PolicyBlock> loggedBlocks(Dataset<Row> accepted, Featurizer featurizer, Column utility, long seed) {
        Column shown = coalesce(PreparedInput.column(LOGGED), lit(false));
        return blocks(accepted, featurizer, when(shown, utility).otherwise(lit(0.0)),
                when(shown, PreparedInput.column(BEHAVIOR_PROB)).otherwise(lit(Double.NaN)), seed, PROMPT_ID);
    }

    // h = xxhash64(seed, string(cluster)): with cluster = prompt_id the hash of the set's key, as the scan's bucket hash
    private static JavaRDD<PolicyBlock> blocks(Dataset<Row> accepted, Featurizer featurizer, Column utility, Column behavior, long seed,
            String cluster) {
        boolean embedded = featurizer.spec().type() == FeatureType.EMBEDDING;
        Column candidate = struct(col(InputContract.PROMPT).as("p"), col(InputContract.RESPONSE).as("r"),
                utility.cast("double").as("u"), (embedded ? col(EMBEDDING).cast("array<double>") : lit(null).cast("array<double>")).as("e"),
                behavior.cast("double").as("b"));
        Column key = PreparedInput.column(cluster).cast("string");
        Dataset<Row> sets = cluster.equals(PROMPT_ID)
                ? accepted.groupBy(key.as("x")).agg(collect_list(candidate).as("c"), avg(col(InputContract.WEIGHT)).as("w"))
                        .withColumn("h", xxhash64(lit(seed), col("x")))
                : accepted.groupBy(PreparedInput.column(PROMPT_ID).cast("string").as("x"))
                        .agg(collect_list(candidate).as("c"), avg(col(InputContract.WEIGHT)).as("w"), first(key).as("k"))
                        .withColumn("h", xxhash64(lit(seed), col("k")));
        int dimension = featurizer.dimension();
        boolean dense = featurizer.spec().type() != FeatureType.TEXT_HASH;
        return sets.select(col("c"), col("w"), col("h")).javaRDD().mapPartitions(partition -> {
            List<PolicyBlock> blocks = new ArrayList<>();
            PolicyBlock.Builder builder = new PolicyBlock.Builder(dimension, dense);
            while (partition.hasNext()) {
                Row row = partition.next();
                List<Row> candidates = row.getList(0);
                FeatureVector[] features = new FeatureVector[candidates.size()];
                double[] utilities = new double[candidates.size()];
                double[] behaviors = new double[candidates.size()];
                for (int j = 0; j < features.length; j++) {
                    Row c = candidates.get(j);
                    features[j] = featurizer.features(c.getString(0), c.getString(1), embedded ? PairData.doubles(c, 3) : null);
                    utilities[j] = c.getDouble(2);
                    behaviors[j] = c.getDouble(4);
                }
                builder.add(features, utilities, behaviors, row.getDouble(1), row.getLong(2));
                if (builder.size() == BLOCK_SETS) {
                    blocks.add(builder.build());
                    builder = new PolicyBlock.Builder(dimension, dense);
                }
            }
            if (builder.size() > 0) {
                blocks.add(builder.build());
            }
            Iterator<PolicyBlock> iterator = blocks.iterator();
            return iterator;
        });
    }
}
