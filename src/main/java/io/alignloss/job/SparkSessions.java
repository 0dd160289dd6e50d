package io.alignloss.job;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The job's Spark session. Under spark-submit the master comes from the submit; run directly (java -cp …)
 * it defaults to local[*]. A session that already exists in this JVM (tests, notebooks) is reused and
 * left running; one this class created is stopped on close.
 *
 * <p>The config's {@code spark} block is applied here: to a new session when it is built; to an existing one as
 * runtime settings (e.g. a catalog, {@code spark.sql.catalog.*}), where Spark allows it. A setting Spark fixes when
 * the session is built (e.g. {@code spark.sql.extensions}) and that the existing session has otherwise is logged as a
 * warning, not applied: the caller configures its own session.
 */
public final class SparkSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

    private final SparkSession spark;
    private final boolean owned;

    private SparkSessions(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    public static SparkSessions open(String appName) {
        return open(appName, Map.of());
    }

    /** @param properties the config's {@code spark} block (property → value) */
    public static SparkSessions open(String appName, Map<String, String> properties) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return existing(active.get(), properties);
        }
        scala.Option<SparkSession> existing = SparkSession.getDefaultSession();
        if (existing.isDefined()) {
            return existing(existing.get(), properties);
        }
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        properties.forEach(builder::config);
        return new SparkSessions(builder.getOrCreate(), true);
    }

    private static SparkSessions existing(SparkSession spark, Map<String, String> properties) {
        List<String> notApplied = apply(spark, properties);
        if (!notApplied.isEmpty()) {
            LOG.warn("spark block: {} cannot be changed on the running Spark session; set them where the session is built",
                    String.join(", ", notApplied));
        }
        return new SparkSessions(spark, false);
    }

    /** Sets each property Spark lets change at run time; the names of those it refuses and the session has otherwise. */
    static List<String> apply(SparkSession spark, Map<String, String> properties) {
        List<String> notApplied = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (Objects.equals(spark.conf().getOption(key).getOrElse(() -> null), value)) {
                return;
            }
            try {
                spark.conf().set(key, value);
            }
            catch (Exception e) { // AnalysisException (static or core setting): checked, thrown undeclared
                notApplied.add(key);
            }
        });
        return notApplied;
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
