package io.alignloss.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One local Spark session per test class with both lake formats: Delta's and Iceberg's session extensions, Delta's
 * catalog as {@code spark_catalog}, and an Iceberg Hadoop catalog {@code lake} whose warehouse is {@link #warehouse}
 * (local[2], no UI, loopback only). Jobs run in-process (Main.execute) reuse this session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LakeSparkTest {
    protected transient SparkSession spark;
    /** A fresh folder under target/ for the class's tables and runs. */
    protected Path temp;
    /** The Iceberg catalog {@code lake}'s warehouse: its table {@code lake.db.t} is the Hadoop table {@code <warehouse>/db/t}. */
    protected Path warehouse;

    @BeforeAll
    void startSpark() throws IOException {
        Files.createDirectories(Path.of("target"));
        temp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), getClass().getSimpleName() + "-");
        warehouse = temp.resolve("warehouse");
        spark = SparkSession.builder()
                .master("local[2]")
                .appName(getClass().getSimpleName())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension,"
                        + "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                // Delta rebuilds a version's state with a Spark job of 50 partitions by default: 1 is plenty here
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog.lake.type", "hadoop")
                .config("spark.sql.catalog.lake.warehouse", warehouse.toUri().toString())
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    void stopSpark() {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
