package io.alignloss.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Turns Spark's, Hadoop's and Parquet's INFO noise down to WARN and keeps alignloss's own stage lines at
 * INFO, whatever log4j2 configuration the Spark installation uses. Set the system property
 * {@code alignloss.spark-log-level} (e.g. {@code -Dalignloss.spark-log-level=INFO} in
 * {@code spark.driver.extraJavaOptions}) to choose another level, or to {@code keep} to leave logging alone.
 */
final class Logs {
    private static final String[] NOISY = {"org.apache.spark", "org.apache.hadoop", "org.apache.parquet", "org.sparkproject"};

    private Logs() {
    }

    static void quietSpark() {
        String setting = System.getProperty("alignloss.spark-log-level", "WARN");
        if (setting.equalsIgnoreCase("keep")) {
            return;
        }
        try {
            Level level = Level.toLevel(setting, Level.WARN);
            for (String logger : NOISY) {
                Configurator.setLevel(logger, level);
            }
            Configurator.setLevel("io.alignloss", Level.INFO);
        }
        catch (LinkageError e) {
            // log4j-core is not on the classpath (another logging backend): leave logging alone
        }
    }
}
