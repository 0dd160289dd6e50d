package io.alignloss.train;

import io.alignloss.config.InputConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.TrainConfig;
import io.alignloss.data.ColumnSpec;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputReader;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.config.FeatureSpec;
import io.alignloss.config.FeatureType;
import io.alignloss.model.Featurizer;
import io.alignloss.model.PairBlock;
import io.alignloss.model.PairData;
import io.alignloss.objective.bradleyterry.PairLoss;
import io.alignloss.objective.bradleyterry.PairLossAggregate;
import io.alignloss.model.RewardModel;
import io.alignloss.model.RewardScoring;
import io.alignloss.summary.Json;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;

/**
 * Fits a linear Bradley-Terry reward model {@code φ̂ = argmin_φ L(φ)} over cached pair blocks (Δf per pair,
 * optionally a margin and the reward-centring term), with a held-out validation split when
 * train.validation-fraction > 0; saves φ̂ as a reward model folder.
 */
public final class RewardModelTrainer extends SingleFitTrainer<RewardModelTrainer.Pairs> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);

    private final FeatureSpec spec;

    /** What the pairs gave: the fitting, the feature dimension, the accepted rows and the training pairs. */
    record Pairs(Fitting fitting, int dimension, long acceptedRows, long trainPairs) implements SingleFitTrainer.Prepared {
    }

    public RewardModelTrainer(ObjectiveConfig objective, FeatureSpec spec, InputConfig inputConfig) {
        super(objective, inputConfig);
        this.spec = spec;
    }

    @Override
    Pairs prepare(TrainingRun run) {
        RunSettings settings = run.settings();
        TrainConfig train = settings.config().train();
        LOG.info("alignloss {} train: objective {} on input {} ({}), {} features, optimizer {}, output {}", run.version(),
                objective.name(), inputConfig.name(), inputConfig.path(), spec.type().configName(), train.optimization().optimizer().configName(), settings.out());
        PreparedInput input = read(run, train);
        int dimension = dimension(input, spec);
        for (RowRule rule : RewardScoring.rules(spec, dimension)) {
            input = input.withRule(rule);
        }
        long acceptedRows = run.checkRejects(input, dimension);

        Featurizer featurizer = Featurizer.create(spec, dimension);
        Dataset<Row> accepted = PairData.withHash(input, settings.seed()).filter(input.accepted());
        org.apache.spark.sql.Column held = run.validation(input, train.validation().fraction());
        boolean centred = train.regularization().centerRewards() > 0;
        JavaRDD<PairBlock> trainBlocks = run.persist(PairData.blocks(accepted.filter(not(held)), featurizer, train.margin(), centred),
                "alignloss train pairs");
        long trainPairs = countPairs(trainBlocks, "training");
        if (trainPairs == 0) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format(
                    "Cannot train on input '%s': the validation split (train.validation-fraction = %s) left no training rows",
                    inputConfig.name(), train.validation().fraction()));
        }
        JavaRDD<PairBlock> validationBlocks = null;
        if (train.validation().fraction() > 0) {
            validationBlocks = run.persist(PairData.blocks(accepted.filter(held), featurizer, train.margin(), centred),
                    "alignloss validation pairs");
            countPairs(validationBlocks, "validation");
        }
        PairLoss loss = new PairLoss(trainBlocks, dimension, train.regularization().l2(), train.regularization().centerRewards(), train.treeDepth(),
                train.optimization().batchFraction(), settings.seed());
        PairLoss validationLoss = validationBlocks == null ? null
                : new PairLoss(validationBlocks, dimension, train.regularization().l2(), train.regularization().centerRewards(), train.treeDepth(), 1, settings.seed());

        Map<String, Object> fingerprint = run.fingerprint(objective, spec, dimension, inputConfig, acceptedRows);
        Fitting fitting = new Fitting(train, loss, new double[dimension], validation(validationLoss), x -> figures(loss.measure(x)),
                run.saved(), fingerprint);
        return new Pairs(fitting, dimension, acceptedRows, trainPairs);
    }

    @Override
    Trained save(TrainingRun run, Pairs pairs, Fit fit) {
        RunSettings settings = run.settings();
        TrainConfig train = settings.config().train();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("objective", objective.name());
        block.put("optimizer", train.optimization().optimizer().configName());
        block.put("features", spec.describe());
        block.put("dimension", pairs.dimension());
        block.put("l2", train.regularization().l2());
        block.put("center_rewards", train.regularization().centerRewards());
        train.margin().ifPresent(margin -> block.put("margin_column", margin));
        fit.putOutcome(block);
        putFigures(block, run, pairs.fitting(), fit);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.regularization().l2(),
                "center_rewards", train.regularization().centerRewards(), "margin_column", train.margin().orElse("")));
        metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", pairs.acceptedRows(),
                "train_pairs", pairs.trainPairs(), "final_objective", fit.finalObjective(), "iterations", fit.state().iteration(),
                "converged", fit.state().converged(), "optimizer", train.optimization().optimizer().configName(), "seed", settings.seed()));
        metadata.put("alignloss_version", run.version());
        RewardModel model = new RewardModel(spec, fit.state().x(), metadata);
        model.save(run.modelPath(), run.hadoop());
        LOG.info("model written ({} weights); evaluating objective {} with it", pairs.dimension(), objective.name());
        return Trained.rewardModel(block, objective.name(), model);
    }

    private PreparedInput read(TrainingRun run, TrainConfig train) {
        List<ColumnSpec> columns = new ArrayList<>(RewardScoring.columns(spec, "features " + spec.type().configName()));
        List<RowRule> rules = new ArrayList<>();
        if (train.margin().isPresent()) {
            columns.add(ColumnSpec.required(train.margin().get(), ColumnType.DOUBLE, "train.margin"));
            rules.add(Rules.badMargin(train.margin().get()));
        }
        return InputReader.prepare(run.spark(), inputConfig, columns, rules, run.config().groups(), run.warnings());
    }

    /** The embedding length of the first row with a chosen embedding; the featurizer's own otherwise. */
    private static int dimension(PreparedInput input, FeatureSpec spec) {
        if (spec.type() != FeatureType.EMBEDDING) {
            return Featurizer.create(spec, 0).dimension();
        }
        List<Row> first = input.rows().where(col(FeatureSpec.CHOSEN_EMBEDDING).isNotNull())
                .select(size(col(FeatureSpec.CHOSEN_EMBEDDING))).limit(1).collectAsList();
        if (first.isEmpty() || first.get(0).getInt(0) <= 0) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s' (%s): no row has a non-empty %s",
                    input.name(), input.config().path(), FeatureSpec.CHOSEN_EMBEDDING));
        }
        return first.get(0).getInt(0);
    }

    private static long countPairs(JavaRDD<PairBlock> blocks, String what) {
        long start = System.nanoTime();
        List<long[]> sizes = blocks.map(block -> new long[] {block.size(), block.bytes()}).collect();
        long pairs = sizes.stream().mapToLong(s -> s[0]).sum();
        long bytes = sizes.stream().mapToLong(s -> s[1]).sum();
        LOG.info("cached {} {} pairs in {} blocks, {} MB, {} s", pairs, what, sizes.size(), format("%.1f", bytes / 1e6),
                TrainingRun.seconds(start));
        return pairs;
    }

    /** The validation loss's per-iteration figures (loss, accuracy) and final block; absent without a validation split. */
    private static Optional<Validation> validation(PairLoss loss) {
        if (loss == null) {
            return Optional.empty();
        }
        return Optional.of(new Validation(x -> {
            PairLossAggregate measured = loss.measure(x);
            return Map.of("loss", measured.meanLoss(), "accuracy", measured.accuracy());
        }, x -> figures(loss.measure(x))));
    }

    private static Map<String, Object> figures(PairLossAggregate measured) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pairs", measured.count());
        figures.put("weight_sum", measured.weightSum());
        figures.put("loss", Json.number(measured.weightSum() > 0 ? measured.meanLoss() : Double.NaN));
        figures.put("accuracy", Json.number(measured.accuracy()));
        return figures;
    }
}
