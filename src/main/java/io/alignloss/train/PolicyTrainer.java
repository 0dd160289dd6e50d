package io.alignloss.train;

import io.alignloss.config.ExpectedUtilityOptions;
import io.alignloss.config.InputConfig;
import io.alignloss.config.JobConfig;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.PolicyEstimator;
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
import io.alignloss.objective.expectedutility.LoggedPolicyLoss;
import io.alignloss.model.PolicyBlock;
import io.alignloss.model.PolicyData;
import io.alignloss.objective.expectedutility.PolicyLoss;
import io.alignloss.objective.expectedutility.PolicyLossAggregate;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.expectedutility.ExpectedUtilityObjective;
import io.alignloss.summary.Json;
import io.alignloss.optim.TrainingLoss;
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
import java.util.function.Function;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

/**
 * Fits a linear softmax policy π_θ(y|x) = softmax_y(θ·f(x, y)) over the candidates sharing a prompt_id by
 * minimising the negative expected utility (with the entropy bonus and L2), or, with train.objective-estimator
 * other than exact, its off-policy estimate on logged data; saves θ in the reward model's folder format with
 * {@code model: policy} in its metadata.
 */
public final class PolicyTrainer extends SingleFitTrainer<PolicyTrainer.CandidateSets> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.LOGGER);

    private final FeatureSpec spec;

    /** What the candidate sets gave: the fitting, the objective's utility and entropy bonus, the dimension, the rows, θ = 0's figures. */
    record CandidateSets(Fitting fitting, ExpectedUtilityObjective utility, double entropy, int dimension, long acceptedRows,
            Map<String, Object> before) implements SingleFitTrainer.Prepared {
    }

    public PolicyTrainer(ObjectiveConfig objective, FeatureSpec spec, InputConfig inputConfig) {
        super(objective, inputConfig);
        this.spec = spec;
    }

    @Override
    CandidateSets prepare(TrainingRun run) {
        RunSettings settings = run.settings();
        JobConfig config = settings.config();
        TrainConfig train = config.train();
        if (inputConfig.kind() != io.alignloss.config.InputKind.SEQUENCE) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: training expected-utility objective '%s' needs a sequence "
                    + "input (rows = candidate responses with %s), but '%s' is a %s input", config.source(), objective.name(),
                    PolicyData.PROMPT_ID, inputConfig.name(), inputConfig.kind().configName()));
        }
        ExpectedUtilityObjective utility = new ExpectedUtilityObjective(objective);
        double entropy = objective.optionsAs(ExpectedUtilityOptions.class).entropy();
        LOG.info("alignloss {} train: policy for objective {} on input {} ({}), {} features, entropy {}, optimizer {}, output {}",
                run.version(), objective.name(), inputConfig.name(), inputConfig.path(), spec.type().configName(), entropy,
                train.optimization().optimizer().configName(), settings.out());
        boolean logged = train.policyEstimator().logged();
        if (logged && entropy > 0) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: %s = %s applies to the exact objective; "
                    + "train.objective-estimator = %s trains on the off-policy estimate without an entropy bonus: remove it",
                    config.source(), objective.key("entropy"), entropy, train.policyEstimator().configName()));
        }
        PreparedInput input = InputReader.prepare(run.spark(), inputConfig, columns(utility, train, logged), rules(utility, train, logged),
                config.groups(), run.warnings());
        int dimension = dimension(input);
        if (spec.type() == FeatureType.EMBEDDING) {
            input = input.withRule(Rules.badEmbedding(PolicyData.EMBEDDING, dimension));
        }
        long acceptedRows = run.checkRejects(input, dimension);
        Featurizer featurizer = Featurizer.create(spec, dimension);
        Dataset<Row> accepted = input.rows().filter(input.accepted());
        JavaRDD<PolicyBlock> blocks = run.persist(logged ? PolicyData.loggedBlocks(accepted, featurizer, utility.utilityOf(), settings.seed())
                : PolicyData.blocks(accepted, featurizer, utility.utilityOf(), settings.seed()), "alignloss train candidate sets");
        TrainingLoss loss;
        Function<double[], Map<String, Object>> measure;
        if (logged) {
            LoggedPolicyLoss estimate = new LoggedPolicyLoss(blocks, dimension, train.regularization().l2(), train.policyEstimator() == PolicyEstimator.SNIPS,
                    train.treeDepth(), train.optimization().batchFraction(), settings.seed());
            loss = estimate;
            measure = estimate::measure;
        }
        else {
            PolicyLoss exact = new PolicyLoss(blocks, dimension, train.regularization().l2(), entropy, train.treeDepth(), train.optimization().batchFraction(), settings.seed());
            loss = exact;
            measure = x -> policyFigures(exact.measure(x));
        }
        Map<String, Object> before = uniform(measure, dimension, train, logged);
        Map<String, Object> fingerprint = run.fingerprint(objective, spec, dimension, inputConfig, acceptedRows);
        fingerprint.put("entropy", entropy);
        fingerprint.put("estimator", train.policyEstimator().configName());
        Fitting fitting = new Fitting(train, loss, new double[dimension], Optional.empty(), measure, run.saved(), fingerprint);
        return new CandidateSets(fitting, utility, entropy, dimension, acceptedRows, before);
    }

    @Override
    Trained save(TrainingRun run, CandidateSets sets, Fit fit) {
        RunSettings settings = run.settings();
        TrainConfig train = settings.config().train();
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("objective", objective.name());
        block.put("model_kind", "policy");
        block.put("optimizer", train.optimization().optimizer().configName());
        block.put("features", spec.describe());
        block.put("dimension", sets.dimension());
        block.put("l2", train.regularization().l2());
        block.put("entropy", sets.entropy());
        block.put("estimator", train.policyEstimator().configName());
        fit.putOutcome(block);
        block.put("uniform", sets.before());
        block.put("train", fit.train());
        block.put("history", fit.history());
        run.putLocations(block);

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("model", "policy");
        metadata.put("objective", Map.of("name", objective.name(), "type", objective.type().configName(), "l2", train.regularization().l2(),
                "entropy", sets.entropy(), "utility", sets.utility().formula(), "candidate_sets", PolicyData.PROMPT_ID,
                "estimator", train.policyEstimator().configName()));
        metadata.put("training", Map.of("input", settings.config().redaction().text(inputConfig.path()), "rows", sets.acceptedRows(),
                "final_objective", fit.finalObjective(), "iterations", fit.state().iteration(), "converged", fit.state().converged(),
                "optimizer", train.optimization().optimizer().configName(), "seed", settings.seed()));
        metadata.put("alignloss_version", run.version());
        RewardModel policy = new RewardModel(spec, fit.state().x(), metadata);
        policy.save(run.modelPath(), run.hadoop());
        LOG.info("policy written ({} weights): mean utility {} (uniform {})", sets.dimension(), fit.train().get("mean_utility"),
                sets.before().get("mean_utility"));
        // the evaluation sees the trained policy: on candidate sets its E_x E_π[U], on logged data its off-policy estimates
        return Trained.rewardModel(block, objective.name(), policy);
    }

    private List<ColumnSpec> columns(ExpectedUtilityObjective utility, TrainConfig train, boolean logged) {
        List<ColumnSpec> columns = new ArrayList<>(utility.columns());
        columns.add(ColumnSpec.required(PolicyData.PROMPT_ID, ColumnType.ID, "objective " + objective.name() + " (candidate sets)"));
        if (spec.type() == FeatureType.EMBEDDING) {
            columns.add(ColumnSpec.required(PolicyData.EMBEDDING, ColumnType.DOUBLE_ARRAY, "features embedding"));
        }
        if (logged) {
            // logged data: each prompt's candidates, logged = true on the shown one, whose utility and behavior_prob were recorded
            String who = "train.objective-estimator = " + train.policyEstimator().configName() + " (logged data)";
            columns.add(ColumnSpec.required(ExpectedUtilityObjective.BEHAVIOR_PROB, ColumnType.DOUBLE, who));
            columns.add(ColumnSpec.required(ExpectedUtilityObjective.LOGGED, ColumnType.BOOLEAN, who));
        }
        return columns;
    }

    /** The utility's rules (on logged data: on the shown row only, with a valid behavior_prob) and a prompt_id on every row. */
    private static List<RowRule> rules(ExpectedUtilityObjective utility, TrainConfig train, boolean logged) {
        List<RowRule> rules = new ArrayList<>();
        if (logged) {
            org.apache.spark.sql.Column shown = org.apache.spark.sql.functions.coalesce(
                    io.alignloss.data.PreparedInput.column(ExpectedUtilityObjective.LOGGED), lit(false));
            List<RowRule> onShown = new ArrayList<>(utility.rules());
            onShown.add(Rules.badBehaviorProb(ExpectedUtilityObjective.BEHAVIOR_PROB));
            for (RowRule rule : onShown) {
                rules.add(RowRule.of(rule.code(), shown.and(rule.failsWhen())));
            }
        }
        else {
            rules.addAll(utility.rules());
        }
        rules.add(RowRule.of(RowRule.MISSING_TEXT, io.alignloss.data.PreparedInput.column(PolicyData.PROMPT_ID).isNull()));
        return rules;
    }

    /** The embedding length of the first row with an embedding; the featurizer's own otherwise. */
    private int dimension(PreparedInput input) {
        if (spec.type() != FeatureType.EMBEDDING) {
            return Featurizer.create(spec, 0).dimension();
        }
        List<Row> first = input.rows().where(col(PolicyData.EMBEDDING).isNotNull()).select(size(col(PolicyData.EMBEDDING)))
                .limit(1).collectAsList();
        if (first.isEmpty() || first.get(0).getInt(0) <= 0) {
            throw new AlignLossException(ErrorCode.INPUT_SCHEMA, format("Cannot train on input '%s' (%s): no row has a non-empty %s",
                    input.name(), inputConfig.path(), PolicyData.EMBEDDING));
        }
        return first.get(0).getInt(0);
    }

    /** The figures of the uniform policy θ = 0, logged; refuses logged data where no accepted row was shown. */
    private Map<String, Object> uniform(Function<double[], Map<String, Object>> measure, int dimension, TrainConfig train, boolean logged) {
        Map<String, Object> before = measure.apply(new double[dimension]);
        LOG.info("cached {} prompts; uniform policy (θ = 0): mean utility {} ({})", before.get("prompts"), before.get("mean_utility"),
                train.policyEstimator().configName());
        if (logged && ((Number) before.get("logged")).longValue() == 0) {
            throw new AlignLossException(ErrorCode.NOTHING_TO_EVALUATE, format("Cannot train with train.objective-estimator = %s: "
                    + "input '%s' has no rows to train on (%s): no accepted row has %s = true", train.policyEstimator().configName(), inputConfig.name(),
                    inputConfig.path(), ExpectedUtilityObjective.LOGGED));
        }
        return before;
    }

    // mean_utility = Σ_x w_x E_π[U|x] / Σ_x w_x; loss = −mean_utility (the objective without entropy bonus and L2)
    private static Map<String, Object> policyFigures(PolicyLossAggregate measured) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("prompts", measured.count());
        figures.put("weight_sum", measured.weightSum());
        figures.put("mean_utility", Json.number(measured.meanUtility()));
        figures.put("loss", Json.number(-measured.meanUtility()));
        figures.put("entropy", Json.number(measured.meanEntropy()));
        return figures;
    }
}
