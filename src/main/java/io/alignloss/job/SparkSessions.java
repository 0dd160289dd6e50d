package io.alignloss.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The job's Spark session. Under spark-submit the master comes from the submit; run directly (java -cp …)
 * it defaults to local[*]. A session that already exists in this JVM (tests, notebooks) is reused and
 * left running; one this class created is stopped on close.
 */
public final class SparkSessions implements AutoCloseable {
    private final SparkSession spark;
    private final boolean owned;

    private SparkSessions(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    public static SparkSessions open(String appName) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return new SparkSessions(active.get(), false);
        }
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) {
            return new SparkSessions(existing.get(), false);
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        return new SparkSessions(builder.getOrCreate(), true);
    }

    public SparkSession spark() {
        return spark;
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }
}
