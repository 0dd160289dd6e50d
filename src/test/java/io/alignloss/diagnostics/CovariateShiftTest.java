package io.alignloss.diagnostics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alignloss.cli.Main;
import io.alignloss.testing.LocalSparkTest;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Covariate shift on generated data: prompts about cooking (loss ≈ 0.2) or about law (loss ≈ 1.0); the
 * dataset is 90% cooking, the reference population 50/50. The domain classifier must tell them apart on
 * held-out rows, and the importance-weighted loss must move from the dataset's ≈ 0.28 towards the
 * population's ≈ 0.6; against a reference drawn like the dataset the AUC is near 0.5.
 */
class CovariateShiftTest extends LocalSparkTest {
    private static final String[] COOKING = "recipe oven bake flour sugar simmer garlic onion pasta sauce".split(" ");
    private static final String[] LAW = "contract court statute tenant liability appeal clause judge lawsuit verdict".split(" ");
    private static final String[] COMMON = "please explain how what the a to should i my is".split(" ");

    @TempDir
    Path temp;

    private static String prompt(SplittableRandom random, String[] topic) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 8; w++) {
            text.append(random.nextDouble() < 0.5 ? topic[random.nextInt(topic.length)] : COMMON[random.nextInt(COMMON.length)]).append(' ');
        }
        return text.toString().trim();
    }

    private String write(String name, int rows, double cookingShare, long seed, boolean withScores) {
        SplittableRandom random = new SplittableRandom(seed);
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType)
                .add("response", DataTypes.StringType);
        if (withScores) {
            schema = schema.add("quality", DataTypes.DoubleType);
        }
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            boolean cooking = random.nextDouble() < cookingShare;
            String prompt = prompt(random, cooking ? COOKING : LAW);
            // loss = −quality: ≈ 0.2 for cooking, ≈ 1.0 for law
            double quality = -((cooking ? 0.2 : 1.0) + 0.1 * (random.nextDouble() - 0.5));
            String response = prompt(random, COMMON); // responses alike on both sides: only the prompts differ
            data.add(withScores ? RowFactory.create(name + i, prompt, response, quality) : RowFactory.create(name + i, prompt, response));
        }
        String path = temp.resolve(name).toString();
        spark.createDataFrame(data, schema).write().parquet(path);
        return path;
    }

    private JsonNode run(String data, String reference) throws Exception {
        Path config = temp.resolve("shift-" + System.nanoTime() + ".conf");
        Files.writeString(config, """
                inputs.seqs { path = "%s", kind = sequence }
                objectives = [ { name = eu, type = expected-utility, input = seqs, utility { quality = 1 } } ]
                reference { path = "%s" }
                shift { clip = 20 }
                """.formatted(data, reference));
        Path out = temp.resolve("out-" + System.nanoTime());
        assertThat(Main.execute("evaluate", "--config", config.toString(), "--out", out.toString())).isEqualTo(0);
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("objectives").get("eu");
    }

    @Test
    void shiftedDatasetIsDetectedAndReweightedTowardsThePopulation() throws Exception {
        String data = write("data", 4000, 0.9, 1, true);
        JsonNode eu = run(data, write("population", 4000, 0.5, 2, false));
        JsonNode shift = eu.get("shift");
        assertThat(eu.get("loss").asDouble()).isCloseTo(0.28, within(0.03));
        // a perfect topic classifier reaches AUC 0.5·0.9 + 0.5·(0.5·0.1 + 0.5·0.9) = 0.70 here
        assertThat(shift.get("auc").asDouble()).isGreaterThan(0.6);
        assertThat(shift.get("weighted_loss").asDouble()).isBetween(0.5, 0.7);
        assertThat(shift.get("weighted_ci").get(0).asDouble()).isLessThan(shift.get("weighted_loss").asDouble());
        assertThat(shift.get("reference_rows").asLong()).isEqualTo(4000);
    }

    /**
     * A population with a known density ratio reference/dataset, log-linear in what the classifier sees. A dataset
     * prompt is {@code k} filler words (k uniform in 4..12) plus, with probability {@link #MARKER_SHARE}, the marker
     * word; all words have 5 letters, so the prompt has {@code len = 6(k + m) − 1} characters. The reference is
     * drawn from the dataset's distribution tilted by
     * {@code r(m, k) = exp(α + β·m + γ·log1p(len))} (rejection sampling), α normalising {@code E_data[r] = 1}.
     * A row's loss is {@code μ(m, k) = 0.2 + 0.2·m + 0.03·k} plus uniform noise of mean 0 and standard deviation
     * 0.5, so the loss on the reference population is {@code Σ p(m,k)·r(m,k)·μ(m,k)} over the 18 prompt shapes,
     * summed here in plain Java. The noise is large next to the loss's dependence on the prompt, so that the error of
     * the fitted weights (from the classifier's finite reference sample, which the bootstrap interval does not
     * include) is small next to the interval: at 500k vs 50k rows its standard deviation is about
     * {@code 0.2·√(0.89·0.11/50,000) ≈ 0.0003} against an interval half-width of about 0.003.
     */
    static final class KnownShift {
        static final String[] FILLER = "apple brick cloud dance eagle flame grape house input jelly".split(" ");
        static final String MARKER = "zebra";
        static final double MARKER_SHARE = 0.21;
        static final int MIN_WORDS = 4;
        static final int MAX_WORDS = 12;
        static final double BETA = 3.5;
        static final double GAMMA = 0.1;
        static final double NOISE_SD = 0.5;
        static final double ALPHA = alpha();

        private KnownShift() {
        }

        static double probability(int m, int k) {
            return (m == 1 ? MARKER_SHARE : 1 - MARKER_SHARE) / (MAX_WORDS - MIN_WORDS + 1);
        }

        static double logRatioWithoutAlpha(int m, int k) {
            return BETA * m + GAMMA * Math.log1p(6 * (k + m) - 1);
        }

        private static double alpha() {
            double mass = 0;
            for (int m = 0; m <= 1; m++) {
                for (int k = MIN_WORDS; k <= MAX_WORDS; k++) {
                    mass += probability(m, k) * Math.exp(logRatioWithoutAlpha(m, k));
                }
            }
            return -Math.log(mass);
        }

        /** The density ratio reference/dataset of a prompt with marker m (0/1) and k filler words. */
        static double ratio(int m, int k) {
            return Math.exp(ALPHA + logRatioWithoutAlpha(m, k));
        }

        static double maxRatio() {
            double max = 0;
            for (int m = 0; m <= 1; m++) {
                for (int k = MIN_WORDS; k <= MAX_WORDS; k++) {
                    max = Math.max(max, ratio(m, k));
                }
            }
            return max;
        }

        static double meanLoss(int m, int k) {
            return 0.2 + 0.2 * m + 0.03 * k;
        }

        /** E_ref[loss] = Σ p(m,k)·r(m,k)·μ(m,k), the target of the importance-weighted loss. */
        static double targetLoss() {
            double loss = 0;
            for (int m = 0; m <= 1; m++) {
                for (int k = MIN_WORDS; k <= MAX_WORDS; k++) {
                    loss += probability(m, k) * ratio(m, k) * meanLoss(m, k);
                }
            }
            return loss;
        }

        /** Row i of the dataset (id, prompt, response, quality = −loss) or of the reference (id, prompt), from its own stream. */
        static final class Draw implements MapFunction<Long, Row> {
            private final long seed;
            private final boolean reference;

            Draw(long seed, boolean reference) {
                this.seed = seed;
                this.reference = reference;
            }

            @Override
            public Row call(Long i) {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
                double accept = maxRatio();
                while (true) {
                    int m = random.nextDouble() < MARKER_SHARE ? 1 : 0;
                    int k = MIN_WORDS + random.nextInt(MAX_WORDS - MIN_WORDS + 1);
                    List<String> words = new ArrayList<>();
                    for (int w = 0; w < k; w++) {
                        words.add(FILLER[random.nextInt(FILLER.length)]);
                    }
                    if (m == 1) {
                        words.add(random.nextInt(k + 1), MARKER);
                    }
                    String prompt = String.join(" ", words);
                    if (!reference) {
                        double loss = meanLoss(m, k) + NOISE_SD * Math.sqrt(12) * (random.nextDouble() - 0.5);
                        return RowFactory.create("d" + i, prompt, FILLER[random.nextInt(FILLER.length)], -loss);
                    }
                    if (random.nextDouble() * accept < ratio(m, k)) {
                        return RowFactory.create("r" + i, prompt);
                    }
                }
            }
        }
    }

    private String writeKnownShift(String name, long rows, long seed, boolean reference) {
        StructType schema = new StructType().add("id", DataTypes.StringType).add("prompt", DataTypes.StringType);
        if (!reference) {
            schema = schema.add("response", DataTypes.StringType).add("quality", DataTypes.DoubleType);
        }
        String path = temp.resolve(name).toString();
        spark.range(0, rows, 1, 4).as(Encoders.LONG()).map(new KnownShift.Draw(seed, reference), Encoders.row(schema))
                .write().parquet(path);
        return path;
    }

    /**
     * The importance-weighted loss against the known target when the classifier is fitted on hash samples of
     * both sides (capped at {@code cap} rows each): the calibrated odds carry the samples' class ratio, so
     * weights scaled by the full sides' ratio instead are {@code (n_data/n_ref)/(m_data/m_ref)} times too large
     * and clipped.
     */
    private void weightedLossHitsTheKnownTargetPastTheCap(long dataRows, long referenceRows, long cap) throws Exception {
        // the population: the ratio is in (4, 10] on the marker rows (21% of the dataset) and ≤ 10 everywhere
        for (int k = KnownShift.MIN_WORDS; k <= KnownShift.MAX_WORDS; k++) {
            assertThat(KnownShift.ratio(1, k)).isGreaterThan(4).isLessThanOrEqualTo(10);
            assertThat(KnownShift.ratio(0, k)).isLessThan(1);
        }
        double target = KnownShift.targetLoss();
        String data = writeKnownShift("known-data-" + dataRows, dataRows, 5, false);
        String reference = writeKnownShift("known-reference-" + referenceRows, referenceRows, 6, true);
        assertThat(spark.read().parquet(data).where("prompt like '%" + KnownShift.MARKER + "%'").count())
                .isGreaterThanOrEqualTo(dataRows / 5);

        Path config = temp.resolve("known-shift-" + dataRows + ".conf");
        Files.writeString(config, """
                inputs.seqs { path = "%s", kind = sequence }
                objectives = [ { name = eu, type = expected-utility, input = seqs, utility { quality = 1 } } ]
                reference { path = "%s" }
                output { per-example = false }
                """.formatted(data, reference));
        Path out = temp.resolve("known-out-" + dataRows);
        String previous = System.getProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY);
        System.setProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY, Long.toString(cap));
        try {
            assertThat(Main.execute("evaluate", "--config", config.toString(), "--out", out.toString())).isEqualTo(0);
        }
        finally {
            if (previous == null) {
                System.clearProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY);
            }
            else {
                System.setProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY, previous);
            }
        }
        JsonNode eu = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("objectives").get("eu");
        JsonNode shift = eu.get("shift");
        double low = shift.get("weighted_ci").get(0).asDouble();
        double high = shift.get("weighted_ci").get(1).asDouble();
        String seen = "target " + target + ", naive loss " + eu.get("loss") + ", shift " + shift;
        LoggerFactory.getLogger(CovariateShiftTest.class).info("{} vs {} rows, cap {}: {}", dataRows, referenceRows, cap, seen);
        // a side beyond the cap was subsampled to about cap rows (a hash sample, not exactly cap)
        long fitted = Math.min(dataRows, cap) + Math.min(referenceRows, cap);
        assertThat(shift.get("classifier").get("rows").asLong()).as(seen).isBetween(Math.round(0.95 * fitted), Math.round(1.05 * fitted))
                .isNotEqualTo(fitted);
        // the shift matters: the naive loss is outside the interval
        assertThat(eu.get("loss").asDouble()).as(seen).isLessThan(low);
        assertThat(shift.get("clipped_share").asDouble()).as(seen).isLessThan(0.01);
        assertThat(target).as(seen).isBetween(low, high);
    }

    @Test
    void weightsOfSubsampledSidesCarryTheSamplesClassRatio() throws Exception {
        weightedLossHitsTheKnownTargetPastTheCap(20_000, 5_000, 4_000);
    }

    /** The same at the default cap of 200,000 rows: 500,000 dataset rows against 50,000 (minutes; run with -Dalignloss.bench=true). */
    @Test
    @EnabledIfSystemProperty(named = "alignloss.bench", matches = "true")
    void weightsOf500kRowsAgainstA50kReferenceHitTheKnownTarget() throws Exception {
        weightedLossHitsTheKnownTargetPastTheCap(500_000, 50_000, CovariateShift.MAX_TRAIN_ROWS);
    }

    @Test
    void theTrainingCapHookTakesOnlyAPositiveRowCount() {
        assertThat(System.getProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY)).isNull();
        assertThat(CovariateShift.maxTrainRows()).isEqualTo(200_000L);
        try {
            System.setProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY, "5000");
            assertThat(CovariateShift.maxTrainRows()).isEqualTo(5_000L);
            System.setProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY, "0");
            assertThatThrownBy(CovariateShift::maxTrainRows).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Invalid alignloss.shift.max-train-rows: 0 (must be >= 1)");
        }
        finally {
            System.clearProperty(CovariateShift.MAX_TRAIN_ROWS_PROPERTY);
        }
    }

    /**
     * The AUC is exact (every distinct score a point of the ROC curve), so it does not depend on how Spark's range
     * partitioner split the sorted scores, whose sample is seeded by the RDD's id: the same run gives the same AUC (to
     * rounding) however many RDDs the session created before it (3,000 scores, more than the 2,000 from which a
     * 1,000-bin curve starts grouping them; with {@code setNumBins(1000)} in {@code CovariateShift} this test fails).
     */
    @Test
    void theAucDoesNotDependOnWhatTheSessionRanBefore() throws Exception {
        String data = write("data-order", 1500, 0.9, 5, true);
        String reference = write("population-order", 1500, 0.5, 6, false);
        double first = run(data, reference).get("shift").get("auc").asDouble();
        for (int i = 0; i < 7; i++) {
            spark.sparkContext().parallelize(scala.jdk.javaapi.CollectionConverters.asScala(List.of(i)).toSeq(), 1,
                    scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).count();
        }
        // to rounding: the trapezoids are summed partition by partition (the binned curve differed by ~3e-6 here)
        assertThat(run(data, reference).get("shift").get("auc").asDouble()).isCloseTo(first, within(1e-12 * first));
    }

    @Test
    void referenceLikeTheDatasetShowsNoShift() throws Exception {
        String data = write("same", 4000, 0.9, 3, true);
        JsonNode shift = run(data, write("alike", 4000, 0.9, 4, false)).get("shift");
        assertThat(shift.get("auc").asDouble()).isCloseTo(0.5, within(0.06));
        assertThat(shift.get("weighted_loss").asDouble()).isCloseTo(0.28, within(0.04));
    }
}
