package io.alignloss.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.alignloss.cli.Main;
import io.alignloss.summary.SummaryJson;
import io.alignloss.testing.GoldenFiles;
import io.alignloss.testing.LakeSparkTest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Inputs read from and outputs published to HDFS: a MiniDFSCluster (NameNode and one DataNode on
 * 127.0.0.1, free ports) in this JVM; the jobs address it by hdfs://127.0.0.1:port URIs. The session has the Delta
 * and Iceberg extensions ({@link LakeSparkTest}) for the Delta table on HDFS.
 */
class HdfsIT extends LakeSparkTest {
    @TempDir
    static java.nio.file.Path base;

    private MiniDFSCluster cluster;
    private FileSystem fs;
    private String root;

    @BeforeAll
    void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        conf.set("dfs.replication", "1");
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
        fs = FileSystem.get(new java.net.URI(root), conf);
        fs.copyFromLocalFile(new Path("data-samples/preferences.parquet"), new Path(root + "/lake/prefs.parquet"));
        fs.copyFromLocalFile(new Path("data-samples/sequences.parquet"), new Path(root + "/lake/seqs.parquet"));
        fs.copyFromLocalFile(new Path("data-samples/preferences-embedded.parquet"), new Path(root + "/lake/embedded.parquet"));
    }

    @AfterAll
    void stopHdfs() throws Exception {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private JsonNode summary(String folder) throws Exception {
        try (FSDataInputStream in = fs.open(new Path(folder + "/summary.json"))) {
            return SummaryJson.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private List<String> names(String folder) throws Exception {
        return Arrays.stream(fs.listStatus(new Path(folder))).map(FileStatus::getPath).map(Path::getName).sorted().toList();
    }

    /** A Delta table on HDFS, unpinned: its current version is recorded and its figures are a local Parquet run's. */
    @Test
    void deltaTableOnHdfsGivesTheLocalParquetNumbers() throws Exception {
        String table = root + "/lake/prefs-delta";
        spark.read().parquet("data-samples/preferences.parquet").write().format("delta").save(table);
        String objectives = "objectives = [ { name = bt, type = bradley-terry, input = prefs } ]\npreference-biases = false\n"
                + "bootstrap = 0\noutput.per-example = false\n";
        java.nio.file.Path onHdfs = base.resolve("delta-hdfs.conf");
        Files.writeString(onHdfs, "inputs.prefs { format = delta, path = \"" + table + "\", kind = preference, cluster = none }\n" + objectives);
        java.nio.file.Path local = base.resolve("delta-local.conf");
        Files.writeString(local, "inputs.prefs { path = \"data-samples/preferences.parquet\", kind = preference, cluster = none }\n" + objectives);
        String out = root + "/runs/delta";
        assertThat(Main.execute("evaluate", "--config", onHdfs.toString(), "--out", out)).isEqualTo(0);
        java.nio.file.Path localOut = base.resolve("delta-local-run");
        assertThat(Main.execute("evaluate", "--config", local.toString(), "--out", localOut.toString())).isEqualTo(0);
        JsonNode hdfs = summary(out);
        JsonNode parquet = SummaryJson.mapper().readTree(localOut.resolve("summary.json").toFile());
        assertThat(hdfs.at("/inputs/prefs/table/version").asLong()).isZero();
        assertThat(hdfs.at("/inputs/prefs/table/location").asText()).startsWith(root).endsWith("/lake/prefs-delta");
        assertThat(hdfs.at("/inputs/prefs/rows").asLong()).isEqualTo(parquet.at("/inputs/prefs/rows").asLong());
        for (String figure : List.of("loss", "stderr", "accuracy")) {
            assertThat(hdfs.at("/objectives/bt/" + figure).asDouble()).as(figure)
                    .isCloseTo(parquet.at("/objectives/bt/" + figure).asDouble(), within(1e-12));
        }
    }

    @Test
    void evaluateReadsAndPublishesOnHdfsWithTheLocalNumbers() throws Exception {
        java.nio.file.Path conf = base.resolve("hdfs.conf");
        Files.writeString(conf, "include \"" + new java.io.File("conf/samples.conf").getAbsolutePath() + "\"\n"
                + "inputs.prefs.path = \"" + root + "/lake/prefs.parquet\"\n"
                + "inputs.seqs.path = \"" + root + "/lake/seqs.parquet\"\n");
        String out = root + "/evals/run";
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out)).isEqualTo(0);
        assertThat(fs.exists(new Path(out + "/_SUCCESS"))).isTrue();
        assertThat(names(root + "/evals")).containsExactly("run");
        // the same job on the local copies gives the same numbers: GoldenSummaryTest's run of conf/samples.conf
        JsonNode expected = GoldenFiles.read(GoldenFiles.FOLDER.resolve("samples.summary.json"));
        for (String objective : List.of("bt", "lm", "utility")) {
            assertThat(summary(out).at("/objectives/" + objective + "/loss").asDouble())
                    .isCloseTo(expected.at("/objectives/" + objective + "/loss").asDouble(), within(1e-9));
        }
        assertThat(fs.exists(new Path(out + "/_ALIGNLOSS"))).isTrue();
        // a run killed 15 minutes ago left its staging folder: the next run removes it
        Path dead = new Path(root + "/evals/.run.staging-20261201-000000-deadbeef");
        fs.create(new Path(dead, "part-00000.parquet")).close();
        fs.create(new Path(dead, "_RUNNING")).close();
        fs.setTimes(new Path(dead, "_RUNNING"), System.currentTimeMillis() - 15 * 60_000L, -1);
        // an overwrite replaces the output atomically, leaving nothing aside
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out, "--overwrite", "--seed", "7")).isEqualTo(0);
        assertThat(summary(out).at("/run/seed").asLong()).isEqualTo(7);
        assertThat(names(root + "/evals")).containsExactly("run");
        assertThat(Main.execute("evaluate", "--config", conf.toString(), "--out", out)).as("exists without --overwrite").isEqualTo(2);
    }

    @Test
    void trainCheckpointsAndPublishesOnHdfs() throws Exception {
        String out = root + "/models/reward";
        assertThat(Main.execute("train", "--config", "conf/train-reward.conf", "--out", out,
                "--set", "inputs.prefs.path=" + root + "/lake/embedded.parquet", "--set", "train.checkpoint-every=2")).isEqualTo(0);
        assertThat(fs.exists(new Path(out + "/model/weights.f64"))).isTrue();
        assertThat(fs.exists(new Path(out + ".checkpoints"))).as("checkpoints are removed after publishing").isFalse();
        assertThat(summary(out).at("/train/converged").asBoolean()).isTrue();
        assertThat(summary(out).at("/inputs/prefs/path").asText()).startsWith("hdfs://127.0.0.1:");
    }
}
