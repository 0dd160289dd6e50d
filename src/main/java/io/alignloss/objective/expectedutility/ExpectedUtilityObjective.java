package io.alignloss.objective.expectedutility;

import io.alignloss.config.FeatureType;
import io.alignloss.config.ExpectedUtilityOptions;
import io.alignloss.config.ObjectiveConfig;
import io.alignloss.config.ObjectiveOptions;
import io.alignloss.data.ColumnSpec;
import io.alignloss.error.AlignLossException;
import io.alignloss.error.ErrorCode;
import io.alignloss.data.ColumnType;
import io.alignloss.data.InputContract;
import io.alignloss.data.PreparedInput;
import io.alignloss.data.RowRule;
import io.alignloss.data.Rules;
import io.alignloss.model.PolicyData;
import io.alignloss.model.RewardModel;
import io.alignloss.objective.Objective;
import io.alignloss.output.PerExampleColumns;
import io.alignloss.stats.EffectiveSampleSize;
import io.alignloss.stats.LossStats;
import io.alignloss.summary.Json;
import io.alignloss.config.JobConfig;
import io.alignloss.config.InputConfig;
import io.alignloss.config.InputKind;
import io.alignloss.objective.ModelSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static java.lang.String.format;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.negate;

/**
 * Negative expected utility {@code L = −E[U(x, y)]} with {@code U = Σ_k w_k·score_k} a configured
 * combination of score columns ({@code utility { helpfulness = 0.8, harmfulness = -0.2 }}). The loss is
 * always {@code −E[U]}: minimising it maximises utility, and no option flips the sign.
 *
 * <p>Off-policy: when the input logs {@code behavior_prob} (the behaviour policy's probability of the logged
 * response) and {@code target_prob} (the target policy's), the objective also estimates the target policy's
 * expected utility from the logged rows with importance weights {@code w = target_prob / behavior_prob}:
 * IPS, self-normalised IPS, clipped IPS (option {@code clip}) and the weights' effective sample size. With a
 * trained policy as the target (π over every candidate of a set) and a reward estimate q̂ on every candidate row
 * (option {@code q-hat}), also the direct method and the doubly robust DR, SNDR and switch-DR (option
 * {@code switch-tau}) of {@link OffPolicyEstimators}.
 */
public final class ExpectedUtilityObjective implements Objective {
    /** The behaviour policy's probability of the logged response. */
    public static final String BEHAVIOR_PROB = PolicyData.BEHAVIOR_PROB;
    /** The target policy's probability of the logged response. */
    public static final String TARGET_PROB = "target_prob";
    public static final double DEFAULT_CLIP = ExpectedUtilityOptions.DEFAULT_CLIP;
    /**
     * Σ ω·w, Σ (ω·w)², Σ ω·w·U, Σ ω·min(w, clip)·U over accepted rows (ω the row weight, w the importance weight);
     * the first two are the {@link EffectiveSampleSize} sums of the combined weight ω·w.
     */
    public static final String SUM_W = "is_w";
    public static final String SUM_W2 = "is_w2";
    public static final String SUM_WU = "is_wu";
    public static final String SUM_CLIPPED_WU = "is_clipped_wu";
    /**
     * The doubly robust sums over accepted logged rows: Σ ω·DM_x ({@code DM_x = Σ_a π(a|x)·q̂(x, a)}), Σ ω·w·(U − q̂)
     * and Σ ω·1{w ≤ τ}·w·(U − q̂), q̂ the logged candidate's.
     */
    public static final String SUM_DIRECT = "dr_direct";
    public static final String SUM_CORRECTION = "dr_correction";
    public static final String SUM_SWITCHED_CORRECTION = "dr_switched_correction";

    /** With a policy as the off-policy target: true on the candidate row that was shown (logged). */
    public static final String LOGGED = PolicyData.LOGGED;
    /** The objective option naming a trained policy folder to evaluate on the input's candidate sets. */
    public static final String MODEL = ObjectiveOptions.MODEL;

    private final ObjectiveConfig config;
    private final Map<String, Double> utility;
    private final double clip;
    private final Optional<String> qHat;
    private final double switchTau;
    private final boolean offPolicy;
    private final Optional<RewardModel> policy;

