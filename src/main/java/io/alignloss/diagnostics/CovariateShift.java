package io.alignloss.diagnostics;

import io.alignloss.config.InputKind;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.objective.Objective;
import io.alignloss.stats.EffectiveSampleSize;
import io.alignloss.stats.Resampling;
import io.alignloss.summary.Json;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Covariate shift against a reference sample of the population served: a domain classifier (MLlib
 * logistic regression on hashed word counts of the texts plus their log lengths) separates the
 * dataset (label 0) from the reference (label 1). It is cross-fitted: rows are split in two folds by a
 * hash of their text, a model is fitted on each fold and predicts the other, so every prediction (the AUC's
 * and the weights') is out of sample. The AUC says how distinguishable they are (0.5 = no shift). The
 * odds give importance weights {@code ω(x) = p/(1−p)·m_data/m_ref} (the density ratio reference/dataset),
 * clipped at {@code clip}, where {@code m_data} and {@code m_ref} are the rows of each side the classifier and
 * its calibration were fitted on (all of a side's rows up to {@link #MAX_TRAIN_ROWS}, a hash sample beyond it):
 * the calibrated odds carry the class ratio of those rows, not of the full sides; the importance-weighted loss
 * {@code Σ ω·w·y / Σ ω·w·x} estimates the loss on the reference population, and Kish's effective sample
 * size {@code (Σ ω·w)² / Σ (ω·w)²} says how many rows that estimate is worth.
 */
public final class CovariateShift {
    private static final Logger LOG = LoggerFactory.getLogger(CovariateShift.class);
    /** Rows of each side used to fit the classifier (a seeded hash sample beyond this). */
    public static final long MAX_TRAIN_ROWS = 200_000;
    /**
     * System property that replaces {@link #MAX_TRAIN_ROWS}: a hook for tests and the coverage harness, which
     * exercise the subsampled path on small data; not a user setting.
     */
    public static final String MAX_TRAIN_ROWS_PROPERTY = "alignloss.shift.max-train-rows";
    private static final int FEATURE_BITS = 14;
    /** L2 strength of the domain classifier; its overconfidence is corrected by Platt scaling. */
    private static final double REG_PARAM = 0.01;

    private CovariateShift() {
    }

    /**
     * The two cross-fitted classifiers (each predicts the other's fold), the out-of-fold AUC, the Platt
     * calibration of the out-of-fold logits ({@code logit' = slope·logit + intercept}), the rows of each side,
     * and the rows of each side they were fitted on ({@code m_data}, {@code m_ref}: all rows up to the cap, a
     * hash sample beyond it, so not exactly the cap).
     */
    public record Fit(PipelineModel[] models, double auc, double slope, double intercept, long dataRows, long referenceRows,
            long dataTrainRows, long referenceTrainRows, List<String> textColumns) {
        /** Rows the classifier was fitted on, both sides. */
        public long trainRows() {
            return dataTrainRows + referenceTrainRows;
        }

        /**
         * The class ratio the calibrated odds carry, {@code m_data / m_ref}: {@code ω = p/(1−p)·m_data/m_ref} is
         * the density ratio reference/dataset.
         */
        public double oddsToDensityRatio() {
            return (double) dataTrainRows / Math.max(referenceTrainRows, 1);
        }
    }

    /** The per-side training cap: {@link #MAX_TRAIN_ROWS} unless {@link #MAX_TRAIN_ROWS_PROPERTY} sets another. */
    static long maxTrainRows() {
        long cap = Long.getLong(MAX_TRAIN_ROWS_PROPERTY, MAX_TRAIN_ROWS);
        if (cap < 1) {
            throw new IllegalArgumentException(String.format("Invalid %s: %d (must be >= 1)", MAX_TRAIN_ROWS_PROPERTY, cap));
        }
        return cap;
    }

    // the classifier's logit: MLlib's binary rawPrediction is [−m, m]
    private static Column logit() {
        return element_at(functions.vector_to_array(col("rawPrediction"), "float64"), 2);
    }

    // fold = 0 or 1 from the text hash
    private static Column fold() {
        return pmod(col("_h"), lit(2L));
    }

    /** Out-of-fold predictions: fold 0 by the model fitted on fold 1, and the other way round. */
    private static Dataset<Row> predict(PipelineModel[] models, Dataset<Row> rows) {
        return models[1].transform(rows.filter(fold().equalTo(0)))
                .unionByName(models[0].transform(rows.filter(fold().equalTo(1))));
    }

    /**
     * The text columns compared: the prompt, and the response when both sides have one (for preference
     * inputs the reference's {@code response} is compared with {@code chosen}).
     */
    static List<String> textColumns(PreparedInput input, Dataset<Row> reference) {
        List<String> columns = new ArrayList<>(List.of(InputContract.PROMPT));
        if (List.of(reference.columns()).contains(InputContract.RESPONSE)) {
            columns.add(InputContract.RESPONSE);
        }
        return columns;
    }

    private static Column text(PreparedInput input, String column) {
        if (column.equals(InputContract.RESPONSE) && input.config().kind() == InputKind.PREFERENCE) {
            return col(InputContract.CHOSEN);
        }
        return col(column);
    }

    /** Rows of one side as (id, label, text columns t0.., lengths). */
    private static Dataset<Row> side(Dataset<Row> rows, List<Column> texts, int label, long seed) {
        List<Column> columns = new ArrayList<>();
        Column[] textArray = texts.toArray(Column[]::new);
        columns.add(xxhash64(lit(seed + 1), concat_ws("\u0001", textArray)).as("_h"));
        columns.add(lit((double) label).as("label"));
        for (int t = 0; t < texts.size(); t++) {
            columns.add(coalesce(texts.get(t), lit("")).as("t" + t));
            columns.add(log1p(length(coalesce(texts.get(t), lit("")))).as("len" + t));
        }
        return rows.select(columns.toArray(Column[]::new));
    }

    private static Pipeline pipeline(int texts) {
        List<PipelineStage> stages = new ArrayList<>();
        List<String> features = new ArrayList<>();
        for (int t = 0; t < texts; t++) {
            stages.add(new RegexTokenizer().setInputCol("t" + t).setOutputCol("tok" + t).setPattern("\\W+").setToLowercase(true));
            stages.add(new HashingTF().setInputCol("tok" + t).setOutputCol("uni_f" + t).setNumFeatures(1 << FEATURE_BITS));
            features.add("uni_f" + t);
            features.add("len" + t);
        }
        stages.add(new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features"));
        stages.add(new LogisticRegression().setRegParam(REG_PARAM).setMaxIter(25).setFeaturesCol("features").setLabelCol("label"));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    }

    public static Fit fit(PreparedInput input, Dataset<Row> reference, long seed) {
        List<String> textColumns = textColumns(input, reference);
        List<Column> dataTexts = textColumns.stream().map(column -> text(input, column)).toList();
        List<Column> referenceTexts = textColumns.stream().map(org.apache.spark.sql.functions::col).toList();
        Dataset<Row> data = side(input.rows().filter(input.accepted()), dataTexts, 0, seed);
        Dataset<Row> ref = side(reference, referenceTexts, 1, seed);
        long dataRows = data.count();
        long referenceRows = ref.count();
        // a seeded hash sample of each side, about the cap at most, split in two folds
        long cap = maxTrainRows();
        Dataset<Row> both = sample(data, dataRows, cap).unionByName(sample(ref, referenceRows, cap));
        PipelineModel[] models = new PipelineModel[2];
        long[] trainRows = new long[2]; // by label: data, reference
        for (int f = 0; f < 2; f++) {
            Dataset<Row> train = both.filter(fold().equalTo(f)).cache();
            try {
                for (Row count : train.groupBy(col("label")).count().collectAsList()) {
                    trainRows[(int) count.getDouble(0)] += count.getLong(1);
                }
                models[f] = pipeline(textColumns.size()).fit(train);
            }
            finally {
                train.unpersist();
            }
        }
        Dataset<Row> outOfFold = predict(models, both).select(col("label"), col("rawPrediction"), logit().as("logit")).cache();
        try {
            // numBins 0: the exact ROC curve over every distinct score. A binned curve (the default, 1,000 bins) groups
            // the sorted scores by the partitions of a range partitioner whose sample is seeded by the RDD's id, so its
            // AUC moved (by ~1e-5) with how many RDDs the session had created before
            double auc = new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("rawPrediction")
                    .setMetricName("areaUnderROC").setNumBins(0).evaluate(outOfFold);
            // Platt scaling: high-dimensional text models are overconfident, and importance weights are odds,
            // which overconfident probabilities inflate; a 1-D logistic regression of the label on the
            // out-of-fold logit recalibrates them (slope → 0 when the logits carry no signal)
            LogisticRegressionModel platt = new LogisticRegression().setRegParam(0).setMaxIter(100)
                    .setFeaturesCol("logit_v").setLabelCol("label")
                    .fit(new VectorAssembler().setInputCols(new String[] {"logit"}).setOutputCol("logit_v")
                            .transform(outOfFold.select(col("label"), col("logit"))));
            double slope = platt.coefficients().apply(0);
            LOG.info("covariate shift classifier for input {}: out-of-fold AUC {} ({} of {} data rows, {} of {} reference rows, "
                    + "2 folds), calibration slope {}", input.name(), String.format("%.4f", auc), trainRows[0], dataRows, trainRows[1],
                    referenceRows, String.format("%.3f", slope));
            return new Fit(models, auc, slope, platt.intercept(), dataRows, referenceRows, trainRows[0], trainRows[1], textColumns);
        }
        finally {
            outOfFold.unpersist();
        }
    }

    // all rows up to the cap; beyond it the rows whose hash falls in the first cap/rows of its range
    private static Dataset<Row> sample(Dataset<Row> side, long rows, long cap) {
        if (rows <= cap) {
            return side;
        }
        long keepPerMillion = cap * 1_000_000 / rows;
        return side.filter(pmod(col("_h").divide(1000).cast("long"), lit(1_000_000L)).lt(keepPerMillion));
    }

    /**
     * Per objective on the input: the importance-weighted loss with its bootstrap interval, Kish's effective
     * sample size and design effect, and the share of clipped weights; all objectives in one pass.
     */
    public static Map<String, Map<String, Object>> weigh(PreparedInput input, List<Objective> objectives, Fit fit, double clip,
            long seed, int bootstrap, double confidence) {
        List<Row> buckets = bucketSums(scored(input, objectives, fit, seed), objectives, fit, clip);
        double sow = 0;
        double sow2 = 0;
        long clipped = 0;
        long n = 0;
        for (Row bucket : buckets) {
            sow += bucket.<Double>getAs("sow");
            sow2 += bucket.<Double>getAs("sow2");
            clipped += bucket.<Long>getAs("clipped");
            n += bucket.<Long>getAs("n");
        }
        // Kish's ESS of the combined weight ω·w; design effect = n / ESS
        EffectiveSampleSize ess = new EffectiveSampleSize(sow, sow2);
        double[][] weights = Resampling.poissonWeights(bootstrap, seed);
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (int o = 0; o < objectives.size(); o++) {
            double[] wy = bucketArray(buckets, "owy" + o);
            double[] wx = bucketArray(buckets, "owx" + o);
            double totalY = 0;
            double totalX = 0;
            for (int b = 0; b < Resampling.BUCKETS; b++) {
                totalY += wy[b];
                totalX += wx[b];
            }
            double[] replicates = Resampling.replicateRatios(wy, wx, weights);
            double[] interval = bootstrap > 0 ? Resampling.percentileInterval(replicates, confidence) : null;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("auc", Json.number(fit.auc()));
            figures.put("calibration_slope", Json.number(fit.slope()));
            // weighted_loss = Σ ω·w·y / Σ ω·w·x
            figures.put("weighted_loss", totalX > 0 ? Json.number(totalY / totalX) : null);
            figures.put("weighted_ci", interval == null ? null : List.of(interval[0], interval[1]));
            figures.put("ess", Json.number(ess.value().orElse(0)));
            figures.put("design_effect", Json.number(ess.designEffect(n)));
            figures.put("clip", clip);
            figures.put("clipped_share", n > 0 ? (double) clipped / n : null);
            figures.put("reference_rows", fit.referenceRows());
            // a fixed key order (Map.of's changes from one JVM to the next)
            Map<String, Object> classifier = new LinkedHashMap<>();
            classifier.put("folds", 2);
            classifier.put("rows", fit.trainRows());
            classifier.put("features", "hashed word counts (2^" + FEATURE_BITS + ") and log lengths of " + fit.textColumns());
            classifier.put("reg_param", REG_PARAM);
            figures.put("classifier", classifier);
            result.put(objectives.get(o).name(), figures);
        }
        return result;
    }

    /**
     * The input's accepted rows as the classifier's features (texts t0.., lengths len0..), the fold hash {@code _h}, the
     * resampling bucket {@code b}, the weight {@code w} and per objective its loss numerator {@code y<o>} and denominator
     * {@code x<o>} (1 without one), with each row's out-of-fold prediction.
     */
    private static Dataset<Row> scored(PreparedInput input, List<Objective> objectives, Fit fit, long seed) {
        List<Column> texts = fit.textColumns().stream().map(column -> text(input, column)).toList();
        Dataset<Row> rows = input.rows().filter(input.accepted());
        List<Column> keep = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            keep.add(coalesce(texts.get(t), lit("")).as("t" + t));
            keep.add(log1p(length(coalesce(texts.get(t), lit("")))).as("len" + t));
        }
        keep.add(xxhash64(lit(seed + 1), concat_ws("\u0001", texts.toArray(Column[]::new))).as("_h"));
        keep.add(Resampling.bucket(input.bucketHash(seed)).as("b"));
        keep.add(col(InputContract.WEIGHT).as("w"));
        for (int o = 0; o < objectives.size(); o++) {
            keep.add(objectives.get(o).lossNumerator().as("y" + o));
            keep.add(objectives.get(o).lossDenominator().orElse(lit(1.0)).as("x" + o));
        }
        return predict(fit.models(), rows.select(keep.toArray(Column[]::new)));
    }

    /**
     * Per resampling bucket {@code b}: {@code sow = Σ ω·w}, {@code sow2 = Σ (ω·w)²}, the rows whose odds reach the clip,
     * the rows {@code n}, and per objective {@code owy<o> = Σ ω·w·y} and {@code owx<o> = Σ ω·w·x}; one aggregation.
     */
    private static List<Row> bucketSums(Dataset<Row> scored, List<Objective> objectives, Fit fit, double clip) {
        double prior = fit.oddsToDensityRatio();
        // ω = p/(1−p)·m_data/m_ref = exp(calibrated logit)·m_data/m_ref, clipped to [0, clip]; p = P(reference | x) among the
        // m_data + m_ref rows the classifier and its calibration were fitted on
        Column calibrated = logit().multiply(fit.slope()).plus(fit.intercept());
        Column p = lit(1.0).divide(lit(1.0).plus(exp(negate(calibrated))));
        Column odds = exp(least(calibrated, lit(700.0))).multiply(prior);
        Column omega = least(odds, lit(clip));
        Column ow = omega.multiply(col("w"));
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(sum(ow).as("sow"));
        aggregates.add(sum(ow.multiply(ow)).as("sow2"));
        aggregates.add(sum(when(odds.geq(clip), 1L).otherwise(0L)).as("clipped"));
        aggregates.add(sum(lit(1L)).as("n"));
        for (int o = 0; o < objectives.size(); o++) {
            aggregates.add(sum(ow.multiply(col("y" + o))).as("owy" + o));
            aggregates.add(sum(ow.multiply(col("x" + o))).as("owx" + o));
        }
        return scored.groupBy(col("b")).agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
                .toArray(Column[]::new)).collectAsList();
    }

    /** One of the bucket sums as an array indexed by bucket (0 for a bucket without rows). */
    private static double[] bucketArray(List<Row> buckets, String name) {
        double[] values = new double[Resampling.BUCKETS];
        for (Row bucket : buckets) {
            values[bucket.<Integer>getAs("b")] += bucket.<Double>getAs(name);
        }
        return values;
    }

    /** Group shares of the reference, per group column it has: the target population's mix. */
    public static Map<String, Map<String, Double>> referenceShares(Dataset<Row> reference, List<String> groups) {
        Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
        List<String> present = List.of(reference.columns());
        for (String group : groups) {
            if (!present.contains(group)) {
                continue;
            }
            List<Row> counts = reference.groupBy(coalesce(col(group).cast("string"), lit("(null)")).as("v")).count().collectAsList();
            long total = counts.stream().mapToLong(row -> row.getLong(1)).sum();
            Map<String, Double> column = new LinkedHashMap<>();
            counts.stream().sorted((a, b) -> a.getString(0).compareTo(b.getString(0)))
                    .forEach(row -> column.put(row.getString(0), (double) row.getLong(1) / total));
            shares.put(group, column);
        }
        return shares;
    }

    /** Whether a reference sample has what the classifier compares: a {@code prompt} column. */
    public static boolean hasPrompt(Dataset<Row> reference) {
        return List.of(reference.columns()).contains(InputContract.PROMPT);
    }
}