    public ExpectedUtilityObjective(ObjectiveConfig config) {
        this(config, config.optionsAs(ExpectedUtilityOptions.class), false, Optional.empty());
    }

    private ExpectedUtilityObjective(ObjectiveConfig config, ExpectedUtilityOptions options, boolean offPolicy, Optional<RewardModel> policy) {
        this.config = config;
        this.utility = options.utility();
        this.clip = options.clip();
        this.qHat = options.qHat();
        this.switchTau = options.switchTau();
        this.offPolicy = offPolicy;
        this.policy = policy;
    }

    private ExpectedUtilityOptions options() {
        return config.optionsAs(ExpectedUtilityOptions.class);
    }

    /** The same objective that also evaluates {@code policy} on the input's candidate sets (rows sharing prompt_id). */
    public ExpectedUtilityObjective withPolicy(RewardModel policy) {
        return new ExpectedUtilityObjective(config, options(), offPolicy, Optional.of(policy));
    }

    /** The trained policy this objective evaluates, if any. */
    public Optional<RewardModel> policy() {
        return policy;
    }

    /**
     * Off-policy estimates on when the input has a {@code behavior_prob} column. With {@code q-hat}, a config error
     * unless the target is a trained policy ({@code model = …}) on logged candidate sets: only then is π known on every
     * candidate, as the direct method needs.
     */
    @Override
    public ExpectedUtilityObjective forInput(List<String> inputColumns) {
        ExpectedUtilityObjective read = new ExpectedUtilityObjective(config, options(), inputColumns.contains(BEHAVIOR_PROB), policy);
        if (qHat.isPresent() && !read.policyTarget()) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Cannot compute the doubly robust estimates of objective '%s' "
                    + "(%s = \"%s\"): they need π over every candidate, i.e. a trained policy as the target (model = …) on "
                    + "logged candidate sets (%s, %s, %s); %s", name(), ExpectedUtilityOptions.Q_HAT, qHat.get(), PolicyData.PROMPT_ID,
                    LOGGED, BEHAVIOR_PROB, policy.isEmpty() ? "the objective has no model"
                            : format("input '%s' has no %s column", config.input(), BEHAVIOR_PROB)));
        }
        return read;
    }

    /** Whether the doubly robust estimates are on: a policy target and a {@code q-hat} column. */
    public boolean doublyRobust() {
        return policyTarget() && qHat.isPresent();
    }

    /** switch-DR's importance-weight threshold τ. */
    public double switchTau() {
        return switchTau;
    }

    /** Whether this objective reads logged data and estimates the target policy's utility. */
    public boolean offPolicy() {
        return offPolicy;
    }

    /** The importance-weight clip of {@code clipped_ips}. */
    public double clip() {
        return clip;
    }

    /** Score column to its weight in U. */
    public Map<String, Double> utilityWeights() {
        return utility;
    }

    @Override
    public ObjectiveConfig config() {
        return config;
    }

    @Override
    public List<ColumnSpec> columns() {
        List<ColumnSpec> columns = new ArrayList<>();
        for (String score : utility.keySet()) {
            columns.add(ColumnSpec.required(score, ColumnType.DOUBLE, "objective " + name() + " (utility)"));
        }
        if (offPolicy) {
            columns.add(ColumnSpec.required(BEHAVIOR_PROB, ColumnType.DOUBLE, "objective " + name() + " (off-policy estimates)"));
            if (policy.isPresent()) {
                columns.add(ColumnSpec.required(LOGGED, ColumnType.BOOLEAN, "objective " + name()
                        + " (off-policy estimates with model = policy: true on each prompt's shown candidate)"));
            }
            else {
                columns.add(ColumnSpec.required(TARGET_PROB, ColumnType.DOUBLE,
                        "objective " + name() + " (off-policy estimates: the target policy's probability of the logged response)"));
            }
            if (doublyRobust()) {
                columns.add(ColumnSpec.required(qHat.get(), ColumnType.DOUBLE, "objective " + name()
                        + " (q-hat: the reward estimate of every candidate, for the doubly robust estimates)"));
            }
        }
        if (policy.isPresent()) {
            String who = "objective " + name() + " (model = policy: candidate sets)";
            columns.add(ColumnSpec.required(PolicyData.PROMPT_ID, ColumnType.ID, who));
            if (policy.get().features().type() == FeatureType.EMBEDDING) {
                columns.add(ColumnSpec.required(PolicyData.EMBEDDING, ColumnType.DOUBLE_ARRAY, who));
            }
        }
        return columns;
    }

    @Override
    public List<RowRule> rules() {
        List<RowRule> rules = new ArrayList<>(utility.keySet().stream().map(Rules::badScore).toList());
        if (offPolicy) {
            rules.add(Rules.badBehaviorProb(BEHAVIOR_PROB));
            rules.add(Rules.badTargetProb(targetColumn()));
        }
        if (doublyRobust()) {
            // DM_x is null when a candidate of the set has no finite q̂
            rules.add(RowRule.of(RowRule.BAD_Q_HAT, Rules.notFinite(PreparedInput.column(directColumn()))
                    .or(Rules.notFinite(PreparedInput.column(qHat.get())))));
        }
        if (policy.isPresent()) {
            rules.add(RowRule.of(RowRule.MISSING_TEXT, PreparedInput.column(PolicyData.PROMPT_ID).isNull()));
            if (policy.get().features().type() == FeatureType.EMBEDDING) {
                rules.add(Rules.badEmbedding(PolicyData.EMBEDDING, policy.get().dimension()));
            }
        }
        return rules;
    }

    // w = target_prob / behavior_prob (0 where behavior_prob is not positive: those rows are rejected)
    Column importanceWeight() {
        return ExpectedUtilityColumns.importanceWeight(PreparedInput.column(targetColumn()), PreparedInput.column(BEHAVIOR_PROB));
    }

    /** Whether the off-policy target is the trained policy ({@code model = …}) rather than a target_prob column. */
    public boolean policyTarget() {
        return offPolicy && policy.isPresent();
    }

    /** The column holding the target's probability of the logged response: target_prob, or π_θ's, derived. */
    String targetColumn() {
        return policyTarget() ? "_target_prob_" + name() : TARGET_PROB;
    }

    /** The column of {@code DM_x = Σ_a π(a|x)·q̂(x, a)}, derived on each logged row. */
    String directColumn() {
        return "_direct_" + name();
    }

    /**
     * With the trained policy as the target: adds π_θ(y|x) of every candidate, normalised over the candidates
     * sharing the prompt_id (null for the whole prompt when a candidate's features cannot be computed, so its
     * logged row is a {@code bad_target_prob} reject), with {@code q-hat} also {@code DM_x = Σ_a π(a|x)·q̂(x, a)} over
     * the same candidates (null when one has no finite q̂: a {@code bad_q_hat} reject), and keeps the logged rows
     * ({@code logged = true}).
     */
    public Dataset<Row> withPolicyTarget(Dataset<Row> rows) {
        if (!policyTarget()) {
            return rows;
        }
        Dataset<Row> withTarget = PolicyEvaluation.withProbability(rows, policy.get(), targetColumn());
        if (doublyRobust()) {
            withTarget = withTarget.withColumn(directColumn(), ExpectedUtilityColumns.directTerm(PreparedInput.column(targetColumn()),
                    PreparedInput.column(qHat.get()), Window.partitionBy(PreparedInput.column(PolicyData.PROMPT_ID))));
        }
        return withTarget.filter(PreparedInput.column(LOGGED).equalTo(true));
    }

    /**
     * With the policy a train run has just fitted for it, else its {@code model} folder's, which must hold a policy
     * and needs a sequence input of candidate sets; this objective without either.
     */
    @Override
    public Objective withModels(ModelSource models, JobConfig job) {
        Optional<RewardModel> trained = models.trainedRewardModel(name());
        if (trained.isPresent()) {
            return withPolicy(trained.get());
        }
        if (modelPath().isEmpty()) {
            return this;
        }
        String path = modelPath().get();
        InputConfig on = job.inputs().get(config.input());
        if (on.kind() != InputKind.SEQUENCE) {
            throw new AlignLossException(ErrorCode.CONFIG, format("Config %s: objective '%s' has model = \"%s\" (a policy), which "
                    + "needs a sequence input of candidate sets (rows = candidate responses sharing %s), but '%s' is a %s input",
                    job.source(), name(), path, PolicyData.PROMPT_ID, on.name(), on.kind().configName()));
        }
        return withPolicy(PolicyEvaluation.requirePolicy(models.loadPolicy(path), path, "objective " + name()));
    }

    /** {@link #withPolicyTarget}: with a policy as the target, only the logged rows. */
    @Override
    public Dataset<Row> prepare(Dataset<Row> rows) {
        return withPolicyTarget(rows);
    }

    /** With a policy that is not the off-policy target: it is evaluated on the input's candidate sets. */
    @Override
    public boolean evaluatesPolicy() {
        return policy.isPresent() && !policyTarget();
    }

    /** {@link PolicyEvaluation#evaluate}, the bootstrap resampling by the cluster column, else by prompt_id. */
    @Override
    public Map<String, Object> evaluatePolicy(Dataset<Row> accepted, Optional<String> cluster, long seed, int bootstrap,
            double confidence) {
        return PolicyEvaluation.evaluate(accepted, policy.orElseThrow(), utilityOf(), seed, bootstrap, confidence,
                cluster.orElse(PolicyData.PROMPT_ID));
    }

    // U(x, y) = Σ_k w_k·score_k
    public Column utilityOf() {
        return ExpectedUtilityColumns.utility(utility, PreparedInput::column);
    }

    @Override
    public Map<String, Column> perExample() {
        Map<String, Column> figures = new LinkedHashMap<>();
        figures.put("utility", utilityOf());
        figures.put(PerExampleColumns.WEIGHT, col(InputContract.WEIGHT));
        figures.put(PerExampleColumns.LOSS, lossNumerator());
        if (offPolicy) {
            figures.put("importance_weight", importanceWeight());
        }
        return figures;
    }

    // ℓ = −U(x, y)
    @Override
    public Column lossNumerator() {
        return negate(utilityOf());
    }

    @Override
    public Optional<Column> lossDenominator() {
        return Optional.empty();
    }

    @Override
    public Map<String, Column> sums() {
        if (!offPolicy) {
            return Map.of();
        }
        Column weight = col(InputContract.WEIGHT);
        Column w = importanceWeight();
        Map<String, Column> sums = new LinkedHashMap<>();
        sums.put(SUM_W, weight.multiply(w));
        // (ω·w)², EffectiveSampleSize.square as a column
        sums.put(SUM_W2, weight.multiply(w).multiply(weight.multiply(w)));
        sums.put(SUM_WU, weight.multiply(w).multiply(utilityOf()));
        sums.put(SUM_CLIPPED_WU, weight.multiply(ExpectedUtilityColumns.clipped(w, clip)).multiply(utilityOf()));
        if (doublyRobust()) {
            // ω·DM_x, ω·w·(U − q̂), ω·1{w ≤ τ}·w·(U − q̂)
            Column residual = utilityOf().minus(PreparedInput.column(qHat.get()));
            sums.put(SUM_DIRECT, weight.multiply(PreparedInput.column(directColumn())));
            sums.put(SUM_CORRECTION, weight.multiply(w).multiply(residual));
            sums.put(SUM_SWITCHED_CORRECTION, weight.multiply(ExpectedUtilityColumns.switched(w, switchTau)).multiply(residual));
        }
        return sums;
    }

    /** Adds one logged row's off-policy sums, as the scan does: for tests and driver-side callers. */
    public static LossStats addLogged(LossStats stats, double rowWeight, double utility, double behaviorProb, double targetProb,
            double clip) {
        double w = OffPolicyEstimators.importanceWeight(targetProb, behaviorProb);
        return stats.add(rowWeight, -utility, 1).addSum(SUM_W, rowWeight * w).addSum(SUM_W2, EffectiveSampleSize.square(w, rowWeight))
                .addSum(SUM_WU, rowWeight * w * utility).addSum(SUM_CLIPPED_WU, rowWeight * OffPolicyEstimators.clipped(w, clip) * utility);
    }

    @Override
    public Map<String, Object> figures(LossStats stats) {
        Map<String, Object> figures = new LinkedHashMap<>();
        // mean_utility = E[U] = −loss
        OptionalDouble loss = stats.loss();
        figures.put("mean_utility", loss.isPresent() ? Json.number(-loss.getAsDouble()) : null);
        figures.put("utility", formula());
        if (offPolicy) {
            figures.putAll(resampledFigures(stats));
            figures.put("clip", clip);
            if (doublyRobust()) {
                figures.put("q_hat", qHat.get());
                figures.put("switch_tau", switchTau);
            }
            // Kish: ESS = (Σ ω·w)² / Σ (ω·w)²
            figures.put("ess", Json.number(new EffectiveSampleSize(stats.sum(SUM_W), stats.sum(SUM_W2)).value()));
            figures.put("importance_weight_mean", stats.weightSum() > 0 ? Json.number(stats.sum(SUM_W) / stats.weightSum()) : null);
        }
        return figures;
    }

    /**
     * The off-policy estimates of the target policy's expected utility V(π_t) over n logged rows (weighted by
     * ω), by {@link OffPolicyEstimators}: {@code ips = Σ ω·w·U / Σ ω}, {@code snips = Σ ω·w·U / Σ ω·w},
     * {@code clipped_ips = Σ ω·min(w, clip)·U / Σ ω}; with {@code q-hat} also {@code dm}, {@code dr}, {@code sndr} and
     * {@code switch_dr}; NaN where a denominator is 0.
     */
    @Override
    public Map<String, Double> resampledFigures(LossStats stats) {
        if (!offPolicy) {
            return Map.of();
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        double n = stats.weightSum();
        double weights = stats.sum(SUM_W);
        figures.put("ips", OffPolicyEstimators.ips(stats.sum(SUM_WU), n));
        figures.put("snips", OffPolicyEstimators.snips(stats.sum(SUM_WU), weights));
        figures.put("clipped_ips", OffPolicyEstimators.clippedIps(stats.sum(SUM_CLIPPED_WU), n));
        if (doublyRobust()) {
            double direct = stats.sum(SUM_DIRECT);
            double correction = stats.sum(SUM_CORRECTION);
            figures.put("dm", OffPolicyEstimators.directMethod(direct, n));
            figures.put("dr", OffPolicyEstimators.doublyRobust(direct, correction, n));
            figures.put("sndr", OffPolicyEstimators.selfNormalisedDoublyRobust(direct, correction, n, weights));
            figures.put("switch_dr", OffPolicyEstimators.switchDoublyRobust(direct, stats.sum(SUM_SWITCHED_CORRECTION), n));
        }
        return figures;
    }

    /** The utility as text, e.g. {@code 0.8*helpfulness - 0.2*harmfulness}. */
    public String formula() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Double> term : utility.entrySet()) {
            double weight = term.getValue();
            if (text.length() == 0) {
                text.append(weight < 0 ? "-" : "");
            }
            else {
                text.append(weight < 0 ? " - " : " + ");
            }
            text.append(Math.abs(weight)).append('*').append(term.getKey());
        }
        return text.toString();
    }

    @Override
    public String describe() {
        return "negative expected utility: loss = -E[U], U = " + formula() + " (minimising the loss maximises U)"
                + (offPolicy ? format("; off-policy estimates of the target policy's E[U] with w = target_prob/behavior_prob, clip %s", clip) : "")
                + (policyTarget() ? format("; target policy %s, normalised over each prompt's candidates (prompt_id), on the logged rows",
                        modelPath().orElse("just trained"))
                : policy.isPresent() ? format("; the policy %s evaluated on the candidate sets (prompt_id): E_x E_pi[U] against the uniform policy's",
                        modelPath().orElse("just trained")) : "")
                + (doublyRobust() ? format("; doubly robust estimates (dm, dr, sndr, switch_dr) with q-hat column %s, switch-tau %s",
                        qHat.get(), switchTau) : "");
    }
}
